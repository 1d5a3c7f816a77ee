import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { startS3rver, type S3rverHandle } from '@ops/testkit/s3rver';

function client(s3: S3rverHandle): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

describe('startS3rver', () => {
  let s3: S3rverHandle;
  beforeAll(async () => {
    s3 = await startS3rver({ buckets: ['logs'] });
  });
  afterAll(() => s3.stop());

  test('serves the real S3 API: pre-created bucket, put, ranged get, list', async () => {
    const c = client(s3);
    await c.send(new PutObjectCommand({ Bucket: 'logs', Key: 'a/b.log', Body: 'hello world\n' }));
    const whole = await c.send(new GetObjectCommand({ Bucket: 'logs', Key: 'a/b.log' }));
    expect(await whole.Body?.transformToString()).toBe('hello world\n');
    const ranged = await c.send(new GetObjectCommand({ Bucket: 'logs', Key: 'a/b.log', Range: 'bytes=6-10' }));
    expect(await ranged.Body?.transformToString()).toBe('world');
    const listed = await c.send(new ListObjectsV2Command({ Bucket: 'logs', Prefix: 'a/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([['a/b.log', 12]]);
    c.destroy();
  });

  test('creates buckets through the API and reports missing ones', async () => {
    const c = client(s3);
    await c.send(new CreateBucketCommand({ Bucket: 'made-later' }));
    await expect(c.send(new ListObjectsV2Command({ Bucket: 'made-later' }))).resolves.toMatchObject({ KeyCount: 0 });
    await expect(c.send(new GetObjectCommand({ Bucket: 'nope', Key: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    c.destroy();
  });

  test('stop closes the port', async () => {
    const other = await startS3rver();
    const port = Number(new URL(other.endpoint).port);
    await other.stop();
    const { canConnect } = await import('@ops/testkit');
    expect(await canConnect('127.0.0.1', port)).toBe(false);
  });
});

describe('startS3rver listings', () => {
  test('ListObjectsV2 paginates with continuation tokens', async () => {
    const s3 = await startS3rver({ buckets: ['paged', 'other'] });
    const c = client(s3);
    try {
      for (let i = 0; i < 7; i++) await c.send(new PutObjectCommand({ Bucket: 'paged', Key: `k${i}`, Body: String(i) }));
      const keys: string[] = [];
      let pages = 0;
      for await (const page of paginateListObjectsV2({ client: c, pageSize: 3 }, { Bucket: 'paged' })) {
        pages++;
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      }
      expect(pages).toBe(3);
      expect(keys).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
      await expect(c.send(new ListObjectsV2Command({ Bucket: 'other' }))).resolves.toMatchObject({ KeyCount: 0 });
    } finally {
      c.destroy();
      await s3.stop();
    }
  });
});
