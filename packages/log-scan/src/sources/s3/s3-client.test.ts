import { createS3Client } from './s3-client.js';

describe('createS3Client', () => {
  test.each([
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9000', true],
    [{ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9001', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9001', true],
    [{}, undefined, false],
  ])('env %j -> endpoint %s, path style %s', async (env, endpoint, pathStyle) => {
    const client = await createS3Client(env);
    try {
      expect(client.config.forcePathStyle ?? false).toBe(pathStyle);
      const resolved = client.config.endpoint ? await client.config.endpoint() : undefined;
      const url = resolved ? `${resolved.protocol}//${resolved.hostname}${resolved.port ? `:${resolved.port}` : ''}` : undefined;
      expect(url).toBe(endpoint);
      expect(typeof (await client.config.region())).toBe('string');
    } finally {
      client.destroy();
    }
  });
});
