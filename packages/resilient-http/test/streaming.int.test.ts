import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';
import { contentBytes, fault } from '@ops/testkit/fault-http';
import { useFaultServer } from '@ops/testkit/use-fault-server';
import { BodyCutError, BodyTooLargeError, createHttpClient, type HttpClientOptions, type RetryClock } from '../src/index.js';

const instant: RetryClock = { now: () => 0, sleep: async () => {} };
const SIZE = 300_000;

const server = useFaultServer();

const client = (options: HttpClientOptions = {}) => createHttpClient({ baseUrl: server.url, logger: false, breaker: false, budget: false, ...options, retry: { clock: instant, ...(options.retry || {}) } });
const collect = async (body: AsyncIterable<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c);
  return Buffer.concat(parts);
};
const ranges = (path: string) => server.requests(path).map((r) => [r.headers.range ?? null, r.headers['if-range'] ?? null]);

describe('requestStream', () => {
  test('retries until the headers, then streams the body', async () => {
    server.script('/file', [fault.status(503), fault.content({ size: SIZE })]);
    const res = await client().requestStream('GET', '/file');
    expect([res.status, res.attempts]).toEqual([200, 2]);
    expect((await collect(res.body)).equals(contentBytes(0, SIZE))).toBe(true);
    expect(res.progress()).toEqual({ bytes: SIZE, resumes: 0, restarts: 0, total: SIZE });
  });

  test('a body cut mid-way resumes with Range + If-Range when the ETag matches', async () => {
    server.script('/big', [fault.content({ size: SIZE, etag: '"v1"', acceptRanges: true, cutAfter: 100_000 }), fault.content({ size: SIZE, etag: '"v1"', acceptRanges: true })]);
    const res = await client().requestStream('GET', '/big');
    expect((await collect(res.body)).equals(contentBytes(0, SIZE))).toBe(true);
    expect(res.progress()).toEqual({ bytes: SIZE, resumes: 1, restarts: 0, total: SIZE });
    expect(ranges('/big')).toEqual([[null, null], ['bytes=100000-', '"v1"']]);
  });

  test('a stalled body resumes too (idle timeout), with Last-Modified as the validator', async () => {
    const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
    server.script('/stall', [fault.content({ size: SIZE, lastModified, acceptRanges: true, stallAfter: 65_536 }), fault.content({ size: SIZE, lastModified, acceptRanges: true })]);
    const res = await client({ idleTimeout: '200ms' }).requestStream('GET', '/stall');
    expect((await collect(res.body)).equals(contentBytes(0, SIZE))).toBe(true);
    expect(ranges('/stall')).toEqual([[null, null], ['bytes=65536-', lastModified]]);
  });

  test('without validators a cut stream fails with BodyCutError saying why (a stream cannot start over)', async () => {
    server.script('/plain', fault.content({ size: SIZE, cutAfter: 100_000 }));
    const res = await client().requestStream('GET', '/plain');
    const error = await collect(res.body).then(() => undefined, (e: unknown) => e as BodyCutError);
    expect(error).toBeInstanceOf(BodyCutError);
    expect(error!.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/plain: the response body was cut after 97\.7 KiB of 293\.0 KiB .*cannot resume: the server sent no strong ETag/);
    expect(server.hits('/plain')).toBe(1);
  });

  test('a body destroyed after its first chunk stops quietly; the client keeps working', async () => {
    server.script('/huge', fault.content({ size: 50_000_000, etag: '"h"', acceptRanges: true }));
    const res = await client().requestStream('GET', '/huge');
    const errors: unknown[] = [];
    res.body.on('error', (e) => errors.push(e));
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      expect(chunk.equals(contentBytes(0, chunk.length))).toBe(true);
      break; // destroys the body
    }
    expect([res.body.destroyed, errors, server.hits('/huge')]).toEqual([true, [], 1]);
    expect(res.progress().bytes).toBeLessThan(50_000_000);
    server.script('/after', fault.content({ size: 1000 }));
    expect((await client().request('GET', '/after')).body.equals(contentBytes(0, 1000))).toBe(true);
  });
});

describe('download', () => {
  test('resumes a cut download into an atomic file and reports the bytes', async () => {
    const dir = makeTempDir('rh-dl-').path;
    server.script('/a.bin', [fault.content({ size: SIZE, etag: '"a"', acceptRanges: true, cutAfter: 70_000 }), fault.content({ size: SIZE, etag: '"a"', acceptRanges: true })]);
    const result = await client().download('/a.bin', join(dir, 'a.bin'));
    expect(result).toMatchObject({ status: 200, bytes: SIZE, resumes: 1, restarts: 0 });
    expect(readFileSync(join(dir, 'a.bin')).equals(contentBytes(0, SIZE))).toBe(true);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  test('starts over when the validator no longer matches (the file changed): no mixed bytes', async () => {
    const dir = makeTempDir('rh-dl-').path;
    server.script('/b.bin', [fault.content({ size: SIZE, etag: '"old"', acceptRanges: true, cutAfter: 70_000 }), fault.content({ size: SIZE + 5, etag: '"new"', acceptRanges: true })]);
    const result = await client().download('/b.bin', join(dir, 'b.bin'));
    expect(result).toMatchObject({ bytes: SIZE + 5, resumes: 0, restarts: 1 });
    expect(readFileSync(join(dir, 'b.bin')).equals(contentBytes(0, SIZE + 5))).toBe(true);
    expect(ranges('/b.bin')).toEqual([[null, null], ['bytes=70000-', '"old"']]);
  });

  test('a download that fails leaves no file and no temp file behind', async () => {
    const dir = makeTempDir('rh-dl-').path;
    server.script('/c.bin', fault.content({ size: SIZE, etag: '"c"', acceptRanges: true, cutAfter: 1000 }));
    const error = await client({ retry: { retries: 2 } }).download('/c.bin', join(dir, 'c.bin')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyCutError);
    expect((error as Error).message).toMatch(/no retries left/);
    expect(existsSync(join(dir, 'c.bin'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

test('request() refuses a body larger than maxBodyBytes by its Content-Length, never a RangeError', async () => {
  server.script('/huge', fault.content({ size: 5_000_000 }));
  const error = await client({ maxBodyBytes: 1_000_000 }).request('GET', '/huge').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BodyTooLargeError);
  expect((error as Error).message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/huge answered with 4\.77 MiB, more than maxBodyBytes 976\.6 KiB/);
});
