import { AbortError, formatDuration, hasCode } from '@ops/core';
import { attemptScope, idleContext } from './attempt-scope.js';
import { backoffDelay } from './backoff.js';
import { RetryError, type AttemptRecord } from './retry-error.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryContext, type RetryOptions } from './retry-options.js';

/**
 * Calls `fn` until it resolves, waiting an exponential, jittered backoff between attempts.
 * An error `shouldRetry` rejects is rethrown as is; giving up after retryable failures (no
 * retries left, or `maxElapsed` reached) throws a `RetryError` whose `cause` is the last error.
 * Aborting `signal` stops an attempt or a wait at once with an `AbortError`.
 */
export function retry<T>(fn: (ctx: RetryContext) => Promise<T>, options?: RetryOptions): Promise<T> {
  // Not `async`: one promise less per call. Bad options still reject rather than throw.
  let o: ResolvedRetryOptions;
  let start: number;
  try {
    o = options === undefined ? (defaults ??= resolveRetryOptions()) : resolveRetryOptions(options);
    start = o.clock.now();
  } catch (error) {
    return Promise.reject(error);
  }
  if (o.signal || o.attemptTimeoutMs !== undefined || o.maxElapsedMs !== undefined) return loop(fn, o, start, NO_ERROR);
  // Nothing can cut attempt 1 short: it runs bare, and the loop (its records, scopes, timers) is
  // built only if it fails. An immediately resolving call costs one `then`.
  let first: Promise<T>;
  try {
    first = fn(FIRST_ATTEMPT);
  } catch (error) {
    return loop(fn, o, start, error);
  }
  const resolved = o;
  return (first instanceof Promise ? first : Promise.resolve(first)).then(undefined, (error: unknown) => loop(fn, resolved, start, error));
}

/** `retry()` without options resolves them once. */
let defaults: ResolvedRetryOptions | undefined;
/** What attempt 1 receives when nothing can abort it: shared, it holds no state. */
const FIRST_ATTEMPT = idleContext(1);

/**
 * Continues `retry()` after a first attempt the caller made itself (a fast path that builds no
 * retry machinery until something fails): `firstError` is how attempt 1, started at `start` on
 * the options' clock, failed. The outcome is what `retry()` would have given for the same attempts.
 */
export async function retryAfterFirstFailure<T>(fn: (ctx: RetryContext) => Promise<T>, options: RetryOptions | undefined, firstError: unknown, start: number): Promise<T> {
  return loop(fn, resolveRetryOptions(options), start, firstError);
}

const NO_ERROR = Symbol('no error');

async function loop<T>(fn: (ctx: RetryContext) => Promise<T>, o: ResolvedRetryOptions, start: number, firstError: unknown): Promise<T> {
  const { clock } = o;
  const attempts: AttemptRecord[] = [];
  let previousDelayMs = o.minDelayMs;
  for (let attempt = 1; ; attempt++) {
    let error: unknown;
    let expired: 'attempt' | 'deadline' | undefined;
    if (attempt === 1 && firstError !== NO_ERROR) {
      error = firstError;
    } else {
      if (o.signal?.aborted) throw new AbortError(o.describe(), o.signal.reason);
      const deadlineInMs = o.maxElapsedMs === undefined ? undefined : o.maxElapsedMs - (clock.now() - start);
      const scope = attemptScope({ attempt, outer: o.signal, timeoutMs: o.attemptTimeoutMs, deadlineInMs, describe: o.describe });
      try {
        return await scope.run(invoke(fn, scope.context));
      } catch (e) {
        error = e;
      } finally {
        scope.dispose();
      }
      expired = scope.expired;
    }
    const elapsedMs = Math.round(clock.now() - start);
    if (o.signal?.aborted) throw hasCode(error, 'ABORTED') ? error : new AbortError(o.describe(), o.signal.reason);
    if (expired === 'deadline') {
      attempts.push({ attempt, error, delayMs: 0, elapsedMs });
      throw new RetryError(attempts, 'deadline', o.describe(), `maxElapsed ${formatDuration(o.maxElapsedMs ?? 0)}`);
    }
    if (!(await o.shouldRetry(error, { attempt, elapsedMs }))) throw error;
    if (attempt > o.retries) {
      attempts.push({ attempt, error, delayMs: 0, elapsedMs });
      throw new RetryError(attempts, 'retries', o.describe());
    }
    const computed = backoffDelay({ attempt, minDelayMs: o.minDelayMs, maxDelayMs: o.maxDelayMs, factor: o.factor, jitter: o.jitter, previousDelayMs, random: o.random });
    previousDelayMs = computed;
    const delayMs = Math.max(0, Math.round(o.delayFor?.(error, { attempt, delayMs: computed }) ?? computed));
    if (o.maxElapsedMs !== undefined && elapsedMs + delayMs >= o.maxElapsedMs) {
      attempts.push({ attempt, error, delayMs: 0, elapsedMs });
      throw new RetryError(attempts, 'deadline', o.describe(), `waiting ${formatDuration(delayMs)} more would pass maxElapsed ${formatDuration(o.maxElapsedMs)}`);
    }
    const info = { attempt, error, delayMs, elapsedMs };
    attempts.push(info);
    o.onRetry?.(info);
    await clock.sleep(delayMs, o.signal);
  }
}

function invoke<T>(fn: (ctx: RetryContext) => Promise<T>, ctx: RetryContext): Promise<T> {
  try {
    return fn(ctx);
  } catch (error) {
    return Promise.reject(error);
  }
}
