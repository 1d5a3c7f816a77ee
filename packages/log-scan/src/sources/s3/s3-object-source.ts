import type { S3Client } from '@aws-sdk/client-s3';
import { AbortError } from '@ops/core';
import { gunzipIfGzip } from '../gunzip-if-gzip.js';
import type { ScanSource } from '../scan-source.js';
import { s3SourceError } from './s3-errors.js';
import { readPart } from './s3-read-part.js';
import { resolveS3Options, type S3SourceOptions } from './s3-read-options.js';
import { s3Name } from './s3-spec.js';

/** Lends an S3 client to reads; `release` after each use. */
export interface S3ClientLease {
  acquire(): Promise<S3Client>;
  release(): void;
}

/**
 * One S3 object as a scan source. The object is read as consecutive parts with up to
 * `concurrency` ranged GETs in flight; parts are yielded in order, so memory stays bounded
 * whatever the object size. gzip objects (by magic bytes) are decompressed. A failure names
 * the object and the bytes already yielded.
 */
export function s3ObjectSource(lease: S3ClientLease, bucket: string, key: string, size: number, options: S3SourceOptions = {}): ScanSource {
  const o = resolveS3Options(options);
  const name = s3Name(bucket, key);
  async function* raw(signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    if (size === 0) return;
    const outer = signal ?? o.signal;
    const inner = new AbortController();
    const onAbort = () => inner.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    const client = lease.acquire();
    const parts = Math.ceil(size / o.partSizeBytes);
    const inflight: Promise<Buffer>[] = [];
    let next = 0;
    let yielded = 0;
    const launch = () => {
      const start = next * o.partSizeBytes;
      next++;
      const part = client.then((c) => readPart({ client: c, bucket, key, start, end: Math.min(size, start + o.partSizeBytes) - 1, signal: inner.signal }, o));
      part.catch(() => undefined); // observed when its turn comes
      inflight.push(part);
    };
    try {
      while (inflight.length < o.concurrency && next < parts) launch();
      while (inflight.length > 0) {
        let buf: Buffer;
        try {
          buf = await inflight.shift()!;
        } catch (error) {
          if (outer?.aborted) throw new AbortError(`reading ${name}`, outer.reason);
          throw s3SourceError(name, yielded, error, bucket);
        }
        if (next < parts) launch();
        yield buf;
        yielded += buf.length;
      }
    } finally {
      inner.abort();
      outer?.removeEventListener('abort', onAbort);
      lease.release();
    }
  }
  // gzip is detected by its magic bytes; a `.gz` object's stored size says nothing of its lines.
  return { name, size: /\.gz(?:ip)?$/i.test(key) ? undefined : size, chunks: (signal) => gunzipIfGzip(name, raw(signal), signal) };
}
