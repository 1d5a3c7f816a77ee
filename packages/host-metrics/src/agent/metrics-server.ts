import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { invalidOption, MetricsError } from '../errors.js';
import { withoutUndefined } from '../without-undefined.js';
import { basicAuthChecker } from './basic-auth.js';
import type { WebConfig } from './web-config.js';

const gzip = promisify(gzipCallback);

/** Options of `createMetricsServer`. */
export interface MetricsServerOptions {
  /** The registry whose latest values `/metrics` serves. */
  readonly registry: Registry;
  /** TCP port; 0 picks a free one. Defaults to 9100. */
  readonly port?: number;
  /** Address to listen on. Defaults to `0.0.0.0` (all IPv4 interfaces). */
  readonly host?: string;
  /** `/readyz` answers 200 once this returns true. Defaults to always ready. */
  readonly isReady?: () => boolean;
  /** The body of a 503 from `/readyz`: why it is not ready. Defaults to "not ready". */
  readonly notReadyReason?: () => string | undefined;
  /** Reuse a rendered exposition for this long (ms) so bursts of scrapes cost one render; 0 renders every scrape. Defaults to 1000. */
  readonly cacheMs?: number;
  /** Changes whenever the registry got a new sample (e.g. `collector.sampleCount`); a change discards the cached exposition at once. Defaults to none (only `cacheMs` ages it). */
  readonly generation?: () => number;
  /** TLS and basic auth (see `loadWebConfig`, node_exporter's web config format). Defaults to plain HTTP without auth. */
  readonly webConfig?: WebConfig;
  /** Closes the server when aborted. Defaults to none. */
  readonly signal?: AbortSignal;
}

export const METRICS_SERVER_DEFAULTS = { port: 9100, host: '0.0.0.0', isReady: () => true, notReadyReason: () => undefined, cacheMs: 1000, generation: () => 0 } as const;

/** A listening metrics endpoint. */
export interface MetricsServer {
  /** Base URL, e.g. `http://127.0.0.1:9100`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const LANDING = '<html><head><title>host-metrics</title></head><body><h1>host-metrics</h1><p><a href="/metrics">Metrics</a></p></body></html>\n';

/**
 * Serves `/metrics` (the registry as it is: nothing is collected during a scrape), `/healthz`
 * (the process answers) and `/readyz` (a first sample exists and no required collector fails).
 */
export async function createMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const o = { ...METRICS_SERVER_DEFAULTS, ...withoutUndefined(options) };
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65_535) throw invalidOption('port', 'an integer from 0 to 65535', o.port);
  if (!Number.isFinite(o.cacheMs) || o.cacheMs < 0) throw invalidOption('cacheMs', 'a non-negative number of milliseconds', o.cacheMs);

  // The registry holds the latest sample; rendering it is the only work a scrape does, shared by
  // concurrent scrapes and reused for `cacheMs`.
  let cached: { text: string; gzipped?: Promise<Buffer>; at: number; generation: number } | undefined;
  let rendering: Promise<NonNullable<typeof cached>> | undefined;
  const render = (): Promise<NonNullable<typeof cached>> => {
    const generation = o.generation();
    if (cached && cached.generation === generation && performance.now() - cached.at < o.cacheMs) return Promise.resolve(cached);
    return (rendering ??= o.registry.metrics().then(
      (text) => {
        cached = { text, at: performance.now(), generation };
        rendering = undefined;
        return cached;
      },
      (error: unknown) => {
        rendering = undefined;
        throw error;
      },
    ));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (checkAuth && !(await checkAuth(req.headers.authorization))) {
      res.setHeader('WWW-Authenticate', 'Basic realm="host-metrics"');
      return send(res, 401, 'text/plain', 'unauthorized\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/metrics') {
      const exposition = await render();
      res.setHeader('Vary', 'Accept-Encoding');
      if (!acceptsGzip(req.headers['accept-encoding'])) return send(res, 200, o.registry.contentType, exposition.text);
      // Compressed once per rendered sample, shared by the scrapes that ask for gzip.
      const body = await (exposition.gzipped ??= gzip(exposition.text));
      res.setHeader('Content-Encoding', 'gzip');
      return send(res, 200, o.registry.contentType, body);
    }
    if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
    if (path === '/readyz') return o.isReady() ? send(res, 200, 'text/plain', 'ready\n') : send(res, 503, 'text/plain', `${o.notReadyReason() ?? 'not ready'}\n`);
    if (path === '/') return send(res, 200, 'text/html', LANDING);
    return send(res, 404, 'text/plain', 'not found: try /metrics\n');
  };

  const checkAuth = o.webConfig?.basicAuthUsers ? basicAuthChecker(o.webConfig.basicAuthUsers) : undefined;
  const tls = o.webConfig?.tls;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `error: ${(error as Error)?.message ?? String(error)}\n`);
      else res.destroy();
    });
  };
  // node:https (and tls) costs ~4 MiB of RSS: loaded only for a TLS web config.
  const server = tls
    ? (await import('node:https')).createServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: tls.requireClientCert || tls.ca !== undefined, rejectUnauthorized: tls.requireClientCert, minVersion: tls.minVersion ?? 'TLSv1.2' }, listener)
    : createServer(listener);
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new MetricsError('METRICS_LISTEN_FAILED', `cannot listen on ${o.host}:${o.port}: ${error.code ?? error.message}`, {
        cause: error,
        context: { host: o.host, port: o.port },
        hint: error.code === 'EADDRINUSE' ? 'another process (node_exporter?) holds the port: pick another with --port' : 'check --listen and --port',
      })),
    );
    server.listen(o.port, o.host, () => resolve());
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host.includes(':') ? `[${o.host}]` : o.host;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  o.signal?.addEventListener('abort', () => void close(), { once: true });
  return { url: `${tls ? 'https' : 'http'}://${urlHost}:${port}`, port, close };
}

/** Whether `Accept-Encoding` asks for gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  }
  return false;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
