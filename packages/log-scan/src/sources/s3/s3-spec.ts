import { UsageError } from '@ops/core';

/** A parsed `s3://bucket/key` or `s3://bucket/prefix/` spec. */
export interface S3Spec {
  readonly bucket: string;
  /** The object key, or the prefix when `isPrefix` (empty: the whole bucket). */
  readonly key: string;
  /** True for `s3://bucket/prefix/` and `s3://bucket`: every object under the prefix. */
  readonly isPrefix: boolean;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket/key`; a key ending in `/` (or none) means every object under that prefix. */
export function parseS3Spec(spec: string): S3Spec {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/s.exec(spec);
  const bucket = match?.[1] ?? '';
  if (!match || !BUCKET.test(bucket)) {
    throw new UsageError(`Expected an S3 source like s3://bucket/key or s3://bucket/prefix/, got ${JSON.stringify(spec)}`);
  }
  const key = match[2] ?? '';
  return { bucket, key, isPrefix: key === '' || key.endsWith('/') };
}

/** The display name of an object: `s3://bucket/key`. */
export function s3Name(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
