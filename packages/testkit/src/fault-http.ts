import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { onCleanup } from './cleanup.js';

/**
 * A fault-injecting HTTP/1.1 server on 127.0.0.1 for tests and benchmarks: real sockets, scripted
 * per path (or over every request), recording what clients actually sent.
 *
 * ```ts
 * const server = await startFaultServer({
 *   routes: {
 *     '/flaky': [fault.times(2, fault.status(503)), fault.json(200, { ok: true })],
 *     'POST /deploy': fault.echo(201),
 *     '/slow': fault.stallHeaders(),
 *   },
 * });
 * await fetch(`${server.url}/flaky`); // 503, then 503, then 200 forever
 * server.hits('/flaky');              // 1
 * await server.stop();
 * ```
 */

/** A request as the server received it (body read in full, up to 1 MiB). */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/items`. */
  readonly path: string;
  /** Path with the query string, as sent. */
  readonly url: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Bytes of request body received (all of them, also past the 1 MiB kept in `body`). */
  readonly bodyBytes: number;
  /** False when the client went away before the request body ended. */
  readonly bodyComplete: boolean;
  /** 1-based number of this request among those matched by the same route. */
  readonly hit: number;
}

/** What the server does with one request. Build these with the `fault` helpers. */
export type FaultAction =
  /** Sends `status`, `headers` and `body` (after `delayMs`, if set). */
  | { readonly kind: 'respond'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string | Buffer; readonly delayMs?: number }
  /** Answers JSON `{ method, path, url, query, headers, body }` describing the request. */
  | { readonly kind: 'echo'; readonly status: number; readonly delayMs?: number }
  /** Destroys the socket with a TCP RST: the client sees ECONNRESET. */
  | { readonly kind: 'reset' }
  /** Ends the connection (FIN) without answering: "other side closed". */
  | { readonly kind: 'close' }
  /** Reads the request and never answers: the client's headers timeout fires. */
  | { readonly kind: 'stall-headers' }
  /** Sends the status, headers and `body` as a first chunk, then never ends the body. */
  | { readonly kind: 'stall-body'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  /** A (possibly huge, generated) resource with validators, Range support, slow delivery and cuts: see `fault.content`. */
  | ({ readonly kind: 'content' } & ContentOptions)
  /** Writes `parts` to the socket as they are (hand-framed or malformed answers), then closes it (FIN) or, with `then: 'stall'`, keeps it open. */
  | { readonly kind: 'raw'; readonly parts: ReadonlyArray<string | Buffer>; readonly gapMs?: number; readonly then?: 'close' | 'stall' };

/**
 * A resource of `size` bytes whose byte at offset `i` is `contentByte(i)` (generated, never held
 * in memory), served in `chunkSize` pieces.
 */
export interface ContentOptions {
  readonly size: number;
  /** Status of a full answer. Defaults to 200. */
  readonly status?: number;
  /** `ETag` sent (and matched against `If-Range`). Defaults to none. */
  readonly etag?: string;
  /** `Last-Modified` sent (and matched against a date `If-Range`). Defaults to none. */
  readonly lastModified?: string;
  /** Sends `Accept-Ranges: bytes` and honours `Range: bytes=N-` (206). Defaults to false. */
  readonly acceptRanges?: boolean;
  /** Extra response headers. Defaults to none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Bytes per write. Defaults to 64 KiB. */
  readonly chunkSize?: number;
  /** Pause between writes in ms (a slow but healthy body). Defaults to 0. */
  readonly intervalMs?: number;
  /** Closes the connection after sending this many body bytes of this answer (a mid-body cut). Defaults to never. */
  readonly cutAfter?: number;
  /** Stops sending (never ends) after this many body bytes of this answer. Defaults to never. */
  readonly stallAfter?: number;
  /** `chunked` sends no Content-Length: the body goes out with chunked transfer-encoding. Defaults to `length`. */
  readonly framing?: 'length' | 'chunked';
}

/** Byte `i` of a `fault.content` resource: `i % 251` (a prime, so offsets show up in the data). */
export function contentByte(i: number): number {
  return i % 251;
}

const PATTERN = Buffer.from(Array.from({ length: 251 * 261 + 251 }, (_, i) => i % 251));
const PATTERN_SPAN = 251 * 261;

/** Bytes `[start, start + length)` of a `fault.content` resource. */
export function contentBytes(start: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let at = 0; at < length; ) {
    const from = (start + at) % 251;
    const n = Math.min(length - at, PATTERN_SPAN);
    PATTERN.copy(out, at, from, from + n);
    at += n;
  }
  return out;
}

/** One step of a script: an action, used for `times` hits (default 1; the last step repeats forever). */
export type FaultStep = FaultAction & { readonly times?: number };

/**
 * How a route behaves: one step (always), a sequence of steps consumed one per hit (the last one
 * repeats), or a function choosing an action per request.
 */
export type FaultScript = FaultStep | ReadonlyArray<FaultStep> | ((request: RecordedRequest) => FaultAction);

/** Builders of fault actions. */
export const fault = {
  /** A plain response. */
  status: (status: number, body: string | Buffer = '', headers: Record<string, string> = {}): FaultAction => ({ kind: 'respond', status, body, headers }),
  /** A JSON response. */
  json: (status: number, value: unknown, headers: Record<string, string> = {}): FaultAction => ({
    kind: 'respond',
    status,
    body: JSON.stringify(value),
    headers: { 'content-type': 'application/json', ...headers },
  }),
  /** A `text/plain` response (e.g. a Prometheus exposition). */
  text: (status: number, body: string, contentType = 'text/plain; charset=utf-8'): FaultAction => ({ kind: 'respond', status, body, headers: { 'content-type': contentType } }),
  /** A 429 (or `status`) with `Retry-After` in seconds (number) or as an HTTP date (Date). */
  retryAfter: (after: number | Date, status = 429, body = 'slow down'): FaultAction => ({
    kind: 'respond',
    status,
    body,
    headers: { 'retry-after': typeof after === 'number' ? String(after) : after.toUTCString() },
  }),
  /** Answers with a JSON description of the request. */
  echo: (status = 200): FaultAction => ({ kind: 'echo', status }),
  /** TCP reset (ECONNRESET on the client). */
  reset: (): FaultAction => ({ kind: 'reset' }),
  /** Closes the connection without a response. */
  close: (): FaultAction => ({ kind: 'close' }),
  /** Never sends headers. */
  stallHeaders: (): FaultAction => ({ kind: 'stall-headers' }),
  /** Sends headers and a first chunk, never ends the body. */
  stallBody: (status = 200, body = 'partial', headers: Record<string, string> = {}): FaultAction => ({ kind: 'stall-body', status, body, headers }),
  /** The same action answered after `delayMs` (respond and echo only). */
  slow: (delayMs: number, action: FaultAction): FaultAction => ({ ...action, delayMs }) as FaultAction,
  /** A generated resource: validators, Range/If-Range, slow chunks, mid-body cuts or stalls (see `ContentOptions`). */
  content: (options: ContentOptions): FaultAction => ({ kind: 'content', ...options }),
  /** Raw bytes on the socket, one write per part (`gapMs` apart), then FIN (or `then: 'stall'`): for malformed or hand-framed answers. */
  raw: (parts: ReadonlyArray<string | Buffer>, options: { gapMs?: number; then?: 'close' | 'stall' } = {}): FaultAction => ({ kind: 'raw', parts, ...options }),
  /** The step used for `n` consecutive hits before the script moves on. */
  times: (n: number, action: FaultAction): FaultStep => ({ ...action, times: n }),
};

export interface FaultServerOptions {
  /**
   * Scripts by route key: `'/path'`, `'METHOD /path'` (checked first) or `'*'` (any request, a
   * sequence over all of them). Defaults to none.
   */
  readonly routes?: Readonly<Record<string, FaultScript>>;
  /** What unscripted requests get. Defaults to `fault.echo(200)`. */
  readonly fallback?: FaultScript;
  /** Port to listen on. Defaults to a free one picked by the kernel. */
  readonly port?: number;
}

export interface FaultServer {
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Requests received for `path` (any method), or all of them. */
  hits(path?: string): number;
  /** Recorded requests for `path`, or all of them, in arrival order. */
  requests(path?: string): RecordedRequest[];
  /** TCP connections accepted since start or the last `reset()` (to check keep-alive reuse). */
  connections(): number;
  /** Replaces (or adds) the script of a route key; its sequence starts over. */
  script(route: string, script: FaultScript): void;
  /**
   * Forgets recorded requests, rewinds every sequence, destroys connections with an unfinished
   * answer (stalls); idle keep-alive connections stay open and `connections()` restarts at their count.
   */
  reset(): void;
  /** Closes every connection (stalled ones too) and the listener. */
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** Starts a fault-injecting HTTP server on 127.0.0.1; stopped at process exit if a test forgets. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const scripts = new Map<string, FaultScript>(Object.entries(options.routes ?? {}));
  const fallback = options.fallback ?? fault.echo(200);
  const counters = new Map<string, number>();
  const recorded: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const unanswered = new Set<ServerResponse>();
  let connections = 0;

  const server = createServer((req, res) => {
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
    void readBody(req).then(({ body, bodyBytes, bodyComplete }) => {
      const url = req.url ?? '/';
      const path = url.split('?')[0] ?? '/';
      const key = [`${req.method} ${path}`, path, '*'].find((k) => scripts.has(k));
      const counterKey = key ?? '(fallback)';
      const hit = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, hit);
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        url,
        query: Object.fromEntries(new URL(url, 'http://x').searchParams),
        headers: req.headers,
        body,
        bodyBytes,
        bodyComplete,
        hit,
      };
      recorded.push(request);
      perform(pick(key === undefined ? fallback : scripts.get(key)!, request), request, req, res);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const dropSockets = (): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  const unregister = onCleanup(() => {
    dropSockets();
    server.close();
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits: (path) => recorded.filter((r) => path === undefined || r.path === path).length,
    requests: (path) => recorded.filter((r) => path === undefined || r.path === path),
    connections: () => connections,
    script: (route, script) => {
      scripts.set(route, script);
      counters.delete(route);
    },
    reset: () => {
      recorded.length = 0;
      counters.clear();
      for (const res of unanswered) res.socket?.destroy();
      unanswered.clear();
      connections = sockets.size;
    },
    stop: async () => {
      unregister();
      dropSockets();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The action for this hit: steps are consumed in order (`times` each), the last one repeats. */
function pick(script: FaultScript, request: RecordedRequest): FaultAction {
  if (typeof script === 'function') return script(request);
  const steps: ReadonlyArray<FaultStep> = Array.isArray(script) ? script : [script as FaultStep];
  let remaining = request.hit;
  for (const step of steps) {
    remaining -= step.times ?? 1;
    if (remaining <= 0) return step;
  }
  const last = steps[steps.length - 1];
  if (!last) throw new Error('fault server: a route script has no steps');
  return last;
}

function perform(action: FaultAction, request: RecordedRequest, req: IncomingMessage, res: ServerResponse): void {
  switch (action.kind) {
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'close':
      req.socket.destroy();
      return;
    case 'stall-headers':
      return;
    case 'stall-body':
      res.writeHead(action.status, { ...action.headers });
      res.write(action.body ?? '');
      return;
    case 'content':
      sendContent(action, req, res);
      return;
    case 'raw': {
      const socket = req.socket;
      const write = (i: number): void => {
        if (socket.destroyed) return;
        if (i === action.parts.length) {
          if (action.then !== 'stall') socket.end();
          return;
        }
        socket.write(action.parts[i]!, () => (action.gapMs ? setTimeout(() => write(i + 1), action.gapMs).unref() : write(i + 1)));
      };
      write(0);
      return;
    }
    case 'echo':
    case 'respond': {
      const send = (): void => {
        if (res.destroyed) return;
        if (action.kind === 'echo') {
          const { method, path, url, query, headers, body } = request;
          const json = JSON.stringify({ method, path, url, query, headers, body });
          res.writeHead(action.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
          res.end(json);
        } else {
          const payload = action.body ?? '';
          res.writeHead(action.status, { 'content-length': Buffer.byteLength(payload), ...action.headers });
          res.end(payload);
        }
      };
      if (action.delayMs) setTimeout(send, action.delayMs).unref();
      else send();
    }
  }
}

/** Serves a `fault.content` resource, honouring `Range: bytes=N-` when the validator in `If-Range` (if any) matches. */
function sendContent(action: ContentOptions, req: IncomingMessage, res: ServerResponse): void {
  const { size, etag, lastModified, acceptRanges = false, chunkSize = 64 * 1024, intervalMs = 0, cutAfter, stallAfter } = action;
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...action.headers };
  if (etag) headers.etag = etag;
  if (lastModified) headers['last-modified'] = lastModified;
  if (acceptRanges) headers['accept-ranges'] = 'bytes';
  let start = 0;
  const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
  const ifRange = req.headers['if-range'];
  const validatorOk = ifRange === undefined || ifRange === etag || ifRange === lastModified;
  if (acceptRanges && range && validatorOk && Number(range[1]) < size) {
    start = Number(range[1]);
    headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
  }
  if (action.framing !== 'chunked') headers['content-length'] = String(size - start);
  res.writeHead(start > 0 ? 206 : (action.status ?? 200), headers);
  let sent = 0;
  const total = size - start;
  const step = (): void => {
    while (!res.destroyed) {
      if (stallAfter !== undefined && sent >= stallAfter) return;
      if (sent >= total) {
        res.end();
        return;
      }
      let n = Math.min(chunkSize, total - sent);
      if (cutAfter !== undefined) n = Math.min(n, cutAfter - sent);
      if (stallAfter !== undefined) n = Math.min(n, stallAfter - sent);
      sent += n;
      // A cut: the connection is closed (FIN) once the bytes before it are written. Not a reset: an
      // RST can make the client's kernel drop data it has not read yet, headers included.
      if (cutAfter !== undefined && sent >= cutAfter) {
        res.write(contentBytes(start + sent - n, n), () => req.socket.end());
        return;
      }
      const ok = res.write(contentBytes(start + sent - n, n));
      if (intervalMs > 0) {
        setTimeout(step, intervalMs).unref();
        return;
      }
      if (!ok) {
        res.once('drain', step);
        return;
      }
    }
  };
  step();
}

function readBody(req: IncomingMessage): Promise<{ body: string; bodyBytes: number; bodyComplete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (bodyComplete: boolean): void => resolve({ body: Buffer.concat(chunks).toString('utf8'), bodyBytes: size, bodyComplete });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => done(true));
    req.on('error', () => done(false));
    req.on('close', () => done(req.complete));
  });
}
