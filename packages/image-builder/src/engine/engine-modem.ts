import type { ClientRequest, RequestOptions } from 'node:http';
import { stringify } from 'node:querystring';
import type { Readable } from 'node:stream';
import { drained } from './drained.js';
import { rawRequest } from './raw-http.js';

/** Where the engine is and how to reach it (`resolveEngineOptions()`). */
export interface ModemOptions {
  readonly socketPath?: string;
  readonly protocol?: 'http' | 'https' | 'ssh';
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly checkServerIdentity?: () => undefined;
}

/** One call, as docker-modem's `dial` takes it (the part of it this library and dockerode users send). A type, not an interface, so that it fits `Engine`'s open `dial` options. */
export type DialOptions = {
  /** Path; a trailing `?` appends `options` as the query string. */
  readonly path: string;
  readonly method: string;
  /** Query parameters: objects are sent as JSON, arrays as repeated keys. */
  readonly options?: Record<string, unknown>;
  /** Request body (sent as `application/tar`): a stream, or a buffer sent whole with its Content-Length. */
  readonly file?: Readable | Buffer;
  /** Called with each chunk of `file` once the socket has taken it (`PackedContext.release`). Not docker-modem's. */
  readonly releaseChunk?: (chunk: Buffer) => void;
  /** Sent base64 JSON in `X-Registry-Auth`. */
  readonly authconfig?: unknown;
  /** Sent base64 JSON in `X-Registry-Config`. */
  readonly registryconfig?: unknown;
  readonly headers?: Record<string, unknown>;
  readonly abortSignal?: AbortSignal;
  /** Resolve with the response stream instead of its parsed body. */
  readonly isStream?: boolean;
  /** Resolve with the upgraded socket (`POST /session`). */
  readonly hijack?: boolean;
  /** Status codes: `true` is success, a string names the failure. */
  readonly statusCodes: Record<number, true | string>;
};

/** A failed call: docker-modem's error shape (`statusCode`, `json`, `reason`), which the callers read. */
export interface DialError extends Error {
  statusCode?: number;
  json?: unknown;
  reason?: string;
}

type Callback = (error: unknown, result?: unknown) => void;

/**
 * A small Engine API client with docker-modem's `dial(options, callback)` contract, on
 * `node:http` alone: docker-modem loads ssh2 (and its crypto) on import, most of a trivial
 * build's start-up. SSH hosts load docker-modem's SSH agent only when used.
 */
export class EngineModem {
  readonly socketPath?: string;
  readonly protocol?: 'http' | 'https' | 'ssh';
  readonly host?: string;
  readonly port?: number;
  private readonly options: ModemOptions;

  constructor(options: ModemOptions) {
    this.options = options;
    this.socketPath = options.socketPath;
    this.protocol = options.protocol;
    this.host = options.host;
    this.port = options.port;
  }

  dial(options: DialOptions, callback: Callback): void {
    this.send(options).then((result) => callback(null, result), callback);
  }

