import type { S3Client } from '@aws-sdk/client-s3';
import { checkIntegerOption, type Logger } from '@ops/core';

/** Options of the S3 sources (`s3Sources`, `s3ObjectSource`). */
export interface S3SourceOptions {
  /** Client to use (the caller owns it). Defaults to one configured from the environment (`createS3Client`). */
  readonly client?: S3Client;
  /** Bytes per ranged GET; each part is held in memory once. Defaults to 8 MiB. */
  readonly partSizeBytes?: number;
  /** Ranged GETs in flight per object; memory stays under `(concurrency + 1) * partSizeBytes`. Defaults to 4. */
  readonly concurrency?: number;
  /** Retries of one part after a dropped connection, a timeout or a 5xx; each resumes from the last byte read. Defaults to 5. */
  readonly retries?: number;
  /** Keys per ListObjectsV2 page when listing a prefix. Defaults to 1000. */
  readonly pageSize?: number;
  /** First retry delay in ms (then doubling, full jitter). Defaults to 200. */
  readonly minDelayMs?: number;
  /** Cap of one retry delay in ms. Defaults to 5000. */
  readonly maxDelayMs?: number;
  /** Where retries are logged (warn). Defaults to none. */
  readonly logger?: Logger;
  /** Cancels listing and reads. Defaults to none. */
  readonly signal?: AbortSignal;
}

export const S3_DEFAULTS = {
  partSizeBytes: 8 * 1024 * 1024,
  concurrency: 4,
  retries: 5,
  pageSize: 1000,
  minDelayMs: 200,
  maxDelayMs: 5000,
} as const;

export type ResolvedS3Options = Omit<S3SourceOptions, keyof typeof S3_DEFAULTS> & { readonly [K in keyof typeof S3_DEFAULTS]: number };

/** Merges the defaults and validates, naming the bad option. */
export function resolveS3Options(options: S3SourceOptions = {}): ResolvedS3Options {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as S3SourceOptions;
  const o = { ...S3_DEFAULTS, ...defined };
  const positive = (name: keyof typeof S3_DEFAULTS, min: number) => checkIntegerOption(o[name], name, { min });
  positive('partSizeBytes', 1);
  positive('concurrency', 1);
  positive('retries', 0);
  positive('pageSize', 1);
  positive('minDelayMs', 0);
  positive('maxDelayMs', 0);
  return o;
}
