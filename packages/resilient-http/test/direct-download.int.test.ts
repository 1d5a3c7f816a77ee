// download() of a plain http GET reads straight from a socket of its own (`connection: close`),
// with its own HTTP/1.1 response parser: the bytes written must be the bytes of the body, whatever
// the framing, across cuts, stalls and broken answers. Compared by sha256, never by timing.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { makeTempDir } from '@ops/testkit';
import { contentBytes, fault, type FaultAction } from '@ops/testkit/fault-http';
import { closedPort, startBlackHole } from '@ops/testkit/ssh-failures';
import { useFaultServer } from '@ops/testkit/use-fault-server';
import { BadResponseError, BodyCutError, RetryError, createHttpClient, type HttpClientOptions, type RetryClock } from '../src/index.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const instant: RetryClock = { now: () => 0, sleep: async () => {} };
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const server = useFaultServer();

const client = (options: HttpClientOptions = {}) =>
  createHttpClient({ baseUrl: server.url, logger: false, breaker: false, budget: false, ...options, retry: { clock: instant, ...(options.retry || {}) } });
const failure = (p: Promise<unknown>) => p.then(() => new Error('expected a failure'), (e: unknown) => e as Error);

/** Downloads `path` into a fresh directory; returns the file's bytes and what is left in the directory. */
async function toFile(path: string, options: HttpClientOptions = {}) {
  const dir = makeTempDir('rh-direct-').path;
  const result = await client(options).download(path, join(dir, 'out.bin'));
  return { result, data: readFileSync(join(dir, 'out.bin')), files: readdirSync(dir) };
}

async function toStream(path: string, options: HttpClientOptions = {}) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await client(options).download(path, out);
  return { result, data: Buffer.concat(chunks) };
}

const SIZE = 3_000_000;
const raw = (...parts: string[]): FaultAction => fault.raw(parts, { gapMs: 2 });

