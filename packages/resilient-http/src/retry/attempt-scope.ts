import { AbortError } from '@ops/core';
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
  readonly description: string;
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
  const controller = new AbortController();
  let rejectStop: (error: unknown) => void = () => {};
  const stop = new Promise<never>((_, reject) => (rejectStop = reject));
  stop.catch(() => {});
  let expired: 'attempt' | 'deadline' | undefined;
  const limit = Math.max(0, Math.min(timeoutMs ?? Infinity, deadlineInMs ?? Infinity));
  const timer = Number.isFinite(limit)
    ? setTimeout(() => {
        expired = timeoutMs !== undefined && timeoutMs <= (deadlineInMs ?? Infinity) ? 'attempt' : 'deadline';
        const error = new AttemptTimeoutError(attempt, limit, expired === 'deadline');
        controller.abort(error);
        rejectStop(error);
      }, limit)
    : undefined;
  const onAbort = (): void => {
    controller.abort(outer?.reason);
    rejectStop(new AbortError(input.description, outer?.reason));
  };
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    run: (promise) => {
      promise.catch(() => {});
      return Promise.race([promise, stop]);
    },
    dispose: () => {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
