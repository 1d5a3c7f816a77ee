/**
 * The least undici's `request({ signal })` needs (`aborted`, `reason`, add/removeEventListener):
 * made per attempt so a timed-out or cancelled attempt frees its socket, without the cost of a
 * real AbortSignal on every request.
 */
export class LiteSignal {
  aborted = false;
  reason: unknown;
  private listener: (() => void) | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(): void {
    this.listener = undefined;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.listener?.();
  }
}
