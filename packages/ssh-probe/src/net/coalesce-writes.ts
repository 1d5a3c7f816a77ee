import type { Duplex } from 'node:stream';

/**
 * Batches the writes made in one turn of the event loop into one: ssh2 writes each SSH packet on
 * its own, and a key exchange or a channel request sends several at once. Corked until the next
 * tick, they leave in one `writev` (one system call, one TCP segment on loopback) instead of one
 * each. Streams without `cork` (a jump host's channel) are left as they are.
 */
export function coalesceWrites(stream: Duplex): void {
  if (typeof stream.cork !== 'function') return;
  const write = stream.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = function coalescedWrite(this: Duplex, ...args: unknown[]): boolean {
    if (!corked && !stream.destroyed) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(stream, args);
  } as Duplex['write'];
}
