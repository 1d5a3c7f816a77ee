import { AbortError } from '@ops/core';
import { startTimer } from './coarse-timer.js';
import { AttemptTimeoutError } from './retry-error.js';
import type { RetryContext } from './retry-options.js';

const NEVER_ABORTED = new AbortController().signal;

/** The signal of one attempt and a way to stop waiting for it when that signal fires. */
export interface AttemptScope {
  /** What `fn` receives: the attempt number and a signal made on first read. */
  readonly context: RetryContext;
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
 * Builds the scope of one attempt: its signal is aborted by the caller's signal, by
 * `attemptTimeout` or by the `maxElapsed` deadline. With none of them it costs nothing.
 */
export function attemptScope(input: AttemptScopeInput): AttemptScope {
  if (!input.outer && input.timeoutMs === undefined && input.deadlineInMs === undefined) return new IdleScope(input.attempt);
  return new Scope(input);
}

/** The context of an attempt nothing can abort: its signal never fires. */
export function idleContext(attempt: number): RetryContext {
  return new IdleScope(attempt);
}

class IdleScope implements AttemptScope, RetryContext {
  readonly expired = undefined;
  constructor(readonly attempt: number) {}
  get context(): RetryContext {
    return this;
  }
  get signal(): AbortSignal {
    return NEVER_ABORTED;
  }
  onStop(): () => void {
    return noop;
  }
  run<T>(promise: Promise<T>): Promise<T> {
    return promise;
  }
  dispose(): void {}
}

const noop = (): void => {};

// A class, not closures and an object literal with getters: one is made per attempt, on the hot
// path. The AbortController is made only when someone reads `signal`: creating an AbortSignal
// costs several µs on Node 20, more than the rest of an attempt's bookkeeping.
class Scope implements AttemptScope, RetryContext {
  readonly attempt: number;
  expired: 'attempt' | 'deadline' | undefined;
  private controller: AbortController | undefined;
  private aborted = false;
  private abortReason: unknown;
  private stopError: unknown;
  private rejectRun: ((error: unknown) => void) | undefined;
  private listener: ((reason: unknown) => void) | undefined;
  private moreListeners: Array<(reason: unknown) => void> | undefined;
  private readonly cancelTimer: (() => void) | undefined;
  private readonly onAbort: (() => void) | undefined;

  constructor(private readonly input: AttemptScopeInput) {
    const { outer, timeoutMs, deadlineInMs } = input;
    this.attempt = input.attempt;
    const limit = Math.max(0, Math.min(timeoutMs ?? Infinity, deadlineInMs ?? Infinity));
    if (Number.isFinite(limit)) {
      const byDeadline = !(timeoutMs !== undefined && timeoutMs <= (deadlineInMs ?? Infinity));
      this.cancelTimer = startTimer(limit, () => {
        this.expired = byDeadline ? 'deadline' : 'attempt';
        this.stop(new AttemptTimeoutError(this.attempt, limit, byDeadline, input.describe()));
      });
    }
    if (outer) {
      this.onAbort = () => this.stop(outer.reason, new AbortError(input.describe(), outer.reason));
      if (outer.aborted) this.onAbort();
      else outer.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  get context(): RetryContext {
    return this;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  onStop(listener: (reason: unknown) => void): () => void {
    if (this.aborted) {
      listener(this.abortReason);
      return noop;
    }
    if (this.listener) (this.moreListeners ??= []).push(listener);
    else this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = undefined;
      else this.moreListeners = this.moreListeners?.filter((l) => l !== listener);
    };
  }

  run<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.stopError !== undefined) {
        promise.catch(() => {});
        reject(this.stopError);
        return;
      }
      this.rejectRun = reject;
      promise.then(resolve, reject);
    });
  }

  dispose(): void {
    this.cancelTimer?.();
    if (this.onAbort) this.input.outer?.removeEventListener('abort', this.onAbort);
  }

  /** Aborts the signal with `reason` and rejects the pending `run` with `error`. */
  private stop(reason: unknown, error: unknown = reason): void {
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const { listener, moreListeners } = this;
    this.listener = this.moreListeners = undefined;
    listener?.(reason);
    for (const l of moreListeners ?? []) l(reason);
    this.stopError ??= error;
    this.rejectRun?.(this.stopError);
  }
}
