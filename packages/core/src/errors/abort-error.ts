import { OpsError } from './ops-error.js';

/** The operation was cancelled through its `AbortSignal` (Ctrl-C, SIGTERM, a deadline). */
export class AbortError extends OpsError<'ABORTED'> {
  constructor(what = 'the operation', reason?: unknown) {
    super('ABORTED', `${what} was cancelled${reasonText(reason)}`, { cause: reason });
  }
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error && reason.name !== 'AbortError') return `: ${reason.message}`;
  if (typeof reason === 'string') return `: ${reason}`;
  return '';
}

/** Throws an `AbortError` when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new AbortError(what, signal.reason);
}
