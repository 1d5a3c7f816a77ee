import type { IncomingHttpHeaders } from 'node:http';
import { rawRequest } from '../engine/raw-http.js';

/** What `plainRequest` returns. */
export interface PlainResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const MAX_BODY = 1 << 20;

/**
 * One small HTTP(S) request (the registry's manifest `HEAD` and its token): plain HTTP on
 * node:net (raw-http.ts, as the Engine calls), HTTPS on `node:https`; `fetch` would load Node's
 * bundled undici first, a few hundred ms of a push's start-up. The body is read up to 1 MiB;
 * `signal` aborts the request and the read.
 */
export async function plainRequest(url: URL, options: { method?: string; headers?: Record<string, string>; signal?: AbortSignal }): Promise<PlainResponse> {
  const tls = url.protocol === 'https:';
  const method = options.method ?? 'GET';
  if (!tls) {
    const res = await rawRequest({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80), method, path: `${url.pathname}${url.search}`, headers: options.headers, signal: options.signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.destroy();
        throw new Error(`the answer of ${url.host} is larger than ${MAX_BODY} bytes`);
      }
      chunks.push(chunk);
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
  }
  const { request: send } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers: options.headers, signal: options.signal, servername: serverName(url, tls) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy(new Error(`the answer of ${url.host} is larger than ${MAX_BODY} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The TLS server name (SNI) for `url`: its host name, none for an IP address or plain HTTP.
 * Given here because node:http's agent otherwise derives it with net.isIP(), whose first IPv6
 * test compiles a regular expression costing ~10 ms of CPU (a push's own time is ~60 ms).
 */
export function serverName(url: URL, tls: boolean): string {
  const host = url.hostname;
  return !tls || host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host) ? '' : host;
}
