import { HeadObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { AbortError } from '@ops/core';
import { SourceNotFoundError } from '../../errors/source-error.js';
import type { ScanSource } from '../scan-source.js';
import { createS3Client } from './s3-client.js';
import { s3SourceError, s3Status } from './s3-errors.js';
import { s3ObjectSource, type S3ClientLease } from './s3-object-source.js';
import { resolveS3Options, type S3SourceOptions } from './s3-read-options.js';
import { parseS3Spec } from './s3-spec.js';

/**
 * The objects an `s3://bucket/key` or `s3://bucket/prefix/` spec names, as scan sources in key
 * order. A key that does not exist but is a "directory" (objects under `key/`) reads those.
 * Throws `SourceNotFoundError` (exit 2) for a missing bucket, key or empty prefix and
 * `SourceError` (exit 3) when S3 cannot be reached.
 */
export async function s3Sources(spec: string, options: S3SourceOptions = {}): Promise<ScanSource[]> {
  const o = resolveS3Options(options);
  const { bucket, key, isPrefix } = parseS3Spec(spec);
  const lease = clientLease(o.client);
  const client = await lease.acquire();
  try {
    if (!isPrefix) {
      const size = await headSize(client, bucket, key, o.signal).catch((error: unknown) => {
        if (o.signal?.aborted) throw new AbortError(`reading ${spec}`, o.signal.reason);
        if (s3Status(error) === 404 || (error as { name?: string })?.name === 'NotFound') return undefined;
        throw s3SourceError(spec, 0, error, bucket);
      });
      if (size !== undefined) return [s3ObjectSource(lease, bucket, key, size, o)];
      const under = await list(client, bucket, `${key}/`, spec, o.pageSize, o.signal);
      if (under.length === 0) throw new SourceNotFoundError(spec, `no object ${key} in bucket ${bucket}`, { hint: 'check the key (aws s3 ls s3://bucket/prefix/), the region and AWS_ENDPOINT_URL' });
      return under.map((obj) => s3ObjectSource(lease, bucket, obj.key, obj.size, o));
    }
    const objects = await list(client, bucket, key, spec, o.pageSize, o.signal);
    if (objects.length === 0) throw new SourceNotFoundError(spec, key ? `no object under the prefix ${key}` : `bucket ${bucket} is empty`);
    return objects.map((obj) => s3ObjectSource(lease, bucket, obj.key, obj.size, o));
  } finally {
    lease.release();
  }
}

async function headSize(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<number> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  return head.ContentLength ?? 0;
}

async function list(client: S3Client, bucket: string, prefix: string, spec: string, pageSize: number, signal?: AbortSignal): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client, pageSize }, { Bucket: bucket, Prefix: prefix || undefined }, { abortSignal: signal })) {
      for (const obj of page.Contents ?? []) {
        if (obj.Key && !(obj.Key.endsWith('/') && !obj.Size)) out.push({ key: obj.Key, size: obj.Size ?? 0 });
      }
    }
  } catch (error) {
    if (signal?.aborted) throw new AbortError(`listing ${spec}`, signal.reason);
    throw s3SourceError(spec, 0, error, bucket);
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Shares one client between the sources of a spec. A client made here is destroyed when no
 * read uses it (so idle sockets do not keep the process alive) and made again on demand; a
 * caller's client is never destroyed.
 */
function clientLease(given: S3Client | undefined): S3ClientLease {
  let client: Promise<S3Client> | undefined;
  let users = 0;
  return {
    acquire() {
      users++;
      if (given) return Promise.resolve(given);
      client ??= createS3Client();
      return client;
    },
    release() {
      users--;
      if (users === 0 && client && !given) {
        const done = client;
        client = undefined;
        void done.then((c) => c.destroy(), () => undefined);
      }
    },
  };
}
