import { connect } from 'node:net';
import { Agent, Client, request } from 'undici';
import { contentBytes, fault, startFaultServer, type FaultServer } from '../src/fault-http.js';

const agent = new Agent({ headersTimeout: 300, bodyTimeout: 300, connect: { timeout: 2000 } });
afterAll(() => agent.close());

async function get(server: FaultServer, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await request(`${server.url}${path}`, { dispatcher: agent, method: (init.method ?? 'GET') as 'GET', body: init.body, headers: init.headers });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

async function failureCode(promise: Promise<unknown>): Promise<string> {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as { code?: string } | undefined;
  return error?.code ?? 'no error';
}

describe('startFaultServer', () => {
  let server: FaultServer;
  afterEach(() => server?.stop());

  test('a sequence: 5xx for the first N hits then 200 forever; hits and reset', async () => {
    server = await startFaultServer({ routes: { '/flaky': [fault.times(2, fault.status(503, 'down')), fault.json(200, { ok: true })] } });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(server, '/flaky')).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(server.hits('/flaky')).toBe(4);
    expect(server.hits('/other')).toBe(0);
    server.reset();
    expect(server.hits()).toBe(0);
    expect((await get(server, '/flaky')).status).toBe(503);
  });

  test('429 with Retry-After in seconds and as an HTTP date', async () => {
    const date = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    server = await startFaultServer({ routes: { '/s': fault.retryAfter(7), '/d': fault.retryAfter(date, 503) } });
    const s = await get(server, '/s');
    expect([s.status, s.headers['retry-after']]).toEqual([429, '7']);
    const d = await get(server, '/d');
    expect([d.status, d.headers['retry-after']]).toEqual([503, 'Wed, 02 Jan 2030 03:04:05 GMT']);
  });

  test('echo returns what the client sent: method, headers, query and body', async () => {
    server = await startFaultServer();
    const res = await get(server, '/deploy?env=prod', { method: 'POST', body: '{"v":1}', headers: { 'idempotency-key': 'k1', 'content-type': 'application/json' } });
    const echoed = JSON.parse(res.body);
    expect(echoed).toMatchObject({ method: 'POST', path: '/deploy', url: '/deploy?env=prod', query: { env: 'prod' }, body: '{"v":1}' });
    expect(echoed.headers['idempotency-key']).toBe('k1');
    expect(server.requests('/deploy')[0]).toMatchObject({ method: 'POST', body: '{"v":1}', hit: 1 });
  });

  test('METHOD routes win over path routes; "*" scripts a sequence over all requests', async () => {
    server = await startFaultServer({ routes: { 'POST /x': fault.status(201), '/x': fault.status(204), '*': [fault.status(500), fault.status(200)] } });
    expect((await get(server, '/x', { method: 'POST' })).status).toBe(201);
    expect((await get(server, '/x')).status).toBe(204);
    expect((await get(server, '/a')).status).toBe(500);
    expect((await get(server, '/b')).status).toBe(200);
  });

  test('a function script chooses per request; script() replaces a route at run time', async () => {
    server = await startFaultServer({ routes: { '/f': (r) => fault.status(r.hit % 2 ? 502 : 200) } });
    expect([(await get(server, '/f')).status, (await get(server, '/f')).status]).toEqual([502, 200]);
    server.script('/f', fault.status(418));
    expect((await get(server, '/f')).status).toBe(418);
  });

  test('reset gives ECONNRESET, close gives a closed socket', async () => {
    server = await startFaultServer({ routes: { '/reset': fault.reset(), '/close': fault.close() } });
    expect(await failureCode(get(server, '/reset'))).toBe('ECONNRESET');
    expect(await failureCode(get(server, '/close'))).toBe('UND_ERR_SOCKET');
    expect(server.hits()).toBe(2);
  });

  test('stalled headers and stalled body trip the client timeouts', async () => {
    server = await startFaultServer({ routes: { '/h': fault.stallHeaders(), '/b': fault.stallBody(200, 'first chunk') } });
    expect(await failureCode(get(server, '/h'))).toBe('UND_ERR_HEADERS_TIMEOUT');
    const res = await request(`${server.url}/b`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    expect(await failureCode(res.body.text())).toBe('UND_ERR_BODY_TIMEOUT');
  });

  test('slow answers after a delay; keep-alive reuse is visible in connections()', async () => {
    server = await startFaultServer({ routes: { '/slow': fault.slow(50, fault.status(200, 'late')) } });
    const client = new Client(server.url);
    for (let i = 0; i < 3; i++) {
      const res = await client.request({ method: 'GET', path: '/slow' });
      expect(await res.body.text()).toBe('late');
    }
    expect(server.connections()).toBe(1);
    await client.close();
  });

  test('stop closes stalled connections and the listener', async () => {
    server = await startFaultServer({ routes: { '/h': fault.stallHeaders() } });
    const slowAgent = new Agent({ headersTimeout: 60_000 });
    const pending = failureCode(request(`${server.url}/h`, { dispatcher: slowAgent }));
    while (server.hits('/h') === 0) await new Promise((r) => setTimeout(r, 10));
    await server.stop();
    expect(await pending).not.toBe('no error');
    expect(await failureCode(request(`${server.url}/h`, { dispatcher: slowAgent }))).toBe('ECONNREFUSED');
    await slowAgent.close();
  });

  test('records request body bytes, also past the 1 MiB kept', async () => {
    server = await startFaultServer();
    const big = 'x'.repeat(1024 * 1024 + 10);
    await get(server, '/up', { method: 'PUT', body: big });
    const [r] = server.requests('/up');
    expect([r!.bodyBytes, r!.body.length <= 1024 * 1024, r!.bodyComplete]).toEqual([big.length, true, true]);
  });

  test('content: generated bytes, validators, Range honoured only when If-Range matches', async () => {
    server = await startFaultServer({ routes: { '/f': fault.content({ size: 1000, etag: '"v1"', acceptRanges: true, chunkSize: 100 }) } });
    const full = await request(`${server.url}/f`, { dispatcher: agent });
    expect([full.statusCode, full.headers.etag, full.headers['accept-ranges']]).toEqual([200, '"v1"', 'bytes']);
    expect(Buffer.from(await full.body.arrayBuffer())).toEqual(contentBytes(0, 1000));
    const part = await request(`${server.url}/f`, { dispatcher: agent, headers: { range: 'bytes=600-', 'if-range': '"v1"' } });
    expect([part.statusCode, part.headers['content-range']]).toEqual([206, 'bytes 600-999/1000']);
    expect(Buffer.from(await part.body.arrayBuffer())).toEqual(contentBytes(600, 400));
    const stale = await request(`${server.url}/f`, { dispatcher: agent, headers: { range: 'bytes=600-', 'if-range': '"v0"' } });
    expect(stale.statusCode).toBe(200);
    expect((await stale.body.arrayBuffer()).byteLength).toBe(1000);
  });

  test('content: a mid-body cut delivers the first bytes then resets', async () => {
    server = await startFaultServer({ routes: { '/cut': fault.content({ size: 5000, cutAfter: 1000, chunkSize: 300 }) } });
    const res = await request(`${server.url}/cut`, { dispatcher: agent });
    let got = 0;
    const code = await failureCode(
      (async () => {
        for await (const chunk of res.body) got += (chunk as Buffer).length;
      })(),
    );
    expect([got, code]).toEqual([1000, 'UND_ERR_SOCKET']);
  });

  test('content with chunked framing: no Content-Length, the same bytes', async () => {
    server = await startFaultServer({ routes: { '/c': fault.content({ size: 3000, chunkSize: 700, framing: 'chunked' }) } });
    const res = await request(`${server.url}/c`, { dispatcher: agent });
    expect([res.headers['content-length'], res.headers['transfer-encoding']]).toEqual([undefined, 'chunked']);
    expect(Buffer.from(await res.body.arrayBuffer())).toEqual(contentBytes(0, 3000));
  });

  test('raw: the bytes go out as they are, then the connection closes', async () => {
    server = await startFaultServer({ routes: { '/raw': fault.raw(['HTTP/1.1 200 OK\r\ncontent-length: 5\r\n', '\r\nhel', 'lo'], { gapMs: 5 }) } });
    expect(await get(server, '/raw')).toMatchObject({ status: 200, body: 'hello' });
    server.script('/bad', fault.raw(['HTCPCP/1.0 418\r\n\r\n', 'tea']));
    const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /bad HTTP/1.1\r\nhost: x\r\n\r\n'));
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('HTCPCP/1.0 418\r\n\r\ntea');
  });
});
