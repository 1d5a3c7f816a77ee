import type { Socket } from 'node:net';
import { formatDuration } from '@ops/core';
import { type BodyDecoder, cutError } from './body-decoder.js';
import { ProtocolViolation } from './http1-head.js';

/** Takes one piece of body data; a returned promise holds the socket paused until it settles. */
export type BodySink = (chunk: Buffer) => void | Promise<void>;

/** Turns a `ProtocolViolation` into the error the caller reports (with method and URL). */
export type ViolationError = (violation: ProtocolViolation) => Error;

/**
 * The body of a response read straight from the socket into one reused buffer: `pipeTo(sink)`
 * hands the sink views of that buffer, so the sink must be done with a chunk when it returns
 * (or when its promise settles) — it is overwritten by the next read. The idle timeout counts
 * only while waiting for the server, not while the sink holds the socket paused.
 */
export class DirectBody {
  private sink: BodySink | undefined;
  private settle: ((error?: unknown) => void) | undefined;
  private finished = false;
  private outcome: unknown;

  constructor(
    private readonly socket: Socket,
    private readonly decoder: BodyDecoder,
    /** Body bytes that came with the head (a copy: the read buffer is reused). */
    private leftover: Buffer | undefined,
    private readonly idleTimeoutMs: number,
    private readonly violation: ViolationError,
  ) {
    socket.on('timeout', () => this.finish(Object.assign(new Error(`the response body stalled: no data for ${formatDuration(idleTimeoutMs)} (idleTimeout, --idle-timeout)`), { code: 'UND_ERR_BODY_TIMEOUT' })));
    socket.on('end', () => this.finish(decoder.endOfInput()));
    socket.on('error', (error) => this.finish(error));
    socket.on('close', () => this.finish(decoder.done ? undefined : cutError(`the connection closed after ${decoder.received} body bytes`)));
    if (decoder.done) this.finish();
  }

  /** Called by the socket's `onread` for each read: false pauses the socket. */
  onRead(nread: number, buffer: Buffer): boolean {
    return this.feed(buffer, 0, nread);
  }

  /** Delivers the body to `sink`; resolves at its end, rejects on a cut, a stall, broken framing or a sink error. */
  pipeTo(sink: BodySink): Promise<void> {
    if (this.sink) return Promise.reject(new Error('the body is already being read'));
    this.sink = sink;
    const done = new Promise<void>((resolve, reject) => (this.settle = (error) => (error === undefined ? resolve() : reject(error))));
    if (this.finished) this.settle!(this.outcome);
    else {
      const leftover = this.leftover;
      this.leftover = undefined;
      if (!leftover || this.feed(leftover, 0, leftover.length)) this.resume();
    }
    return done;
  }

  /** Frees the connection; a pending `pipeTo` rejects with `error`. */
  destroy(error: unknown = Object.assign(new Error('the body was not read'), { code: 'ABORT_ERR' })): void {
    this.finish(error);
  }

  /** The body as copies (for error excerpts): slower than `pipeTo`, fine for small bodies. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const queue: Buffer[] = [];
    let wake: (() => void) | undefined;
    let release: (() => void) | undefined;
    let end: { error: unknown } | undefined;
    this.pipeTo((chunk) => {
      queue.push(Buffer.from(chunk));
      wake?.();
      return queue.length > 8 ? new Promise<void>((resolve) => (release = resolve)) : undefined;
    }).then(
      () => (end = { error: undefined }),
      (error: unknown) => (end = { error }),
    ).finally(() => wake?.());
    try {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        release?.();
        release = undefined;
        if (end) {
          if (end.error) throw end.error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.destroy();
    }
  }

  private resume(): void {
    if (this.finished) return;
    this.socket.setTimeout(this.idleTimeoutMs);
    this.socket.resume();
  }

  /** Hands the data in `buffer[pos, end)` to the sink; false when it paused (the sink is busy) or the body ended. */
  private feed(buffer: Buffer, pos: number, end: number): boolean {
    const { decoder } = this;
    if (this.finished) return false;
    try {
      for (;;) {
        pos = decoder.next(buffer, pos, end);
        if (decoder.dataEnd > decoder.dataStart) {
          const pending = this.sink!(buffer.subarray(decoder.dataStart, decoder.dataEnd));
          if (pending) {
            this.socket.setTimeout(0);
            const at = pos;
            pending.then(
              () => (this.feed(buffer, at, end) ? this.resume() : undefined),
              (error: unknown) => this.finish(error),
            );
            return false;
          }
        }
        if (decoder.done) {
          this.finish();
          return false;
        }
        if (pos >= end) return true;
      }
    } catch (error) {
      this.finish(error instanceof ProtocolViolation ? this.violation(error) : error);
      return false;
    }
  }

  private finish(error?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.outcome = error;
    this.socket.setTimeout(0);
    this.socket.destroy();
    this.settle?.(error);
  }
}
