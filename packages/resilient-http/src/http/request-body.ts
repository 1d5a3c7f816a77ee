import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { UsageError } from '@ops/core';

/** A stream-like body undici can send: a Node stream or any async iterable of bytes/strings. */
export type StreamBody = Readable | AsyncIterable<Uint8Array | string>;

/** Makes a fresh body for each attempt, so a failed upload can be sent again whole. */
export type BodyFactory = () => StreamBody;

/** What `request(..., { body })` accepts. */
export type RequestBody = string | Uint8Array | BodyFactory | StreamBody;

/** One attempt's body, and its length when known (a file's size). */
export interface OpenedBody {
  readonly body: string | Uint8Array | StreamBody;
  readonly length: number | undefined;
}

/**
 * A body that is not plain bytes: opened once per attempt. `replayable` is false for a bare
 * stream, which can be read once only: such a request gets one attempt.
 */
export class BodySource {
  private used = false;
  constructor(
    readonly kind: 'factory' | 'file' | 'stream',
    private readonly source: BodyFactory | string | StreamBody,
  ) {}

  get replayable(): boolean {
    return this.kind !== 'stream';
  }

  async open(): Promise<OpenedBody> {
    if (this.kind === 'factory') return { body: (this.source as BodyFactory)(), length: undefined };
    if (this.kind === 'file') {
      const path = this.source as string;
      let size: number;
      try {
        size = (await stat(path)).size;
      } catch (error) {
        throw new UsageError(`cannot read \`bodyFile\` ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error, hint: 'check the path of the file to upload' });
      }
      return { body: createReadStream(path), length: size };
    }
    // Guarded by the client (one attempt only); a second read would send an empty body.
    if (this.used) throw new Error('a stream request body was opened twice');
    this.used = true;
    return { body: this.source as StreamBody, length: undefined };
  }
}

/** Plain bytes are sent as they are; anything else becomes a `BodySource`. */
export function prepareBody(body: RequestBody | undefined, bodyFile: string | undefined): string | Uint8Array | BodySource | undefined {
  if (bodyFile !== undefined) {
    if (body !== undefined) throw new UsageError('Expected either `body` or `bodyFile`, got both');
    return new BodySource('file', bodyFile);
  }
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body;
  if (typeof body === 'function') return new BodySource('factory', body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (body as Readable).pipe === 'function') return new BodySource('stream', body);
  throw new UsageError(`Expected \`body\` to be a string, bytes, a stream, an async iterable or a function returning one, got ${Object.prototype.toString.call(body)}`);
}
