import { jest } from '@jest/globals';
import { AbortError, OpsError, UsageError, hasCode } from '@ops/core';
import { retry, retryAfterFirstFailure } from './retry.js';
import { AttemptTimeoutError, RetryError } from './retry-error.js';
import { defaultShouldRetry, type RetryClock, type RetryOptions } from './retry-options.js';

/** A clock whose time moves only when `sleep` is called; records every wait. */
function fakeClock(): RetryClock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new AbortError('the wait', signal.reason);
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

/** fn failing `failures` times with `error` then resolving `value`. */
function flaky<T>(failures: number, value: T, error: (n: number) => unknown = (n) => new Error(`boom ${n}`)) {
  let calls = 0;
  const fn = jest.fn(async () => {
    calls += 1;
    if (calls <= failures) throw error(calls);
    return value;
  });
  return fn;
}

describe('retry', () => {
  test('returns the first success without waiting', async () => {
    const clock = fakeClock();
    await expect(retry(async ({ attempt }) => attempt * 10, { clock })).resolves.toBe(10);
    expect(clock.sleeps).toEqual([]);
  });

  test('attempt 1 without a signal or timeouts: a never-aborted signal, its rejection and a thenable are handled as any attempt', async () => {
    const clock = fakeClock();
    const seen: Array<[number, boolean]> = [];
    const value = await retry(
      (ctx) => {
        seen.push([ctx.attempt, ctx.signal.aborted]);
        if (ctx.attempt === 1) return Promise.reject(new Error('boom 1'));
        return { then: (resolve: (v: string) => void) => resolve('ok') } as unknown as Promise<string>;
      },
      { clock, retries: 1 },
    );
    expect(value).toBe('ok');
    expect(seen).toEqual([[1, false], [2, false]]);
    expect(clock.sleeps).toHaveLength(1);
  });

  test.each<[string, RetryOptions, number[]]>([
    ['none, defaults', { jitter: 'none' }, [1000, 2000, 4000]],
    ['none, factor 3, min 50ms', { jitter: 'none', factor: 3, minDelay: '50ms' }, [50, 150, 450]],
    ['none, capped by maxDelay', { jitter: 'none', minDelay: 100, maxDelay: '250ms' }, [100, 200, 250]],
    ['full with random 0.5', { jitter: 'full', minDelay: 100, random: () => 0.5 }, [50, 100, 200]],
    ['equal with random 0', { jitter: 'equal', minDelay: 100, random: () => 0 }, [50, 100, 200]],
    ['decorrelated with random 1', { jitter: 'decorrelated', minDelay: 100, random: () => 1 }, [300, 900, 2700]],
  ])('backoff sequence: %s', async (_name, options, expected) => {
    const clock = fakeClock();
    const fn = flaky(3, 'ok');
    await expect(retry(fn, { ...options, clock })).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(4);
    expect(clock.sleeps).toEqual(expected);
  });

  test('gives up with a RetryError listing every attempt; cause is the last error', async () => {
    const clock = fakeClock();
    const onRetry = jest.fn();
    const fn = flaky(10, 'never');
    const error = await retry(fn, { retries: 2, jitter: 'none', minDelay: 100, clock, onRetry, description: 'GET /x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryError);
    const e = error as RetryError;
    expect(e.code).toBe('HTTP_RETRY_EXHAUSTED');
    expect(e.name).toBe('RetryError');
    expect(e.reason).toBe('retries');
    expect(e.message).toMatch(/^GET \/x failed after 3 attempts in 300ms, no retries left: boom 3$/);
    expect((e.cause as Error).message).toBe('boom 3');
    expect(e.attempts.map((a) => [a.attempt, (a.error as Error).message, a.delayMs, a.elapsedMs])).toEqual([
      [1, 'boom 1', 100, 0],
      [2, 'boom 2', 200, 100],
      [3, 'boom 3', 0, 300],
    ]);
    expect(onRetry.mock.calls.map(([info]) => (info as { delayMs: number }).delayMs)).toEqual([100, 200]);
    expect(hasCode(e, 'HTTP_RETRY_EXHAUSTED')).toBe(true);
  });

  test('retries: 0 makes one attempt', async () => {
    const fn = flaky(1, 'x');
    await expect(retry(fn, { retries: 0, clock: fakeClock() })).rejects.toBeInstanceOf(RetryError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test.each<[string, unknown]>([
    ['core AbortError', new AbortError()],
    ['UsageError', new UsageError('bad')],
    ['DOM AbortError', new DOMException('aborted', 'AbortError')],
  ])('default shouldRetry does not retry a %s, rethrown as is', async (_name, thrown) => {
    const fn = flaky(1, 'x', () => thrown);
    await expect(retry(fn, { clock: fakeClock() })).rejects.toBe(thrown);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('a non-retryable error is rethrown unwrapped, after earlier retryable ones', async () => {
    class Permanent extends OpsError<'X_PERMANENT'> {
      constructor() {
        super('X_PERMANENT', 'nope');
      }
    }
    const permanent = new Permanent();
    const fn = flaky(2, 'x', (n) => (n === 1 ? new Error('transient') : permanent));
    const shouldRetry = jest.fn((error: unknown, _ctx: { attempt: number; elapsedMs: number }) => !(error instanceof Permanent));
    await expect(retry(fn, { shouldRetry, clock: fakeClock() })).rejects.toBe(permanent);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(shouldRetry.mock.calls.map((c) => c[1])).toEqual([
      { attempt: 1, elapsedMs: 0 },
      { attempt: 2, elapsedMs: expect.any(Number) },
    ]);
  });

  test('async shouldRetry is awaited', async () => {
    const fn = flaky(5, 'x');
    await expect(retry(fn, { shouldRetry: async (_e, { attempt }) => attempt < 2, clock: fakeClock() })).rejects.toThrow('boom 2');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  test('delayFor overrides the computed wait', async () => {
    const clock = fakeClock();
    await retry(flaky(2, 'x'), { clock, jitter: 'none', minDelay: 100, delayFor: (_e, { attempt }) => (attempt === 1 ? 5000 : undefined) });
    expect(clock.sleeps).toEqual([5000, 200]);
  });

  test('maxElapsed: gives up at once when the next wait would pass the deadline', async () => {
    const clock = fakeClock();
    const fn = flaky(10, 'x');
    const error = (await retry(fn, { clock, jitter: 'none', minDelay: 100, maxElapsed: '350ms' }).catch((e: unknown) => e)) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.reason).toBe('deadline');
    expect(error.message).toMatch(/waiting 400ms more would pass maxElapsed 350ms/);
    expect(clock.sleeps).toEqual([100, 200]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  test('maxElapsed: an attempt running at the deadline is aborted', async () => {
    let seen: AbortSignal | undefined;
    const error = (await retry(
      ({ signal }) => {
        seen = signal;
        return new Promise<never>(() => {});
      },
      { maxElapsed: 30 },
    ).catch((e: unknown) => e)) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.reason).toBe('deadline');
    expect(error.cause).toBeInstanceOf(AttemptTimeoutError);
    expect(seen?.aborted).toBe(true);
  });

  test('attemptTimeout aborts the attempt signal and the timeout is retried', async () => {
    const signals: AbortSignal[] = [];
    const result = await retry(
      ({ attempt, signal }) => {
        signals.push(signal);
        return attempt < 3 ? new Promise<never>(() => {}) : Promise.resolve('third');
      },
      { attemptTimeout: 20, minDelay: 1, maxDelay: 1 },
    );
    expect(result).toBe('third');
    expect(signals.map((s) => s.aborted)).toEqual([true, true, false]);
    expect(signals[0]!.reason).toBeInstanceOf(AttemptTimeoutError);
  });

  test('abort during a backoff wait stops at once with an AbortError', async () => {
    const controller = new AbortController();
    const fn = jest.fn(async () => {
      throw new Error('down');
    });
    const started = Date.now();
    const pending = retry(fn, { minDelay: '1h', maxDelay: '1h', jitter: 'none', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  test('abort during an attempt rejects at once even if fn ignores the signal', async () => {
    const controller = new AbortController();
    const pending = retry(() => new Promise<never>(() => {}), { signal: controller.signal });
    controller.abort(new Error('user pressed ctrl-c'));
    const error = await pending.catch((e: unknown) => e);
    expect(hasCode(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toContain('user pressed ctrl-c');
  });

  test('an already aborted signal makes no attempt', async () => {
    const fn = jest.fn(async () => 1);
    await expect(retry(fn, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(fn).not.toHaveBeenCalled();
  });

  test('a synchronous throw in fn counts as a failed attempt', async () => {
    let n = 0;
    const fn = (() => {
      n += 1;
      if (n === 1) throw new Error('sync');
      return Promise.resolve('ok');
    }) as () => Promise<string>;
    await expect(retry(fn, { clock: fakeClock() })).resolves.toBe('ok');
  });

  test.each<[RetryOptions, RegExp]>([
    [{ retries: -1 }, /Expected `retries` to be a non-negative integer, got -1/],
    [{ retries: 1.5 }, /`retries`/],
    [{ factor: 0.5 }, /Expected `factor` to be a number >= 1/],
    [{ jitter: 'random' as never }, /Expected `jitter` to be one of full, equal, decorrelated, none/],
    [{ minDelay: 'soon' }, /`minDelay`/],
    [{ maxDelay: -5 }, /`maxDelay`/],
    [{ minDelay: '2s', maxDelay: '1s' }, /`maxDelay` \(1000ms\) to be at least `minDelay` \(2000ms\)/],
    [{ attemptTimeout: 0 }, /`attemptTimeout`/],
    [{ maxElapsed: 'x' }, /`maxElapsed`/],
  ])('rejects bad option %o', async (options, message) => {
    const fn = jest.fn(async () => 1);
    const error = await retry(fn, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect(fn).not.toHaveBeenCalled();
  });

  test('duration strings are accepted', async () => {
    const clock = fakeClock();
    await retry(flaky(2, 'x'), { clock, jitter: 'none', minDelay: '1.5s', maxDelay: '2s' });
    expect(clock.sleeps).toEqual([1500, 2000]);
  });
});

describe('retry with long timeouts', () => {
  test('an attemptTimeout of 1s or more (shared ticker) still cuts a hung attempt', async () => {
    const fn = jest.fn(() => new Promise<never>(() => {}));
    const error = (await retry(fn, { attemptTimeout: '1s', retries: 0 }).catch((e: unknown) => e)) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.cause).toBeInstanceOf(AttemptTimeoutError);
    expect((error.cause as AttemptTimeoutError).timeoutMs).toBe(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('RetryContext.onStop', () => {
  test('is called with the timeout reason, and at once when registered after the stop', async () => {
    const reasons: unknown[] = [];
    await retry(
      (ctx) => {
        ctx.onStop((reason) => reasons.push(reason));
        return ctx.attempt === 1 ? new Promise<never>(() => {}) : Promise.resolve('ok');
      },
      { attemptTimeout: 20, minDelay: 1, maxDelay: 1 },
    );
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(AttemptTimeoutError);
    const controller = new AbortController();
    controller.abort('stop now');
    const late: unknown[] = [];
    await retry(
      async (ctx) => {
        ctx.onStop((r) => late.push(r));
        return 1;
      },
      { signal: new AbortController().signal },
    );
    expect(late).toEqual([]);
  });
});

describe('retryAfterFirstFailure', () => {
  test.each<[string, number, number[]]>([
    ['continues with attempt 2 and gives the same waits as retry()', 2, [100, 200]],
    ['gives up with every attempt listed, the first one included', 9, [100, 200, 400]],
  ])('%s', async (_name, failures, sleeps) => {
    const options = (clock: RetryClock): RetryOptions => ({ clock, jitter: 'none', minDelay: 100, retries: 3, random: () => 0.5 });
    const viaRetry = fakeClock();
    const plain = await retry(flaky(failures, 'ok', (n) => new Error(`boom ${n}`)), options(viaRetry)).catch((e: unknown) => e);
    const clock = fakeClock();
    const seen: number[] = [];
    const fn = async ({ attempt }: { attempt: number }): Promise<string> => {
      seen.push(attempt);
      if (attempt <= failures) throw new Error(`boom ${attempt}`);
      return 'ok';
    };
    const resumed = await retryAfterFirstFailure(fn, options(clock), new Error('boom 1'), 0).catch((e: unknown) => e);
    expect(clock.sleeps).toEqual(sleeps);
    expect(clock.sleeps).toEqual(viaRetry.sleeps);
    expect(seen).toEqual(Array.from({ length: Math.min(failures, 3) }, (_, i) => i + 2));
    if (resumed instanceof RetryError) {
      expect(plain).toBeInstanceOf(RetryError);
      expect(resumed.attempts.map((a) => (a.error as Error).message)).toEqual((plain as RetryError).attempts.map((a) => (a.error as Error).message));
    } else {
      expect(resumed).toBe(plain);
    }
  });

  test('rethrows a first error shouldRetry rejects without calling fn', async () => {
    const fn = jest.fn(async () => 'ok');
    const usage = new UsageError('bad');
    await expect(retryAfterFirstFailure(fn, { clock: fakeClock() }, usage, 0)).rejects.toBe(usage);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('defaultShouldRetry', () => {
  test.each([
    ['TypeError (a bug)', new TypeError('x is not a function'), false],
    ['RangeError', new RangeError('bad length'), false],
    ['SyntaxError', new SyntaxError('Unexpected token'), false],
    ['fetch failed (TypeError caused by a socket error)', new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }), true],
    ['a plain Error', new Error('boom'), true],
  ])('%s -> %s', (_name, error, expected) => {
    expect(defaultShouldRetry(error)).toBe(expected);
  });

  test('retry() rethrows a programmer error at once, unwrapped', async () => {
    const clock = fakeClock();
    const fn = jest.fn(async () => {
      throw new TypeError('undefined is not a function');
    });
    await expect(retry(fn, { clock })).rejects.toBeInstanceOf(TypeError);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
