import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, test } from '@jest/globals';
import { bodyFeeder } from './body-feeder.js';
import { rawRequest } from './raw-http.js';

/** A TCP server on loopback that answers each connection with `answer` (after reading the request head). */
async function serve(answer: (socket: Socket, request: string) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    let request = '';
    let answered = false;
    socket.on('data', (chunk) => {
      request += chunk.toString('latin1');
      if (answered) return;
      const end = request.indexOf('\r\n\r\n');
      const length = Number(/\r\nContent-Length: (\d+)/.exec(request)?.[1] ?? 0);
      if (end !== -1 && (/Transfer-Encoding: chunked/.test(request) ? request.includes('\r\n0\r\n\r\n') : request.length >= end + 4 + length)) {
        answered = true;
        answer(socket, request);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { server, port: (server.address() as { port: number }).port };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += (chunk as Buffer).toString();
  return out;
}

describe('rawRequest', () => {
  test('chunked body cut at every byte, then a trailer', () => {
    const wire = Buffer.from('5\r\nhello\r\n1;ext=1\r\n \r\nc\r\nworld, again\r\n0\r\nX-Trailer: 1\r\n\r\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      let body = '';
      let done = 0;
      const feeder = bodyFeeder({ kind: 'chunked' }, (c) => (body += c.toString()), () => done++);
      feeder.feed(wire.subarray(0, cut));
      feeder.feed(wire.subarray(cut));
      expect(body).toBe('hello world, again');
      expect(done).toBe(1);
    }
  });

  test('the body bytes of one piece go out at once, however many chunks it holds', () => {
    const emitted: string[] = [];
    const feeder = bodyFeeder({ kind: 'chunked' }, (c) => emitted.push(c.toString()), () => undefined);
    feeder.feed(Buffer.from('2\r\nab\r\n2\r\ncd\r\n1\r\ne'));
    feeder.feed(Buffer.from('\r\n0\r\n\r\n'));
    expect(emitted).toEqual(['abcde']);
  });

  test('a malformed chunk size fails the body', () => {
    const feeder = bodyFeeder({ kind: 'chunked' }, () => undefined, () => undefined);
    expect(() => feeder.feed(Buffer.from('zz\r\n'))).toThrow(/malformed HTTP response: bad chunk size line "zz"/);
  });

  test('status, headers in lower case, a Content-Length body, the request line and headers sent', async () => {
    let seen = '';
    const { port } = await serve((socket, request) => {
      seen = request;
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nSet-Thing: a\r\nSet-Thing: b\r\nContent-Length: 17\r\n\r\n{"message":"no"}\nEXTRA');
    });
    const res = await rawRequest({ host: '127.0.0.1', port, method: 'GET', path: '/images/a%2Fb/json?x=1', headers: { 'X-Registry-Auth': 'e30=' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['set-thing']).toBe('a, b');
    expect(await text(res)).toBe('{"message":"no"}\n');
    expect(seen).toMatch(/^GET \/images\/a%2Fb\/json\?x=1 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nX-Registry-Auth: e30=\r\nConnection: close\r\n\r\n$/);
  });

  test('a body sent chunked with each chunk released once written, and a chunked answer', async () => {
    let seen = '';
    const { port } = await serve((socket, request) => {
      seen = request;
      socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    });
    const released: string[] = [];
    const res = await rawRequest({ host: '127.0.0.1', port, method: 'POST', path: '/build', body: Readable.from([Buffer.from('tar1'), Buffer.alloc(0), Buffer.from('tar22')]), releaseChunk: (c) => released.push(c.toString()) });
    expect(await text(res)).toBe('abcde');
    expect(seen).toContain('Transfer-Encoding: chunked\r\n');
    expect(seen.slice(seen.indexOf('\r\n\r\n') + 4)).toBe('4\r\ntar1\r\n5\r\ntar22\r\n0\r\n\r\n');
    expect(released).toEqual(['tar1', 'tar22']);
  });

  test('a body known whole (a buffer) is sent with its Content-Length, not chunked', async () => {
    let seen = '';
    const { port } = await serve((socket, request) => {
      seen = request;
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const res = await rawRequest({ host: '127.0.0.1', port, method: 'POST', path: '/build', headers: { 'Content-Type': 'application/tar' }, body: Buffer.from('whole tar') });
    expect(await text(res)).toBe('ok');
    expect(seen).toMatch(/^POST \/build HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nContent-Type: application\/tar\r\nContent-Length: 9\r\nConnection: close\r\n\r\nwhole tar$/);
  });

  test('HEAD has no body whatever its Content-Length says; a body without length runs to the close', async () => {
    const head = await serve((socket) => socket.write('HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\n'));
    const ping = await rawRequest({ host: '127.0.0.1', port: head.port, method: 'HEAD', path: '/_ping' });
    expect(ping.headers['api-version']).toBe('1.41');
    expect(await text(ping)).toBe('');
    const close = await serve((socket) => socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end'));
    expect(await text(await rawRequest({ host: '127.0.0.1', port: close.port, method: 'GET', path: '/' }))).toBe('until the end');
  });

  test('a connection closed before the answer or in the middle of its body is ECONNRESET; a refused one ECONNREFUSED', async () => {
    const none = await serve((socket) => socket.destroy());
    await expect(rawRequest({ host: '127.0.0.1', port: none.port, method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    const half = await serve((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    const res = await rawRequest({ host: '127.0.0.1', port: half.port, method: 'GET', path: '/' });
    await expect(text(res)).rejects.toMatchObject({ code: 'ECONNRESET' });
    const closed = await serve(() => undefined);
    await new Promise((resolve) => closed.server.close(resolve));
    servers.splice(servers.indexOf(closed.server), 1);
    await expect(rawRequest({ host: '127.0.0.1', port: closed.port, method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('the signal aborts a request that gets no answer, and a body that stopped coming', async () => {
    const silent = await serve(() => undefined);
    const controller = new AbortController();
    const pending = rawRequest({ host: '127.0.0.1', port: silent.port, method: 'GET', path: '/', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const stalled = await serve((socket) => socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n'));
    const second = new AbortController();
    const res = await rawRequest({ host: '127.0.0.1', port: stalled.port, method: 'GET', path: '/', signal: second.signal });
    setTimeout(() => second.abort(new Error('enough')), 50);
    await expect(text(res)).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('a garbled answer and header injection are refused', async () => {
    const garbled = await serve((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    await expect(rawRequest({ host: '127.0.0.1', port: garbled.port, method: 'GET', path: '/' })).rejects.toThrow(/malformed HTTP response: bad status line "SSH-2.0-OpenSSH"/);
    await expect(rawRequest({ host: '127.0.0.1', port: garbled.port, method: 'GET', path: '/', headers: { 'X-A': 'v\r\nX-B: injected' } })).rejects.toThrow(/invalid character/);
    await expect(rawRequest({ host: '127.0.0.1', port: garbled.port, method: 'GET', path: '/a b' })).rejects.toThrow(/unescaped/);
  });
});
