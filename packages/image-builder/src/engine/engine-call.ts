import type { Engine } from './create-engine.js';
import { AbortError } from '@ops/core';
import { EngineTimeoutError } from '../errors/environment-error.js';
import { asEngineError, engineAddress } from './create-engine.js';

export interface EngineCallOptions {
  /** Longest wait for the engine's answer (connect and response headers), in ms. */
  readonly timeoutMs: number;
  /** Cancels the call. */
  readonly signal?: AbortSignal;
  /** Start the deadline only once this settles (a request body being uploaded: a big build context). Defaults to now. */
  readonly startAfter?: Promise<unknown>;
}

/**
 * Runs one Engine API call with its own deadline (from `startAfter`, else now): `fn` gets a signal that aborts when the outer
 * signal does or when the engine has not answered within `timeoutMs` (an engine that accepts and
 * never answers), which ends in `EngineTimeoutError` naming `what`. The deadline stops once `fn`
 * resolves (a stream it returned keeps the signal; stalls are the stream guard's job).
 */
export async function engineCall<T>(docker: Engine, what: string, options: EngineCallOptions, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const outer = options.signal;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) throw new AbortError(what, outer.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const arm = () => {
    if (settled) return;
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`${what}: no answer within ${options.timeoutMs}ms`));
    }, options.timeoutMs);
  };
  if (options.startAfter) options.startAfter.then(arm, arm);
  else arm();
  // Settles on abort even when `fn` does not listen to its signal.
  let onLocalAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onLocalAbort = () => reject(controller.signal.reason);
    controller.signal.addEventListener('abort', onLocalAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([fn(controller.signal), aborted]);
  } catch (error) {
    if (timedOut) throw new EngineTimeoutError(`the Docker engine at ${engineAddress(docker)} did not answer ${what} within ${options.timeoutMs}ms`, { cause: error, context: { waitedFor: what } });
    if (outer?.aborted) throw new AbortError(what, outer.reason);
    throw asEngineError(error, docker);
  } finally {
    settled = true;
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
    controller.signal.removeEventListener('abort', onLocalAbort!);
  }
}

/** What `watchStall` returns: call `touch()` for every chunk read and `stop()` when done. */
export interface StallWatch {
  touch(): void;
  stop(): void;
}

/**
 * Destroys `stream` with `onStall()`'s error when `touch()` is not called for `ms` (a daemon or
 * registry that stopped talking); the reader's loop then throws that error. Does nothing when
 * `ms` is undefined.
 */
export function watchStall(stream: { destroy(error?: Error): unknown }, ms: number | undefined, onStall: () => Error): StallWatch {
  if (ms === undefined) return { touch: () => undefined, stop: () => undefined };
  let last = Date.now();
  // One timer re-armed for the time left, not one per chunk (a build may stream 100k lines).
  let timer = setTimeout(function check() {
    const idle = Date.now() - last;
    if (idle >= ms) stream.destroy(onStall());
    else timer = setTimeout(check, ms - idle);
  }, ms);
  return {
    touch: () => {
      last = Date.now();
    },
    stop: () => clearTimeout(timer),
  };
}
