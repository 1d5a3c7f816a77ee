import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../errors/source-error.js';

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Passes the chunks through, or decompresses them when the first chunk starts with the gzip
 * magic number (several concatenated members included). Corrupt or truncated gzip data
 * becomes a `SourceError` at the decompressed byte reached, everything before it delivered.
 */
export async function* gunzipIfGzip(name: string, input: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  if (!isGzipMagic(first.value)) {
    yield first.value;
    yield* rest;
    return;
  }
  async function* all() { yield first.value; yield* rest; }
  const gunzip = Readable.from(all(), { objectMode: false }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  let delivered = 0;
  try {
    for await (const chunk of gunzip.iterator({ destroyOnReturn: true }) as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw signal.reason;
      delivered += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (error instanceof SourceError || signal?.aborted) throw error;
    const code = (error as { code?: string }).code;
    const what = code === 'Z_BUF_ERROR' ? 'gzip data is truncated (unexpected end of file)' : `gzip data is corrupt (${(error as Error).message})`;
    throw new SourceError(name, delivered, what, { cause: error, hint: 'the lines before this point were counted; re-copy or re-compress the file' });
  }
}
