import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as netServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, test } from '@jest/globals';
import { openEarlyConnection } from './early-connection.js';
import { rawRequest } from './raw-http.js';
import { requestHead } from './request-head.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-early-'));
const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function createServer(onConnection: (socket: Socket) => void): Server {
  return netServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
}

/** A unix-socket server answering 200 with the request line; records what each connection sent. */
async function serve(name: string): Promise<{ path: string; received: string[] }> {
  const path = join(dir, name);
  const received: string[] = [];
  const server = createServer((socket) => {
    const at = received.push('') - 1;
    socket.on('data', (chunk) => {
      received[at] += chunk.toString('latin1');
      if (!received[at]!.includes('\r\n\r\n')) return;
      const line = received[at]!.split('\r\n')[0]!;
      socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${line.length}\r\nConnection: close\r\n\r\n${line}`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  servers.push(server);
  return { path, received };
}

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += (chunk as Buffer).toString();
  return out;
}

describe('openEarlyConnection', () => {
  test('a request written early is answered on its connection and not written again', async () => {
    const { path, received } = await serve('ping.sock');
    openEarlyConnection(path, requestHead({ socketPath: path, method: 'HEAD', path: '/_ping', chunked: false }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await rawRequest({ socketPath: path, method: 'HEAD', path: '/_ping' });
    expect(res.statusCode).toBe(200);
    expect(received).toEqual(['HEAD /_ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n']);
  });

  test('a bare early connection carries the next request; a later one connects anew', async () => {
    const { path, received } = await serve('bare.sock');
    openEarlyConnection(path);
    expect(await text(await rawRequest({ socketPath: path, method: 'GET', path: '/first' }))).toBe('GET /first HTTP/1.1');
    expect(await text(await rawRequest({ socketPath: path, method: 'GET', path: '/second' }))).toBe('GET /second HTTP/1.1');
    expect(received.map((r) => r.split('\r\n')[0])).toEqual(['GET /first HTTP/1.1', 'GET /second HTTP/1.1']);
  });

  test('a connection written for one request is not used for another', async () => {
    const { path, received } = await serve('other.sock');
    openEarlyConnection(path, requestHead({ socketPath: path, method: 'HEAD', path: '/_ping', chunked: false }));
    expect(await text(await rawRequest({ socketPath: path, method: 'GET', path: '/version' }))).toBe('GET /version HTTP/1.1');
    const ping = await rawRequest({ socketPath: path, method: 'HEAD', path: '/_ping' });
    expect(ping.statusCode).toBe(200);
    expect(received.map((r) => r.split('\r\n')[0]).sort()).toEqual(['GET /version HTTP/1.1', 'HEAD /_ping HTTP/1.1']);
  });

  test('an early connection that failed fails its request with the connection error', async () => {
    const path = join(dir, 'nobody-listens.sock');
    openEarlyConnection(path, requestHead({ socketPath: path, method: 'HEAD', path: '/_ping', chunked: false }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(rawRequest({ socketPath: path, method: 'HEAD', path: '/_ping' })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('an early connection whose request is never answered keeps the request waiting (its deadline ends it)', async () => {
    const path = join(dir, 'silent.sock');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    servers.push(server);
    openEarlyConnection(path, requestHead({ socketPath: path, method: 'HEAD', path: '/_ping', chunked: false }));
    const controller = new AbortController();
    const pending = rawRequest({ socketPath: path, method: 'HEAD', path: '/_ping', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('deadline')), 100);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
