import { once } from 'node:events';

// Bytes gathered before a write: few enough writes, and no giant string.
const BATCH_CHARS = 1 << 16;

/**
 * Writes the text pieces to `out` as they are made, in batches of about 64 KiB, waiting for
 * 'drain' when the stream asks to (a slow terminal or pipe): the whole output is never one string.
 */
export async function writeChunks(out: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const ok = out.write(batch.join(''));
    batch = [];
    size = 0;
    if (!ok) await once(out, 'drain');
  };
  for (const piece of pieces) {
    batch.push(piece);
    size += piece.length;
    if (size >= BATCH_CHARS) await flush();
  }
  await flush();
}

/** Writes `bytes` to `out`, waiting for 'drain' when the stream asks to. */
export async function writeBytes(out: NodeJS.WritableStream, bytes: Uint8Array): Promise<void> {
  if (!out.write(bytes)) await once(out, 'drain');
}

/**
 * Two buffers taken in turns for chunks written to `out`: one can be in a write while the next
 * chunk is made in the other, and a buffer is made again only once its last write is done (a
 * fresh buffer per chunk costs its allocation and its pages' first faults, about 30 ms per
 * 25 MB of output here).
 */
export function bufferRing(out: NodeJS.WritableStream, chunkBytes: number): {
  /** Waits until the next buffer's last write is done. */
  ready(): Promise<void>;
  /** The next buffer (at least `bytes`): call after `ready`. */
  buffer(bytes: number): Buffer;
  /** Writes a chunk of the buffer `buffer` gave, waiting for 'drain' when the stream asks to. */
  write(chunk: Buffer): Promise<void>;
} {
  const slots: Array<{ buffer?: Buffer; written?: Promise<void> }> = [{}, {}];
  let turn = 0;
  return {
    async ready() { await slots[turn]!.written; },
    buffer(bytes) {
      const slot = slots[turn]!;
      if (!slot.buffer || slot.buffer.length < bytes) slot.buffer = Buffer.allocUnsafe(Math.max(bytes, chunkBytes));
      return slot.buffer;
    },
    async write(chunk) {
      const slot = slots[turn]!;
      turn = 1 - turn;
      let ok = true;
      // (Done, or failed: a failed write is the stream's 'error' to report, not this wait's.)
      slot.written = new Promise((resolve) => { ok = out.write(chunk, () => resolve()); });
      if (!ok) await once(out, 'drain');
    },
  };
}
