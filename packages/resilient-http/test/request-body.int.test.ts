import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { makeTempDir } from '@ops/testkit';
import { fault } from '@ops/testkit/fault-http';
import { useFaultServer } from '@ops/testkit/use-fault-server';
import { HttpStatusError, createHttpClient, type RetryClock } from '../src/index.js';

const instant: RetryClock = { now: () => 0, sleep: async () => {} };
const chunks = (): Buffer[] => Array.from({ length: 10 }, (_, i) => Buffer.alloc(10_000, 97 + i));

const server = useFaultServer();

const http = () => createHttpClient({ baseUrl: server.url, logger: false, breaker: false, budget: false, retry: { clock: instant } });
const received = (path: string) => server.requests(path).map((r) => [r.bodyBytes, r.bodyComplete]);

describe('request bodies on the wire', () => {
  test.each([
    ['a string', () => 'x'.repeat(100_000)],
    ['bytes', () => Buffer.alloc(100_000, 1)],
    ['a factory returning a Readable', () => () => Readable.from(chunks())],
    ['a factory returning an async generator', () => async function* () {
      yield* chunks();
    }],
  ])('%s is sent whole on every attempt', async (_kind, body) => {
    server.script('PUT /up', [fault.status(503), fault.status(201, 'stored')]);
    const res = await http().request('PUT', '/up', { body: body() as never });
    expect([res.status, res.attempts]).toEqual([201, 2]);
    expect(received('/up')).toEqual([[100_000, true], [100_000, true]]);
  });

  test('bodyFile is re-opened for each attempt and sent with its content-length', async () => {
    const dir = makeTempDir('rh-body-').path;
    const file = join(dir, 'artifact.bin');
    writeFileSync(file, Buffer.alloc(250_000, 7));
    server.script('PUT /file', [fault.times(2, fault.status(502)), fault.echo(201)]);
    const res = await http().request('PUT', '/file', { bodyFile: file });
    expect(res.attempts).toBe(3);
    expect(received('/file')).toEqual(Array(3).fill([250_000, true]));
    expect(server.requests('/file').map((r) => r.headers['content-length'])).toEqual(Array(3).fill('250000'));
  });

  test('a bare stream is sent once: a 503 is not retried (never resent empty) and the error says why', async () => {
    server.script('PUT /once', [fault.status(503), fault.status(201)]);
    const error = (await http()
      .request('PUT', '/once', { body: Readable.from(chunks()) })
      .catch((e: unknown) => e)) as HttpStatusError;
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.message).toMatch(/PUT http:\/\/127\.0\.0\.1:\d+\/once answered 503 \(not retried: the request body is a stream, which can be sent only once/);
    expect(received('/once')).toEqual([[100_000, true]]);
  });

  test('a bare async iterable that succeeds is sent whole', async () => {
    server.script('POST /one', fault.status(201));
    const res = await http().request('POST', '/one', { body: (async function* () {
      yield* chunks();
    })() });
    expect(res.status).toBe(201);
    expect(received('/one')).toEqual([[100_000, true]]);
  });

  test('a missing bodyFile is a usage error naming the option, and nothing is sent', async () => {
    const error = await http().request('PUT', '/nofile', { bodyFile: '/nonexistent/x.bin' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('cannot read `bodyFile` /nonexistent/x.bin: ENOENT') });
    expect(server.hits('/nofile')).toBe(0);
  });

  test('POST answered 503 without a key says why it was not retried', async () => {
    server.script('POST /deploy', fault.status(503));
    const error = (await http().request('POST', '/deploy', { body: 'v=1' }).catch((e: unknown) => e)) as HttpStatusError;
    expect(error.message).toMatch(/answered 503 \(not retried: POST without Idempotency-Key; set idempotencyKey/);
    expect(server.hits('/deploy')).toBe(1);
  });
});
