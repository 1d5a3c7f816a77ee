import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isRetryableS3Error } from './s3-errors.js';
import type { ResolvedS3Options } from './s3-read-options.js';

/** The server sent fewer bytes than the range asked for (the connection was cut). */
class ShortReadError extends Error {
  override readonly name = 'ShortReadError';
}

export interface PartRequest {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** First byte of the part. */
  readonly start: number;
  /** Last byte of the part (inclusive). */
  readonly end: number;
  readonly signal: AbortSignal;
}

/**
 * Reads bytes `start..end` of an object with ranged GETs. When the body breaks off (connection
 * dropped, timeout, 5xx) the next attempt asks only for the bytes not read yet, so nothing is
 * read twice and nothing is lost.
 */
export async function readPart(req: PartRequest, options: ResolvedS3Options): Promise<Buffer> {
  const total = req.end - req.start + 1;
  const pieces: Buffer[] = [];
  let got = 0;
  const name = `s3://${req.bucket}/${req.key}`;
  // (An import() here: the bundled command, dist/cli.cjs, is CommonJS and @ops/resilient-http ESM.)
  const { retry } = await import('@ops/resilient-http');
  await retry(
    async ({ signal }) => {
      const from = req.start + got;
      const res = await req.client.send(new GetObjectCommand({ Bucket: req.bucket, Key: req.key, Range: `bytes=${from}-${req.end}` }), { abortSignal: signal });
      const body = res.Body as AsyncIterable<Uint8Array> | undefined;
      if (body) {
        for await (const chunk of body) {
          const take = Math.min(chunk.byteLength, total - got);
          pieces.push(Buffer.from(chunk.buffer, chunk.byteOffset, take));
          got += take;
          if (got === total) break;
        }
      }
      if (got < total) throw new ShortReadError(`${name}: the body ended at byte ${req.start + got} of the range ${req.start}-${req.end}`);
    },
    {
      retries: options.retries,
      minDelay: options.minDelayMs,
      maxDelay: options.maxDelayMs,
      jitter: 'full',
      signal: req.signal,
      shouldRetry: isRetryableS3Error,
      description: `GET ${name} bytes ${req.start}-${req.end}`,
      onRetry: (info) =>
        options.logger?.warn('S3 read interrupted, resuming from the last byte read', {
          source: name,
          resumeAt: req.start + got,
          attempt: info.attempt,
          delayMs: info.delayMs,
          error: info.error instanceof Error ? info.error.message : String(info.error),
        }),
    },
  );
  return Buffer.concat(pieces, got);
}
