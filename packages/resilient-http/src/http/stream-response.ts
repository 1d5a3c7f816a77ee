import type { Readable } from 'node:stream';
import { AbortError } from '@ops/core';
import { RETRY_DEFAULTS } from '../retry/retry-options.js';
import type { HttpRetryOptions } from './client-options.js';
import type { ResponseHeaders } from './http-response.js';
import { resumableBody, type BodyProgress } from './resumable-body.js';

/** A response whose body is streamed (`requestStream`). */
export interface HttpStreamResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The URL requested, credentials stripped. */
  readonly url: string;
  /** Attempts it took to get the headers. */
  readonly attempts: number;
  /** The body; read it (or `destroy()` it) to free the connection. Cuts are resumed when possible. */
  readonly body: Readable;
  /** Bytes delivered, resumes and restarts so far. */
  progress(): BodyProgress;
}

/** What `send(..., stream = true)` resolves with: the undici body unread. */
export interface RawStreamResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly url: string;
  readonly attempts: number;
  readonly body: Readable;
}

export interface StreamResponseInput {
  readonly first: Promise<RawStreamResponse>;
  readonly reopen: (headers: Record<string, string>) => Promise<RawStreamResponse>;
  readonly maxResumes: number;
  readonly restart: ((delivered: number) => Promise<void>) | undefined;
  readonly cancelled: () => boolean;
  /** The caller's signal: aborting it also ends a body being streamed. */
  readonly signal: AbortSignal | undefined;
}

/** Wraps the first streamed answer's body so that a cut is resumed or restarted. */
export async function streamResponse(input: StreamResponseInput): Promise<HttpStreamResponse> {
  const first = await input.first;
  const { body, progress } = resumableBody({
    status: first.status,
    headers: first.headers,
    body: first.body,
    reopen: input.reopen,
    maxResumes: input.maxResumes,
    restart: input.restart,
    describe: () => `GET ${first.url}`,
    cancelled: input.cancelled,
  });
  const { signal } = input;
  if (signal) {
    // The attempt's own abort wiring ends with the headers: the body needs its own.
    const onAbort = (): void => void body.destroy(new AbortError(`GET ${first.url}`, signal.reason));
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      body.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return { status: first.status, headers: first.headers, url: first.url, attempts: first.attempts, body, progress };
}

/** Continuations of a cut body allowed: the request's retries. */
export function resumesAllowed(retry: HttpRetryOptions | false | undefined): number {
  return retry === false ? 0 : (retry?.retries ?? RETRY_DEFAULTS.retries);
}
