import { UsageError, registerSecret } from '@ops/core';

/** Query values: arrays repeat the key; `undefined` and `null` are left out. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

export interface RequestTarget {
  /** The URL to send to, without credentials. */
  readonly url: URL;
  /** `Basic ...` from credentials found in the URL, if any. */
  readonly authorization: string | undefined;
}

/**
 * Resolves `path` against `baseUrl` (a leading `/` is kept relative to the base path), adds the
 * query and moves URL credentials into an Authorization header (registered as secrets).
 */
export function requestTarget(baseUrl: URL | undefined, path: string, query?: Readonly<Record<string, QueryValue>>): RequestTarget {
  let url: URL;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? new URL(path) : new URL(path.replace(/^\/+/, ''), baseUrl);
  } catch {
    throw new UsageError(`Expected a path relative to \`baseUrl\` or an absolute URL, got "${path}"${baseUrl ? '' : ' (no baseUrl is set)'}`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new UsageError(`Expected an http or https URL, got ${url.protocol}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  let authorization: string | undefined;
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    registerSecret(password);
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    registerSecret(authorization.slice(6));
    url.username = '';
    url.password = '';
  }
  return { url, authorization };
}