describe('download of a plain http GET, read straight from the socket', () => {
  test.each([
    ['Content-Length', fault.content({ size: SIZE, chunkSize: 100_000 })],
    ['chunked', fault.content({ size: SIZE, chunkSize: 77_777, framing: 'chunked' })],
  ])('%s: the file and the stream get exactly the body (sha256), over a connection of its own', async (_, action) => {
    server.script('/body', action);
    const file = await toFile('/body');
    const stream = await toStream('/body');
    const expected = sha(contentBytes(0, SIZE));
    expect([sha(file.data), sha(stream.data), file.files, file.result.bytes]).toEqual([expected, expected, ['out.bin'], SIZE]);
    expect(server.requests('/body').map((r) => r.headers.connection)).toEqual(['close', 'close']);
  });

  test('a dispatcher of the caller, a replaced global dispatcher or directDownloads: false keep undici', async () => {
    server.script('/via', fault.content({ size: 10_000 }));
    const agent = new Agent();
    await client({ dispatcher: agent }).download('/via', new PassThrough().resume());
    await client({ directDownloads: false }).download('/via', new PassThrough().resume());
    const before = getGlobalDispatcher();
    setGlobalDispatcher(new Agent());
    try {
      await client().download('/via', new PassThrough().resume());
    } finally {
      setGlobalDispatcher(before);
    }
    await client().download('/via', new PassThrough().resume());
    expect(server.requests('/via').map((r) => r.headers.connection ?? 'keep-alive')).toEqual(['keep-alive', 'keep-alive', 'keep-alive', 'close']);
    await agent.close();
  });

  test('a close-delimited body, chunk extensions, trailers and 1xx answers, split at awkward places', async () => {
    server.script('/close', raw('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nclose-', 'delimited ', 'body'));
    expect((await toFile('/close')).data.toString()).toBe('close-delimited body');
    server.script('/ext', raw('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-sum\r\n\r\n5;na', 'me="v"\r\nhel', 'lo\r', '\n6 ; x\r\n world\r\n0\r\nx-sum: 1\r', '\n\r\n'));
    const ext = await toStream('/ext');
    expect([ext.data.toString(), ext.result.status]).toEqual(['hello world', 200]);
  });

  test('a body cut mid-way resumes with Range + If-Range: the file is byte-identical', async () => {
    const cut = { size: SIZE, etag: '"v1"', acceptRanges: true, chunkSize: 64 * 1024 };
    // cutAfter counts the bytes of each answer: cuts at 1,234,567 and 1,234,567 + 1,000,000.
    server.script('/cut', [fault.content({ ...cut, cutAfter: 1_234_567 }), fault.content({ ...cut, cutAfter: 1_000_000 }), fault.content(cut)]);
    const { result, data, files } = await toFile('/cut');
    expect([sha(data), files, result.resumes, result.restarts]).toEqual([sha(contentBytes(0, SIZE)), ['out.bin'], 2, 0]);
    expect(server.requests('/cut').map((r) => [r.headers.range ?? null, r.headers['if-range'] ?? null])).toEqual([
      [null, null],
      ['bytes=1234567-', '"v1"'],
      ['bytes=2234567-', '"v1"'],
    ]);
  });

  test('a stall mid-body hits the idle timeout (and leaves no file)', async () => {
    server.script('/stall', fault.content({ size: SIZE, stallAfter: 200_000 }));
    const dir = makeTempDir('rh-direct-').path;
    const error = await failure(client({ idleTimeout: '300ms', retry: { retries: 0 } }).download('/stall', join(dir, 'out.bin')));
    expect(error).toBeInstanceOf(BodyCutError);
    expect(error.message).toMatch(/stalled: no data for 300ms \(idleTimeout, --idle-timeout\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a peer that accepts and never answers hits the headers timeout', async () => {
    server.script('/silent', fault.stallHeaders());
    const error = await failure(client({ timeout: '300ms', retry: { retries: 1 } }).download('/silent', new PassThrough()));
    expect(error.message).toMatch(/\/silent/);
    expect(error.message).toMatch(/300ms/);
    expect(server.hits('/silent')).toBe(2);
  });

  test('a connect that gets no answer hits the connect timeout, and is retried; a refused port too', async () => {
    const hole = await startBlackHole({ port: 80 });
    try {
      const error = await failure(client({ connectTimeout: '300ms', retry: { retries: 1 } }).download(`http://${hole.host}:${hole.port}/x`, new PassThrough()));
      expect(error).toBeInstanceOf(RetryError);
      expect(((error as RetryError).cause as Error).message).toMatch(/^GET http:\/\/127\.[\d.]+\/x failed: could not connect within 300ms \(connectTimeout, --connect-timeout\)/);
      expect((error as RetryError).attempts).toHaveLength(2);
    } finally {
      await hole.stop();
    }
    const closed = await closedPort();
    const refused = await failure(client({ retry: { retries: 1 } }).download(`http://127.0.0.1:${closed.port}/x`, new PassThrough()));
    expect([(refused as RetryError).attempts.length, ((refused as RetryError).cause as { errorCode?: string }).errorCode]).toEqual([2, 'ECONNREFUSED']);
  });

  test.each([
    ['a bad status line', raw('HTTP/1.1 2OO OK\r\n\r\n'), /not valid HTTP\/1\.1: bad status line "HTTP\/1\.1 2OO OK"/],
    ['a bad chunk size', raw('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'), /not valid HTTP\/1\.1: bad chunk size line "zz"/],
    ['both Transfer-Encoding and Content-Length', raw('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n'), /ambiguous framing/],
    ['conflicting Content-Lengths', raw('HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello'), /bad Content-Length "5, 6"/],
  ])('%s: a clear HTTP_BAD_RESPONSE naming the URL, not retried, no partial file', async (_, action, message) => {
    server.script('/bad', action);
    const dir = makeTempDir('rh-direct-').path;
    const error = await failure(client().download('/bad', join(dir, 'out.bin')));
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/bad: /);
    expect(error.message).toMatch(message);
    expect([readdirSync(dir), server.hits('/bad')]).toEqual([[], 1]);
  });

  test('a body shorter than its Content-Length (early close) is a cut: BodyCutError when it cannot resume, no partial file', async () => {
    server.script('/short', raw('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n', 'only ten b'));
    const dir = makeTempDir('rh-direct-').path;
    const error = await failure(client({ retry: { retries: 1 } }).download('/short', join(dir, 'out.bin')));
    expect(error).toBeInstanceOf(BodyCutError);
    expect(error.message).toMatch(/closed after 10 of 100 body bytes/);
    expect([readdirSync(dir), server.hits('/short')]).toEqual([[], 2]);
  });

  test('a slow writable gets every byte: the socket waits for each write', async () => {
    server.script('/slow-sink', fault.content({ size: 1_500_000, chunkSize: 200_000 }));
    const chunks: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        setTimeout(callback, 3);
      },
    });
    await client().download('/slow-sink', slow);
    expect(sha(Buffer.concat(chunks))).toBe(sha(contentBytes(0, 1_500_000)));
  });
});

