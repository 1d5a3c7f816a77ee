import type { ResponseHeaders } from '../http-response.js';

/** Largest response head (status line and headers) accepted. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Most header lines accepted in one response head. */
export const MAX_HEADER_LINES = 500;

/** A response that breaks HTTP/1.1 (head or body framing); the message says how. */
export class ProtocolViolation extends Error {
  readonly code = 'HTTP_BAD_RESPONSE';
}

/** A parsed response head. */
export interface ResponseHead {
  readonly status: number;
  readonly headers: ResponseHeaders;
}

const STATUS_LINE = /^HTTP\/1\.[01] ([1-9]\d\d)(?: [^\r\n]*)?$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Quotes a piece of a broken response for a message: control characters escaped, at most 80 characters. */
export function excerpt(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  // JSON escapes C0 controls; C1 ones (a CSI is \x9b in latin1) are escaped too, for terminals.
  return JSON.stringify(short).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Parses a response head (without its final empty line): `HTTP/1.x NNN reason` and `name: value`
 * lines. Names are lower-cased; a repeated header becomes an array, as undici gives them.
 * Throws `ProtocolViolation` for a bad status line, a bad header line or obsolete line folding.
 */
export function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const statusLine = lines[0]!;
  const match = STATUS_LINE.exec(statusLine);
  if (!match) throw new ProtocolViolation(`bad status line ${excerpt(statusLine)}`);
  if (lines.length - 1 > MAX_HEADER_LINES) throw new ProtocolViolation(`more than ${MAX_HEADER_LINES} header lines`);
  const headers: Record<string, string | string[]> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith(' ') || line.startsWith('\t')) throw new ProtocolViolation(`folded header line ${excerpt(line)} (obsolete line folding)`);
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name) || /[\0\n\r]/.test(line)) throw new ProtocolViolation(`bad header line ${excerpt(line)}`);
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    const seen = headers[key];
    if (seen === undefined) headers[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else headers[key] = [seen, value];
  }
  return { status: Number(match[1]), headers };
}

/** How the body of a response is delimited (RFC 9112 section 6.3). */
export type Framing = { readonly kind: 'none' } | { readonly kind: 'length'; readonly length: number } | { readonly kind: 'chunked' } | { readonly kind: 'close' };

/** The framing of `head`'s body for a request of `method`; throws `ProtocolViolation` when it is ambiguous or invalid. */
export function framingOf(method: string, head: ResponseHead): Framing {
  if (method === 'HEAD' || head.status === 204 || head.status === 304 || head.status < 200) return { kind: 'none' };
  const te = head.headers['transfer-encoding'];
  const cl = head.headers['content-length'];
  if (te !== undefined) {
    if (cl !== undefined) throw new ProtocolViolation('both Transfer-Encoding and Content-Length (ambiguous framing)');
    const codings = (Array.isArray(te) ? te.join(',') : te).split(',').map((c) => c.trim().toLowerCase());
    if (codings.at(-1) === 'chunked') {
      if (codings.indexOf('chunked') !== codings.length - 1) throw new ProtocolViolation(`Transfer-Encoding ${excerpt(String(te))} applies chunked twice`);
      return { kind: 'chunked' };
    }
    return { kind: 'close' };
  }
  if (cl === undefined) return { kind: 'close' };
  const values = (Array.isArray(cl) ? cl : [cl]).flatMap((v) => v.split(',')).map((v) => v.trim());
  if (!values.every((v) => /^\d{1,15}$/.test(v) && v === values[0])) throw new ProtocolViolation(`bad Content-Length ${excerpt(Array.isArray(cl) ? cl.join(', ') : cl)}`);
  return { kind: 'length', length: Number(values[0]) };
}
