import type { Readable } from 'node:stream';

export interface BodyExcerpt {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Reads a response body for an error: keeps the first `keepBytes`, drains the rest up to
 * `drainBytes` so the keep-alive socket can be reused, and destroys the stream past that.
 * Never throws: a body that fails mid-way returns what was read.
 */
export async function readExcerpt(body: Readable, keepBytes: number, drainBytes = Math.max(keepBytes, 1024 * 1024)): Promise<BodyExcerpt> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let seen = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (keptBytes < keepBytes) {
        const part = chunk.subarray(0, keepBytes - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
      if (seen > drainBytes) {
        body.destroy();
        break;
      }
    }
  } catch {
    body.destroy();
  }
  return { text: Buffer.concat(kept).toString('utf8'), truncated: seen > keptBytes };
}

/** Frees a body that will not be read: drained when small (undici `dump()` keeps the socket), never an unhandled 'error'. */
export function discardBody(body: unknown): void {
  const stream = body as (Readable & { dump?: (opts?: { limit: number }) => Promise<void> }) | undefined;
  if (!stream || typeof stream.destroy !== 'function') return;
  // A body read from the socket (`DirectBody`): its connection is not reused, dropping it is all.
  if (typeof stream.on !== 'function') return void stream.destroy();
  stream.on('error', () => {});
  if (typeof stream.dump === 'function') stream.dump({ limit: 128 * 1024 }).catch(() => {});
  else stream.destroy();
}
