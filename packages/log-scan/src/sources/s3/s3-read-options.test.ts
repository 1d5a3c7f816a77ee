import { resolveS3Options, S3_DEFAULTS } from './s3-read-options.js';

describe('resolveS3Options', () => {
  test('fills the defaults, undefined values included', () => {
    expect(resolveS3Options({ concurrency: undefined, retries: 0 })).toMatchObject({ ...S3_DEFAULTS, retries: 0 });
  });

  test.each([
    [{ partSizeBytes: 0 }, 'partSizeBytes'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 2.5 }, 'concurrency'],
    [{ retries: -1 }, 'retries'],
    [{ pageSize: 0 }, 'pageSize'],
    [{ minDelayMs: -5 }, 'minDelayMs'],
  ])('%j is rejected naming `%s`', (options, name) => {
    expect(() => resolveS3Options(options)).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining(`\`${name}\``) }));
  });
});
