import { type Framing, ProtocolViolation, excerpt } from './http1-head.js';

/** Longest chunk-size line (with extensions) and the most trailer bytes accepted. */
const MAX_LINE = 4096;
const MAX_TRAILERS = 64 * 1024;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,13})[ \t]*(?:;[\t -~\u0080-\u00ff]*)?$/;

const enum State {
  Length,
  Close,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailer,
  Done,
}

/** The body ended before its framing said it would: the connection was cut (`ECONNRESET`, so it is resumed). */
export function cutError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/**
 * Finds the data of a response body in the bytes read from the socket: a Content-Length, chunked
 * (chunk extensions ignored, trailers read and dropped) or close-delimited body. Zero-copy: after
 * `next()`, `dataStart..dataEnd` of the same buffer is body data (empty when none).
 */
export class BodyDecoder {
  dataStart = 0;
  dataEnd = 0;
  /** Body bytes found so far. */
  received = 0;
  private state: State;
  private remaining = 0;
  private line = '';
  private trailerBytes = 0;

  constructor(framing: Framing) {
    this.state = framing.kind === 'length' ? State.Length : framing.kind === 'close' ? State.Close : framing.kind === 'chunked' ? State.ChunkSize : State.Done;
    if (framing.kind === 'length') {
      this.remaining = framing.length;
      if (this.remaining === 0) this.state = State.Done;
    }
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Reads framing in `buf[pos, end)` up to the next piece of data (or the end); returns the position after what it took. */
  next(buf: Buffer, pos: number, end: number): number {
    this.dataStart = this.dataEnd = pos;
    while (pos < end) {
      switch (this.state) {
        case State.Close:
          return this.take(pos, end - pos);
        case State.Length:
        case State.ChunkData: {
          const next = this.take(pos, Math.min(this.remaining, end - pos));
          this.remaining -= next - pos;
          if (this.remaining === 0) this.state = this.state === State.Length ? State.Done : State.ChunkEnd;
          return next;
        }
        case State.ChunkEnd: {
          // The CRLF after chunk data; `line` holds the CR when it came at the end of a read.
          const byte = buf[pos]!;
          if (this.line === '' && byte === 13) this.line = '\r';
          else if (this.line === '\r' && byte === 10) {
            this.line = '';
            this.state = State.ChunkSize;
          } else throw new ProtocolViolation('chunk data longer than its chunk size (no CRLF after it)');
          pos += 1;
          break;
        }
        case State.ChunkSize:
        case State.Trailer: {
          const nl = buf.subarray(pos, end).indexOf(10);
          const stop = nl === -1 ? end : pos + nl;
          this.line += buf.toString('latin1', pos, stop);
          if (this.line.length > MAX_LINE) throw new ProtocolViolation(`${this.state === State.Trailer ? 'trailer' : 'chunk-size'} line longer than ${MAX_LINE} bytes`);
          if (nl === -1) return end;
          pos = stop + 1;
          const line = this.line;
          this.line = '';
          if (!line.endsWith('\r')) throw new ProtocolViolation(`line ${excerpt(line)} in the chunked body does not end with CRLF`);
          if (this.state === State.ChunkSize) this.chunkSize(line.slice(0, -1));
          else this.trailer(line.slice(0, -1));
          break;
        }
        case State.Done:
          return pos;
      }
    }
    return pos;
  }

  /** At the end of the connection: an error when the body is not complete, else undefined. */
  endOfInput(): Error | undefined {
    if (this.state === State.Close) this.state = State.Done;
    if (this.state === State.Done) return undefined;
    if (this.state === State.Length) return cutError(`the connection closed after ${this.received} of ${this.received + this.remaining} body bytes (Content-Length)`);
    return cutError(`the connection closed after ${this.received} body bytes, inside the chunked body (no last chunk)`);
  }

  private take(pos: number, n: number): number {
    this.dataStart = pos;
    this.dataEnd = pos + n;
    this.received += n;
    return pos + n;
  }

  private chunkSize(line: string): void {
    const match = CHUNK_SIZE.exec(line);
    if (!match) throw new ProtocolViolation(`bad chunk size line ${excerpt(line)}`);
    this.remaining = parseInt(match[1]!, 16);
    this.state = this.remaining === 0 ? State.Trailer : State.ChunkData;
  }

  private trailer(line: string): void {
    if (line === '') {
      this.state = State.Done;
      return;
    }
    this.trailerBytes += line.length + 2;
    if (this.trailerBytes > MAX_TRAILERS) throw new ProtocolViolation(`trailers larger than ${MAX_TRAILERS} bytes`);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(line)) throw new ProtocolViolation(`bad trailer line ${excerpt(line)}`);
  }
}
