import { connect } from 'node:net';
import { UsageError } from '@ops/core';
import type { LiteSignal } from '../lite-signal.js';
import type { ResponseHeaders } from '../http-response.js';
import { BodyDecoder } from './body-decoder.js';
import { DirectBody, type ViolationError } from './direct-body.js';
import { MAX_HEAD_BYTES, ProtocolViolation, framingOf, parseHead } from './http1-head.js';

/** Longest timer Node keeps (a longer one fires after 1 ms): longer timeouts are clamped to it (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Bytes read from the socket at a time, into one buffer reused for every read of the response. */
export const DIRECT_READ_BYTES = 1024 * 1024;

export interface DirectRequestInput {
  readonly method: string;
  /** An `http:` URL. */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Aborted by the attempt's headers timeout or the caller: the connection is dropped. */
  readonly signal: LiteSignal;
  readonly violation: ViolationError;
}

export interface DirectResponse {
  readonly statusCode: number;
  readonly headers: ResponseHeaders;
  readonly body: DirectBody;
}

/**
 * Sends a body-less request on a connection of its own (`Connection: close`) and resolves with
 * the response head; the body is read by `DirectBody` straight into one reused buffer, without
 * undici's per-read allocations and copies. Informational (1xx) answers are skipped.
 */
export function directRequest(input: DirectRequestInput): Promise<DirectResponse> {
  const { url, signal } = input;
  const request = requestHead(input);
  return new Promise<DirectResponse>((resolve, reject) => {
    const buffer = Buffer.allocUnsafe(DIRECT_READ_BYTES);
    let head = '';
    let body: DirectBody | undefined;
    const fail = (error: unknown): void => {
      if (body) return;
      signal.removeEventListener();
      socket.destroy();
      reject(error instanceof ProtocolViolation ? input.violation(error) : error);
    };
    const onHead = (nread: number): boolean => {
      let offset = 0;
      while (offset < nread) {
        const before = head.length;
        head += buffer.toString('latin1', offset, Math.min(nread, offset + MAX_HEAD_BYTES + 4 - before));
        const end = head.indexOf('\r\n\r\n', Math.max(0, before - 3));
        if (end === -1) {
          if (head.length > MAX_HEAD_BYTES) throw new ProtocolViolation(`response headers larger than ${MAX_HEAD_BYTES / 1024} KiB`);
          return true;
        }
        const parsed = parseHead(head.slice(0, end));
        offset += end + 4 - before;
        head = '';
        if (parsed.status === 101) throw new ProtocolViolation('101 Switching Protocols to a request that asked for no upgrade');
        if (parsed.status < 200) continue; // 100 Continue, 103 Early Hints: the real answer follows
        const decoder = new BodyDecoder(framingOf(input.method, parsed));
        socket.setTimeout(0);
        signal.removeEventListener();
        const leftover = offset < nread ? Buffer.from(buffer.subarray(offset, nread)) : undefined;
        body = new DirectBody(socket, decoder, leftover, Math.min(input.idleTimeoutMs, MAX_TIMER_MS), input.violation);
        resolve({ statusCode: parsed.status, headers: parsed.headers, body });
        return false;
      }
      return true;
    };
    const socket = connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 80),
      onread: {
        buffer,
        callback: (nread: number, buf: Uint8Array): boolean => {
          if (body) return body.onRead(nread, buf as Buffer);
          try {
            return onHead(nread);
          } catch (error) {
            fail(error);
            return false;
          }
        },
      },
    });
    socket.setNoDelay(true);
    socket.setTimeout(Math.min(input.connectTimeoutMs, MAX_TIMER_MS), () => {
      if (socket.connecting) fail(Object.assign(new Error(`could not connect within ${input.connectTimeoutMs}ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    });
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.write(request);
    });
    socket.on('error', fail);
    socket.once('end', () => fail(Object.assign(new Error('the server closed the connection before the response headers'), { code: 'UND_ERR_SOCKET' })));
    socket.once('close', () => fail(Object.assign(new Error('the connection closed before the response headers'), { code: 'UND_ERR_SOCKET' })));
    signal.addEventListener('abort', () => fail(signal.reason));
    if (signal.aborted) fail(signal.reason);
  });
}

/** `GET /path HTTP/1.1` and the headers; a header value with a line break is refused (it would split the request). */
function requestHead(input: DirectRequestInput): string {
  const { url, headers } = input;
  let text = `${input.method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  if (!('host' in headers)) text += `host: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n\0]/.test(value)) throw new UsageError(`Expected header ${name} without line breaks`);
    if (name !== 'connection') text += `${name}: ${value}\r\n`;
  }
  return `${text}connection: close\r\n\r\n`;
}
