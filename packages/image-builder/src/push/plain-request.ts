import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** What `plainRequest` returns. */
export interface PlainResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const MAX_BODY = 1 << 20;

/**
 * One small HTTP(S) request on `node:http`/`node:https` (the registry's manifest `HEAD` and its
 * token): `fetch` would load Node's bundled undici first, a few hundred ms of a push's start-up.
 * The body is read up to 1 MiB; `signal` aborts the request and the read.
 */
export async function plainRequest(url: URL, options: { method?: string; headers?: Record<string, string>; signal?: AbortSignal }): Promise<PlainResponse> {
  const tls = url.protocol === 'https:';
  const send = tls ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: options.method ?? 'GET', headers: options.headers, signal: options.signal, servername: serverName(url, tls) }, (res) => {
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
