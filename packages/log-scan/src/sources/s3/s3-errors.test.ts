import { isRetryableS3Error, s3SourceError } from './s3-errors.js';

const sdk = (name: string, status?: number) => Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });

describe('S3 error mapping', () => {
  test.each([
    [sdk('NoSuchBucket', 404), 'LOG_SCAN_SOURCE_NOT_FOUND', 2, /bucket logs does not exist/],
    [sdk('NoSuchKey', 404), 'LOG_SCAN_SOURCE_NOT_FOUND', 2, /no such object/],
    [sdk('NotFound', 404), 'LOG_SCAN_SOURCE_NOT_FOUND', 2, /no such object/],
    [sdk('AccessDenied', 403), 'LOG_SCAN_SOURCE_FAILED', 3, /access denied \(AccessDenied\) \(at byte 7\)/],
    [sdk('InternalError', 500), 'LOG_SCAN_SOURCE_FAILED', 3, /HTTP 500/],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'LOG_SCAN_SOURCE_FAILED', 3, /unreachable: connect ECONNREFUSED/],
  ])('%s -> %s (exit %d)', (error, code, exitCode, message) => {
    const mapped = s3SourceError('s3://logs/k', 7, error, 'logs');
    expect(mapped).toMatchObject({ code, exitCode });
    expect(mapped.message).toMatch(message);
    expect(mapped.message).toContain('s3://logs/k');
  });

  test.each([
    [sdk('InternalError', 500), true],
    [sdk('SlowDown', 503), true],
    [sdk('Throttled', 429), true],
    [new Error('socket hang up'), true],
    [sdk('NoSuchKey', 404), false],
    [sdk('AccessDenied', 403), false],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), false],
  ])('retryable(%s) = %s', (error, expected) => {
    expect(isRetryableS3Error(error)).toBe(expected);
  });
});
