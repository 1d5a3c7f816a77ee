/** Buffers for the reads of large files, given back once written. */
export interface ChunkPool {
  /** A buffer of `size` bytes: a released one, else a new one. */
  take(): Buffer;
  /** Gives back a buffer from `take()` (or a view of one) that nothing references any more; others are ignored. */
  release(chunk: Buffer): void;
}

/**
 * A few buffers reused for the reads of large files. Sending 700 MB in fresh 1 MiB buffers
 * leaves them to the garbage collector, which lets tens of MB of them pile up (V8 collects
 * external memory in steps of 64 MB); with the upload releasing each chunk once the socket has
 * taken it, the same few buffers go round. A chunk never released is simply garbage.
 */
export function createChunkPool(size: number, keep = 8): ChunkPool {
  const owned = new WeakMap<ArrayBufferLike, Buffer>();
  const free: Buffer[] = [];
  return {
    take() {
      const reused = free.pop();
      if (reused) return reused;
      const chunk = Buffer.allocUnsafeSlow(size);
      owned.set(chunk.buffer, chunk);
      return chunk;
    },
    release(chunk) {
      const whole = owned.get(chunk.buffer);
      if (whole && free.length < keep && !free.includes(whole)) free.push(whole);
    },
  };
}
