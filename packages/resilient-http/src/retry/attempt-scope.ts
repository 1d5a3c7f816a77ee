import { AbortError } from '@ops/core';
import { startTimer } from './coarse-timer.js';
import { AttemptTimeoutError } from './retry-error.js';

const NEVER_ABORTED = new AbortController().signal;

/** The signal of one attempt and a way to stop waiting for it when that signal fires. */
export interface AttemptScope {
  readonly signal: AbortSignal;
  /** Why the attempt was cut short by a timer, if it was. */
  readonly expired: 'attempt' | 'deadline' | undefined;
  /** Settles with `promise`, or rejects at once when the attempt is aborted or times out. */
  run<T>(promise: Promise<T>): Promise<T>;
  dispose(): void;
}

export interface AttemptScopeInput {
  readonly attempt: number;
  readonly outer: AbortSignal | undefined;
  readonly timeoutMs: number | undefined;
  readonly deadlineInMs: number | undefined;
  readonly describe: () => string;
}

/**
 * Builds the signal handed to one attempt: aborted by the caller's signal, by `attemptTimeout`
 * or by the `maxElapsed` deadline. With none of them it costs nothing (a shared idle signal).
 */
export function attemptScope(input: AttemptScopeInput): AttemptScope {
  const { outer, timeoutMs, deadlineInMs, attempt } = input;
  if (!outer && timeoutMs === undefined && deadlineInMs === undefined) {
    return { signal: NEVER_ABORTED, expired: undefined, run: (p) => p, dispose: () => {} };
  }
  // The AbortController is made only when someone reads `signal`: creating an AbortSignal costs
  // several µs on Node 20, more than the rest of an attempt's bookkeeping.
  let controller: AbortController | undefined;
  let aborted = false;
  let abortReason: unknown;
  const abort = (reason: unknown): void => {
    aborted = true;
    abortReason = reason;
    controller?.abort(reason);
  };
  // Set while `run` waits: a timeout or an abort rejects the attempt at once.
  let rejectRun: ((error: unknown) => void) | undefined;
  let stopError: unknown;
  const stopWith = (error: unknown): void => {
    stopError ??= error;
    rejectRun?.(error);
  };
  let expired: 'attempt' | 'deadline' | undefined;
  const limit = Math.max(0, Math.min(timeoutMs ?? Infinity, deadlineInMs ?? Infinity));
  const cancelTimer = Number.isFinite(limit)
    ? startTimer(limit, () => {
        expired = timeoutMs !== undefined && timeoutMs <= (deadlineInMs ?? Infinity) ? 'attempt' : 'deadline';
        const error = new AttemptTimeoutError(attempt, limit, expired === 'deadline');
        abort(error);
        stopWith(error);
      })
    : undefined;
  const onAbort = (): void => {
    abort(outer?.reason);
    stopWith(new AbortError(input.describe(), outer?.reason));
  };
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (aborted) controller.abort(abortReason);
      }
      return controller.signal;
    },
    get expired() {
      return expired;
    },
    run: <T>(promise: Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        if (stopError !== undefined) {
          promise.catch(() => {});
          reject(stopError);
          return;
        }
        rejectRun = reject;
        promise.then(resolve, reject);
      }),
    dispose: () => {
      cancelTimer?.();
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
