import { checkIntegerOption, parseDuration, UsageError } from '@ops/core';

export interface RetryBudgetOptions {
  /** Retries allowed as a fraction of requests over the window. Defaults to 0.2. */
  readonly ratio?: number;
  /** Sliding window the ratio is measured over. Defaults to 10s. */
  readonly window?: number | string;
  /** Retries always allowed per window, so rare failures are retried even at low traffic. Defaults to 10. */
  readonly minRetries?: number;
  /** Time source in ms. Defaults to `Date.now`. */
  readonly now?: () => number;
}

export interface RetryBudget {
  /** Counts a first attempt (not a retry). */
  recordRequest(): void;
  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(): boolean;
  /** Requests and retries counted in the current window. */
  stats(): { requests: number; retries: number };
}

export const BUDGET_DEFAULTS = { ratio: 0.2, window: 10_000 as number | string, minRetries: 10, now: Date.now };

const BUCKETS = 10;

/**
 * A retry budget (as in Finagle and Envoy): retries may be at most `minRetries + ratio *
 * requests` over a sliding `window`. Share one budget between clients so a fleet of calls
 * cannot turn an outage into a retry storm.
 */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const o = { ...BUDGET_DEFAULTS, ...options };
  if (typeof o.ratio !== 'number' || !(o.ratio >= 0)) throw new UsageError(`Expected \`budget.ratio\` to be a non-negative number, got ${o.ratio}`);
  checkIntegerOption(o.minRetries, 'budget.minRetries');
  const windowMs = parseDuration(o.window, { name: 'budget.window', defaultUnit: 'ms' });
  if (windowMs <= 0) throw new UsageError('Expected `budget.window` to be a positive duration, got 0');
  const bucketMs = windowMs / BUCKETS;
  const requests = new Array<number>(BUCKETS).fill(0);
  const retries = new Array<number>(BUCKETS).fill(0);
  let current = Math.floor(o.now() / bucketMs);

  const advance = (): number => {
    const now = Math.floor(o.now() / bucketMs);
    for (let b = Math.max(current + 1, now - BUCKETS + 1); b <= now; b++) {
      requests[b % BUCKETS] = 0;
      retries[b % BUCKETS] = 0;
    }
    if (now > current) current = now;
    return current % BUCKETS;
  };
  const sum = (a: number[]): number => a.reduce((s, n) => s + n, 0);
  return {
    recordRequest() {
      requests[advance()]! += 1;
    },
    tryRetry() {
      const i = advance();
      if (sum(retries) + 1 > o.minRetries + o.ratio * sum(requests)) return false;
      retries[i]! += 1;
      return true;
    },
    stats() {
      advance();
      return { requests: sum(requests), retries: sum(retries) };
    },
  };
}