  private async send(call: DialOptions): Promise<unknown> {
    const o = this.options;
    const headers: Record<string, unknown> = { ...call.headers };
    // URL-safe base64 with its padding: the daemon decodes it with Go's base64.URLEncoding.
    if (call.authconfig) headers['X-Registry-Auth'] = Buffer.from(JSON.stringify(call.authconfig)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    if (call.registryconfig) headers['X-Registry-Config'] = Buffer.from(JSON.stringify(call.registryconfig)).toString('base64');
    if (call.file) headers['Content-Type'] ??= 'application/tar';
    if (call.hijack) {
      headers.Connection = 'Upgrade';
      headers.Upgrade ??= 'tcp';
    }
    const path = withQuery(call.path, call.options);
    // Unix socket and plain TCP: a request on node:net (raw-http.ts), not node:http, whose
    // loading and first request cost ~10 ms of CPU (a tenth of a cached build's own time).
    // TLS, SSH and the upgraded connection of a BuildKit session stay on node:http(s).
    if (!call.hijack && (o.protocol === undefined || o.protocol === 'http')) {
      const res = await rawRequest({ socketPath: o.socketPath, host: o.host, port: o.port, method: call.method, path, headers, body: call.file, releaseChunk: call.releaseChunk, signal: call.abortSignal });
      return settle(res, call, () => res.destroy());
    }
    const request: RequestOptions & { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string; checkServerIdentity?: () => undefined } = {
      method: call.method, path, headers: headers as RequestOptions['headers'], signal: call.abortSignal,
    };
    if (o.socketPath) request.socketPath = o.socketPath;
    else Object.assign(request, { host: o.host, port: o.port });
    const { request: httpRequest } = o.protocol === 'https' ? await import('node:https') : await import('node:http');
    if (o.protocol === 'https') {
      Object.assign(request, { ca: o.ca, cert: o.cert, key: o.key, ...(o.checkServerIdentity ? { checkServerIdentity: o.checkServerIdentity } : {}) });
    } else {
      // No TLS name to derive: without this, node:http's agent asks net.isIP() of the host,
      // whose first IPv6 test compiles a regular expression that costs ~10 ms of CPU.
      request.servername = '';
    }
    if (o.protocol === 'ssh') {
      // docker-modem's agent: `docker system dial-stdio` over an SSH connection (ssh2, loaded now).
      const { default: sshAgent } = (await import('docker-modem/lib/ssh.js' as string)) as { default: (options: object) => RequestOptions['agent'] };
      request.agent = sshAgent({ host: o.host, port: o.port, username: o.username, agent: process.env.SSH_AUTH_SOCK });
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(request);
      req.on('error', reject);
      if (call.hijack) req.on('upgrade', (_res, socket, head) => {
        if (head.length) socket.unshift(head);
        resolve(socket);
      });
      req.on('response', (res) => {
        settle(res, call, () => req.destroy()).then(resolve, reject);
      });
      if (Buffer.isBuffer(call.file)) req.end(call.file);
      else if (call.file) upload(call.file, req, call.releaseChunk).catch((error: unknown) => req.destroy(error as Error));
      else req.end();
    });
  }
}

/** A response's result: the stream itself (`isStream` and a success status), else its body, parsed, or a status error. */
async function settle(res: Readable & { statusCode?: number }, call: DialOptions, destroy: () => void): Promise<unknown> {
  const status = res.statusCode ?? 0;
  if (call.statusCodes[status] === true && call.isStream) return res;
  const body = await readBody(res, destroy);
  if (call.statusCodes[status] === true) return body;
  throw statusError(status, call.statusCodes[status] as string | undefined, body);
}

/** Writes `body` into `req` with backpressure, handing each chunk to `release` once written. */
async function upload(body: Readable, req: ClientRequest, release: ((chunk: Buffer) => void) | undefined): Promise<void> {
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (req.destroyed) return;
      if (!req.write(chunk, release && (() => release(chunk)))) await drained(req);
    }
    req.end();
  } finally {
    body.destroy();
  }
}

function withQuery(path: string, query: Record<string, unknown> | undefined): string {
  if (!path.endsWith('?')) return path;
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query ?? {})) params[key] = value && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : value;
  const qs = stringify(params as Parameters<typeof stringify>[0]);
  return qs ? `${path}${qs}` : path.slice(0, -1);
}

async function readBody(res: Readable, destroy: () => void): Promise<unknown> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (error) {
    destroy();
    throw error;
  }
  const buffer = Buffer.concat(chunks);
  try {
    return JSON.parse(buffer.toString());
  } catch {
    return buffer.length ? buffer.toString() : buffer;
  }
}

function statusError(status: number, reason: string | undefined, body: unknown): DialError {
  const cause = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : String(body);
  const error: DialError = new Error(`(HTTP code ${status}) ${reason ?? 'unexpected'} - ${cause} `);
  error.statusCode = status;
  error.reason = reason;
  error.json = body;
  return error;
}
