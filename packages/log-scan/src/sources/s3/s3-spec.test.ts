import { parseS3Spec } from './s3-spec.js';

describe('parseS3Spec', () => {
  test.each([
    ['s3://logs/auth.log', { bucket: 'logs', key: 'auth.log', isPrefix: false }],
    ['s3://logs/2024/05/auth.log.gz', { bucket: 'logs', key: '2024/05/auth.log.gz', isPrefix: false }],
    ['s3://logs/2024/', { bucket: 'logs', key: '2024/', isPrefix: true }],
    ['s3://logs/', { bucket: 'logs', key: '', isPrefix: true }],
    ['s3://logs', { bucket: 'logs', key: '', isPrefix: true }],
    ['s3://my.bucket-1/a b', { bucket: 'my.bucket-1', key: 'a b', isPrefix: false }],
  ])('%s', (spec, expected) => {
    expect(parseS3Spec(spec)).toEqual(expected);
  });

  test.each(['s3://', 's3:///key', 's3://UPPER/key', 's3://a/key', 'http://logs/key', 's3://bad_bucket/x'])('%s is a usage error', (spec) => {
    expect(() => parseS3Spec(spec)).toThrow(expect.objectContaining({ code: 'USAGE', exitCode: 2 }));
  });
});
