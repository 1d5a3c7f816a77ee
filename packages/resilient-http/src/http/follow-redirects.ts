import { UsageError } from '@ops/core';
import { TooManyRedirectsError } from './http-errors.js';
import type { HttpRequestOptions } from './http-client.js';
import { BodySource } from './request-body.js';
import { discardBody } from './read-body.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly url: string;
}

/** Sends one hop: `crossOrigin` drops credentials (Authorization, Cookie, Proxy-Authorization). */
export type SendHop<R extends Answer> = (method: string, url: string, opts: HttpRequestOptions, crossOrigin: boolean) => Promise<R>;

/**
 * Follows up to `opts.maxRedirects` redirects as curl -L and browsers do: 303 (and 301/302 after
 * a POST) continue as GET without a body, 307/308 resend method and body (which must be
 * replayable); credentials are not sent to another origin.
 */
export async function followRedirects<R extends Answer>(method: string, start: URL, opts: HttpRequestOptions, first: R, send: SendHop<R>): Promise<R> {
  const max = opts.maxRedirects ?? 0;
  let res = first;
  let current = start;
  let crossOrigin = false;
  let hopMethod = method;
  let hopOpts: HttpRequestOptions = { ...opts, query: undefined };
  for (let hop = 1; max > 0 && REDIRECTS.has(res.status); hop++) {
    const location = header(res.headers.location);
    if (!location) return res;
    discardBody(res.body);
    if (hop > max) throw new TooManyRedirectsError(method, res.url, max);
    const next = new URL(location, current);
    if (!/^https?:$/.test(next.protocol)) throw new UsageError(`${method} ${res.url} redirected to a ${next.protocol} URL; only http and https are followed`);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && hopMethod === 'POST')) {
      hopMethod = hopMethod === 'HEAD' ? 'HEAD' : 'GET';
      hopOpts = { ...hopOpts, body: undefined, bodyFile: undefined, json: undefined };
    } else if (hopOpts.body !== undefined && typeof hopOpts.body === 'object' && !(hopOpts.body instanceof Uint8Array) && !(hopOpts.body instanceof BodySource)) {
      throw new UsageError(`${method} ${res.url} answered ${res.status}, which resends the body, but the body is a stream that was already sent; pass \`body: () => stream\` or \`bodyFile\``);
    }
    crossOrigin ||= next.origin !== start.origin;
    res = await send(hopMethod, next.href, hopOpts, crossOrigin);
    current = next;
  }
  return res;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
