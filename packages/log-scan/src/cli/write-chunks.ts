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