/** Runs the CLI with stdout through a pipe; resolves with its exit code, stdout's sha256 and stderr. */
async function cliToPipe(args: readonly string[], slowReader = false): Promise<{ code: unknown; sha: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  const hash = createHash('sha256');
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A slow reader takes 64 KiB at a time with pauses: the CLI must wait for the pipe, not buffer the body.
  let reads = 0;
  for await (const chunk of child.stdout) {
    hash.update(chunk as Buffer);
    if (slowReader && ++reads % 16 === 0) {
      child.stdout.pause();
      await new Promise((resolve) => setTimeout(resolve, 5));
      child.stdout.resume();
    }
  }
  const code = await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(child.exitCode)));
  return { code, sha: hash.digest('hex'), stderr };
}

describe('the CLI to a pipe', () => {
  test('a body cut mid-way is resumed into stdout: byte-identical, the summary says so', async () => {
    const cut = { size: SIZE, etag: '"s"', acceptRanges: true };
    server.script('/resumed', [fault.content({ ...cut, cutAfter: 1_500_000 }), fault.content(cut)]);
    const r = await cliToPipe(['--log-format', 'json', `${server.url}/resumed`]);
    expect([r.code, r.sha]).toEqual([0, sha(contentBytes(0, SIZE))]);
    const summary = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.message).endsWith('answered 200'));
    expect(summary).toMatchObject({ bytes: SIZE, resumes: 1, restarts: 0 });
    expect(server.requests('/resumed').map((q) => q.headers.range ?? null)).toEqual([null, 'bytes=1500000-']);
  });

  test('a broken answer: exit 3, one clear line naming the URL, no -o file left', async () => {
    server.script('/broken', raw('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nabcd\r\nnope\r\n'));
    const dir = makeTempDir('rh-direct-').path;
    const r = await cliToPipe(['--quiet', '-o', join(dir, 'out.bin'), `${server.url}/broken`]);
    expect([r.code, readdirSync(dir)]).toEqual([3, []]);
    expect(r.stderr).toMatch(/^resilient-http: HTTP_BAD_RESPONSE: GET http:\/\/127\.0\.0\.1:\d+\/broken: the answer is not valid HTTP\/1\.1: bad chunk size line "nope"/);
  });

  test('a large body through a pipe to a slow reader is byte-identical (backpressure)', async () => {
    const size = 24 * 1024 * 1024;
    server.script('/large', fault.content({ size, chunkSize: 1024 * 1024 }));
    expect(await cliToPipe(['--quiet', `${server.url}/large`], true)).toEqual({ code: 0, sha: sha(contentBytes(0, size)), stderr: '' });
  });
});
