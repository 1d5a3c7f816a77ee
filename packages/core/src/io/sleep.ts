import { setTimeout as delay } from 'node:timers/promises';
import { AbortError } from '../errors/abort-error.js';

/** Waits `ms`; an abort ends the wait at once with an `AbortError`. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (signal?.aborted) throw new AbortError('the wait', signal.reason);
    throw error;
  }
}

/** A signal that aborts when `signal` does or after `timeoutMs`, whichever is first. */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number | undefined): AbortSignal | undefined {
  const signals = [signal, timeoutMs !== undefined && Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined]
    .filter((s): s is AbortSignal => s !== undefined);
  if (signals.length <= 1) return signals[0];
  return AbortSignal.any(signals);
}
