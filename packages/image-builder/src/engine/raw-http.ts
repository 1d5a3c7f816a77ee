import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { MAX_HEAD_BYTES, ProtocolViolation, framingOf, parseHead } from '@ops/resilient-http/http1';
import { bodyFeeder, protocolError, type BodyFeeder } from './body-feeder.js';
import { drained } from './drained.js';
import { takeEarlyConnection } from './early-connection.js';
import { requestHead, type RequestHeadParts } from './request-head.js';

/** One HTTP/1.1 request over a unix socket or plain TCP (`rawRequest`): its head's parts and its body. */
export interface RawRequest extends Omit<RequestHeadParts, 'chunked' | 'contentLength'> {
  /**
   * Request body: a stream is sent with chunked transfer encoding as it is read; a buffer (a body
   * known whole, like a small build context) with its Content-Length, in the head's write.
   */
  readonly body?: Readable | Buffer;
  /** Called with each chunk of `body` once the socket has taken it. */
  readonly releaseChunk?: (chunk: Buffer) => void;
  /** Aborts the request and its response (the socket is destroyed with an `AbortError`). */
  readonly signal?: AbortSignal;
}

/** The response: status, headers (names in lower case) and the body, de-chunked, as a stream. */
export class RawResponse extends Readable {
  statusCode = 0;
  headers: Record<string, string> = {};
  /** Set by `rawRequest`: resumes the socket when the reader wants more. */
  pull: () => void = () => undefined;
  /** Set by `rawRequest`: destroys the socket with the response. */
  close: () => void = () => undefined;

  override _read(): void {
    this.pull();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.close();
    callback(error);
  }
}

const HEAD_END = Buffer.from('\r\n\r\n');

function hangUp(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/**
 * Sends one request with `Connection: close` and resolves with the response once its headers
 * have arrived: a client of a few dozen lines on `node:net` for the Engine API (unix socket or
 * plain TCP) and plain-HTTP registries. `node:http` costs ~10 ms of CPU to load and set up its
 * first request, a tenth of a cached build's or a push's own time; the calls made here are simple
 * (no keep-alive, no upgrade: those stay on `node:http`). Connection errors carry their
 * `code` (ECONNREFUSED, ENOENT...); a connection closed early is `ECONNRESET`, as with node:http.
 */
export function rawRequest(request: RawRequest): Promise<RawResponse> {
  const { method, body, signal } = request;
  let head: string;
  try {
    head = Buffer.isBuffer(body) ? requestHead({ ...request, chunked: false, contentLength: body.length }) : requestHead({ ...request, chunked: body !== undefined });
  } catch (error) {
    return Promise.reject(error as Error);
  }
  if (signal?.aborted) return Promise.reject(abortError(signal));

  return new Promise<RawResponse>((resolve, reject) => {
    // A connection opened while the command started (the ping, written then): taken as it is.
    const early = request.socketPath ? takeEarlyConnection(request.socketPath, head) : undefined;
    const socket: Socket = early?.socket ?? (request.socketPath ? connect(request.socketPath) : connect(request.port ?? 80, request.host));
    let response: RawResponse | undefined;
    let pending: Buffer | undefined;
    let received: BodyFeeder | undefined;
    let finished = false;
    const onAbort = () => socket.destroy(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanUp = () => signal?.removeEventListener('abort', onAbort);

    const fail = (error: Error) => {
      cleanUp();
      if (!response) reject(error);
      else if (!finished) response.destroy(error);
      socket.destroy();
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      cleanUp();
      response!.push(null);
      socket.destroy();
    };
    const emit = (chunk: Buffer) => {
      if (chunk.length && !response!.push(chunk)) socket.pause();
    };

    const onHead = (text: string, rest: Buffer) => {
      let head;
      let framing;
      try {
        head = parseHead(text);
        framing = framingOf(method, head);
      } catch (error) {
        throw protocolError(error);
      }
      // An interim answer (100 Continue): the real one follows.
      if (head.status < 200) return parse(rest);
      const res = new RawResponse();
      res.statusCode = head.status;
      for (const [name, value] of Object.entries(head.headers)) if (value !== undefined) res.headers[name] = Array.isArray(value) ? value.join(', ') : value;
      res.pull = () => socket.resume();
      res.close = () => {
        cleanUp();
        socket.destroy();
      };
      response = res;
      received = bodyFeeder(framing, emit, finish);
      resolve(res);
      if (received.done) finish();
      else if (rest.length) received.feed(rest);
      return undefined;
    };

    const parse = (chunk: Buffer): undefined => {
      pending = pending ? Buffer.concat([pending, chunk]) : chunk;
      const end = pending.indexOf(HEAD_END);
      if (end === -1) {
        if (pending.length > MAX_HEAD_BYTES) throw protocolError(new ProtocolViolation(`response head longer than ${MAX_HEAD_BYTES} bytes`));
        return undefined;
      }
      const head = pending.toString('latin1', 0, end);
      const rest = pending.subarray(end + HEAD_END.length);
      pending = undefined;
      return onHead(head, rest);
    };

    socket.on('data', (chunk: Buffer) => {
      if (finished) return;
      try {
        if (!response) parse(chunk);
        else received!.feed(chunk);
      } catch (error) {
        fail(error as Error);
      }
    });
    socket.on('end', () => {
      if (!response || finished) return;
      const cut = received!.end();
      if (cut) fail(cut);
      else finish();
    });
    socket.on('error', (error) => {
      if (!finished) fail(error);
    });
    socket.on('close', () => {
      if (finished) return;
      fail(response ? hangUp('aborted') : hangUp('socket hang up'));
    });

    if (early?.error) return fail(early.error);
    if (early) socket.resume();
    // With a body, the head waits (corked) for what the body holds already: one write. A body
    // known whole goes in it entirely: the engine has the request at once (it starts a build
    // only once the context's last byte has come).
    if (body) socket.cork();
    if (!early?.written) socket.write(head);
    if (Buffer.isBuffer(body)) {
      socket.write(body);
      socket.uncork();
    } else if (body) upload(socket, body, request.releaseChunk).catch((error: unknown) => socket.destroy(error as Error));
    return undefined;
  });
}

/**
 * Writes `body` as chunks with backpressure, then the last (empty) chunk. The socket comes corked
 * (the request head in it): what the body holds already (a small context, packed at once) goes
 * out with the head, in one write.
 */
async function upload(socket: Socket, body: Readable, release: ((chunk: Buffer) => void) | undefined): Promise<void> {
  const writeChunk = (chunk: Buffer): boolean => {
    socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk, release && (() => release(chunk)));
    return socket.write('\r\n');
  };
  try {
    let more = true;
    try {
      for (let chunk = body.read() as Buffer | null; chunk !== null && more; chunk = body.read() as Buffer | null) if (chunk.length) more = writeChunk(chunk);
    } finally {
      socket.uncork();
    }
    if (!more) await drained(socket);
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (socket.destroyed) return;
      if (!chunk.length) continue;
      socket.cork();
      more = writeChunk(chunk);
      socket.uncork();
      if (!more) await drained(socket);
    }
    if (!socket.destroyed) socket.write('0\r\n\r\n');
  } finally {
    body.destroy();
  }
}
