import { once } from 'node:events';
import { WriteStream } from 'node:fs';
import { Socket } from 'node:net';

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
 * Writes chunks made in two areas of memory taken in turns (see JsonRecords.nextIn): one can be
 * in a write while the next chunk is made in the other, and an area is written again only once
 * its last write is done. The chunks are written as they are when `out` is done with a chunk by
 * the time it calls back (a file, a terminal, a pipe or a socket: the bytes are with the system,
 * and no copy is made), else copied (a stream may keep the chunk it was given).
 */
export function areaWrites(out: NodeJS.WritableStream): {
  /** Waits until the last write of `area` is done. */
  ready(area: 0 | 1): Promise<void>;
  /** Waits until every write is done. */
  idle(): Promise<void>;
  /** Writes a chunk made in `area`, waiting for 'drain' when the stream asks to. */
  write(area: 0 | 1, chunk: Buffer): Promise<void>;
} {
  const written: Array<Promise<void> | undefined> = [undefined, undefined];
  const direct = handsOver(out);
  return {
    async ready(area) { await written[area]; },
    async idle() { await Promise.all(written); },
    async write(area, chunk) {
      let ok = true;
      // (Done, or failed: a failed write is the stream's 'error' to report, not this wait's.)
      written[area] = new Promise((resolve) => { ok = out.write(direct ? chunk : Buffer.from(chunk), () => resolve()); });
      if (!ok) await once(out, 'drain');
    },
  };
}

// Whether `out` has handed a chunk to the system when it calls back: process.stdout and stderr
// (a file, a terminal, a pipe), sockets, file streams.
function handsOver(out: NodeJS.WritableStream): boolean {
  return out === process.stdout || out === process.stderr || out instanceof Socket || out instanceof WriteStream;
}
