import { createRetryBudget } from './retry-budget.js';

describe('createRetryBudget', () => {
  test('allows minRetries plus ratio * requests per window', () => {
    let now = 0;
    const budget = createRetryBudget({ ratio: 0.5, minRetries: 1, window: '10s', now: () => now });
    for (let i = 0; i < 4; i++) budget.recordRequest();
    const granted = Array.from({ length: 5 }, () => budget.tryRetry());
    expect(granted).toEqual([true, true, true, false, false]); // 1 + 0.5 * 4 = 3
    expect(budget.stats()).toEqual({ requests: 4, retries: 3 });
    now += 5_000;
    expect(budget.tryRetry()).toBe(false); // still inside the window
    now += 6_000; // the first buckets slid out
    expect(budget.stats()).toEqual({ requests: 0, retries: 0 });
    expect(budget.tryRetry()).toBe(true);
  });

  test('a long pause clears every bucket', () => {
    let now = 0;
    const budget = createRetryBudget({ ratio: 0, minRetries: 2, window: 1000, now: () => now });
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    now += 1_000_000;
    expect(budget.tryRetry()).toBe(true);
  });

  test.each([
    [{ ratio: -1 }, /budget.ratio/],
    [{ minRetries: 1.5 }, /budget.minRetries/],
    [{ window: 0 }, /budget.window/],
  ])('rejects %o', (options, message) => expect(() => createRetryBudget(options)).toThrow(message));
});
