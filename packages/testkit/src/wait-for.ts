import { connect } from 'node:net';

export interface WaitForOptions {
  /** Give up after this long. Defaults to 30s. */
  readonly timeoutMs?: number;
  /** Poll interval. Defaults to 50ms. */
  readonly intervalMs?: number;
  /** Stops waiting early, e.g. when the service process exited. */
  readonly failIf?: () => string | undefined;
}

/** Polls `check` until it returns a truthy value; throws naming `what` after the timeout. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, options: WaitForOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    const failure = options.failIf?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

/** Resolves true when a TCP connection to host:port succeeds. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
