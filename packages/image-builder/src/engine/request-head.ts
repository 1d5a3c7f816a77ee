/** What a request head is made of (`rawRequest`'s request, without its body). */
export interface RequestHeadParts {
  /** Unix socket path; else `host` and `port`. */
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number;
  readonly method: string;
  /** Path and query string, already encoded. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, unknown>>;
  /** Whether a body follows, sent with chunked transfer encoding. */
  readonly chunked: boolean;
  /** Bytes of a body sent whole, when not chunked. Defaults to 0 (sent for methods other than GET and HEAD). */
  readonly contentLength?: number;
}

/**
 * The HTTP/1.1 head `rawRequest` writes, with `Connection: close` (one function, so that a
 * request written early, `openEarlyConnection`, is the same text). Throws a `TypeError` for a
 * path or header that cannot be sent as it is.
 */
export function requestHead(request: RequestHeadParts): string {
  const { method, path } = request;
  if (/[\s]/.test(path)) throw new TypeError(`request path contains unescaped characters: ${JSON.stringify(path)}`);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${request.socketPath ? 'localhost' : `${request.host}:${request.port}`}`];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    const text = String(value);
    if (/[\r\n]/.test(name) || /[\r\n]/.test(text)) throw new TypeError(`invalid character in the value of header ${name}`);
    lines.push(`${name}: ${text}`);
  }
  if (request.chunked) lines.push('Transfer-Encoding: chunked');
  else if (request.contentLength || (method !== 'GET' && method !== 'HEAD')) lines.push(`Content-Length: ${request.contentLength ?? 0}`);
  lines.push('Connection: close', '', '');
  return lines.join('\r\n');
}
