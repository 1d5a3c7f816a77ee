import type { Readable } from 'node:stream';
import { SourceError } from '../errors/source-error.js';
import { gunzipIfGzip } from './gunzip-if-gzip.js';
import type { ScanSource } from './scan-source.js';

/** A readable stream (standard input by default) as a source named `-`; gzip is detected and decompressed. */
export function streamSource(stream: Readable = process.stdin, name = '-'): ScanSource {
  async function* raw(signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    let position = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer | string>) {
        if (signal?.aborted) throw signal.reason;
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        position += buf.length;
        yield buf;
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new SourceError(name, position, `read failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return { name, chunks: (signal) => gunzipIfGzip(name, raw(signal), signal) };
}

/** Standard input as a source named `-`. */
export function stdinSource(): ScanSource {
  return streamSource(process.stdin, '-');
}
