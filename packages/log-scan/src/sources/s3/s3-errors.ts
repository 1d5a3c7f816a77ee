import { messageOf } from '@ops/core';
import { SourceError, SourceNotFoundError } from '../../errors/source-error.js';

interface SdkErrorShape {
  readonly name?: string;
  readonly Code?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const NOT_FOUND = new Set(['NoSuchBucket', 'NoSuchKey', 'NotFound']);
const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'ExpiredToken', 'InvalidToken']);

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/** HTTP status of an SDK error, or undefined for network errors. */
export function s3Status(error: unknown): number | undefined {
  return shape(error).$metadata?.httpStatusCode;
}

/** True for errors worth another attempt: network failures, timeouts, 5xx, throttling, short reads. */
export function isRetryableS3Error(error: unknown): boolean {
  const e = shape(error);
  if (e.name === 'AbortError' || (e as { code?: string }).code === 'ABORTED') return false;
  const status = s3Status(error);
  if (status === undefined) return true;
  return status >= 500 || status === 429 || status === 408 || e.name === 'SlowDown';
}

/**
 * Turns an S3 SDK error into a log-scan error naming the source: a missing bucket or key is
 * `SourceNotFoundError` (exit 2); anything else (unreachable endpoint, denied, 5xx after
 * retries) is `SourceError` (exit 3) at `byteOffset`.
 */
export function s3SourceError(source: string, byteOffset: number, error: unknown, bucket: string): SourceError | SourceNotFoundError {
  const exhausted = (error as { code?: string })?.code === 'HTTP_RETRY_EXHAUSTED';
  const root = exhausted && (error as { cause?: unknown }).cause !== undefined ? (error as { cause: unknown }).cause : error;
  const e = shape(root);
  const name = e.name ?? e.Code ?? '';
  const status = s3Status(root);
  if (NOT_FOUND.has(name) || status === 404) {
    const what = name === 'NoSuchBucket' ? `bucket ${bucket} does not exist` : 'no such object';
    return new SourceNotFoundError(source, what, { cause: error, hint: 'check the bucket and key (aws s3 ls), the region and AWS_ENDPOINT_URL' });
  }
  if (DENIED.has(name) || status === 403) {
    return new SourceError(source, byteOffset, `access denied (${name || status})`, {
      cause: error,
      hint: 'check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE) and the bucket policy',
    });
  }
  // After retries the RetryError's message says which range failed how many times.
  const detail =
    status !== undefined ? `S3 request failed with HTTP ${status}: ${name || messageOf(root)}` : exhausted ? messageOf(error) : `S3 endpoint unreachable: ${messageOf(root)}`;
  return new SourceError(source, byteOffset, detail, { cause: error, hint: 'check the network, AWS_ENDPOINT_URL and the region, then rerun' });
}
