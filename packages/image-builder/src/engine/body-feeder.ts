import { BodyDecoder, ProtocolViolation, type Framing } from '@ops/resilient-http/http1';

/** A response that breaks HTTP/1.1 (found by resilient-http's parser), as node:http reports one. */
export function protocolError(error: unknown): unknown {
  if (!(error instanceof ProtocolViolation)) return error;
  return Object.assign(new Error(`malformed HTTP response: ${error.message}`, { cause: error }), { code: 'HPE_INVALID' });
}

/** What `bodyFeeder` returns. */
export interface BodyFeeder {
  /** True once the body is complete. */
  readonly done: boolean;
  /** Takes the bytes of one socket read; throws `protocolError` for broken framing. */
  feed(chunk: Buffer): void;
  /** At the end of the connection: undefined when the body is complete, else the error (ECONNRESET). */
  end(): Error | undefined;
}

/**
 * A response body as it comes from the socket, framed by `framing` (Content-Length, chunked with
 * extensions and trailers, or up to the close) and decoded by resilient-http's `BodyDecoder`,
 * the direct download path's own: the body bytes of each read go to `emit` at once (one push per
 * socket read, not one per HTTP chunk: a build printing 100,000 lines sends as many chunks), then
 * `finish()` once the body is complete.
 */
export function bodyFeeder(framing: Framing, emit: (chunk: Buffer) => void, finish: () => void): BodyFeeder {
  const decoder = new BodyDecoder(framing);
  return {
    get done() {
      return decoder.done;
    },
    feed(chunk) {
      if (decoder.done) return;
      const parts: Buffer[] = [];
      try {
        for (let pos = 0; pos < chunk.length && !decoder.done;) {
          pos = decoder.next(chunk, pos, chunk.length);
          if (decoder.dataEnd > decoder.dataStart) parts.push(chunk.subarray(decoder.dataStart, decoder.dataEnd));
        }
      } catch (error) {
        throw protocolError(error);
      }
      if (parts.length) emit(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
      if (decoder.done) finish();
    },
    end: () => decoder.endOfInput(),
  };
}
