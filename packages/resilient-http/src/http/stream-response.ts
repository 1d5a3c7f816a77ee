import type { Readable } from 'node:stream';
import { AbortError } from '@ops/core';
import { RETRY_DEFAULTS } from '../retry/retry-options.js';
import type { HttpRetryOptions } from './client-options.js';
import type { ResponseHeaders } from './http-response.js';
import { resumablePump, type BodyProgress, type BodyPump, type ResumeInput } from './resumable-body.js';
import { resumableBody } from './resumable-readable.js';

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

/** A response whose body is pumped into a sink (`download`). */
export interface HttpPumpResponse extends Omit<HttpStreamResponse, 'body'> {
  readonly pump: BodyPump;
}

/** What `send(..., stream)` resolves with: the body unread (an undici Readable or a `DirectBody`). */
export interface RawStreamResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly url: string;
  readonly attempts: number;
  readonly body: unknown;
}

export interface StreamResponseInput {
  readonly first: Promise<RawStreamResponse>;
  readonly reopen: (headers: Record<string, string>) => Promise<RawStreamResponse>;
  readonly maxResumes: number;
  readonly restart: (() => Promise<void>) | undefined;
  readonly cancelled: () => boolean;
  /** The caller's signal: aborting it also ends a body being streamed. */
  readonly signal: AbortSignal | undefined;
}

/** The first answer's body as a sink pump that resumes or restarts a cut; the caller's signal stops it. */
export async function pumpResponse(input: StreamResponseInput): Promise<HttpPumpResponse> {
  const { first, made: pump } = await start(input, resumablePump);
  const detach = watchSignal(input.signal, first.url, (error) => pump.stop(error));
  const run: BodyPump['run'] = (sink) => pump.run(sink).finally(detach);
  return { status: first.status, headers: first.headers, url: first.url, attempts: first.attempts, pump: { ...pump, run }, progress: pump.progress };
}

/** The first answer's body as a Readable that resumes a cut when it can. */
export async function streamResponse(input: StreamResponseInput): Promise<HttpStreamResponse> {
  const { first, made } = await start(input, resumableBody);
  const { body, progress } = made;
  const detach = watchSignal(input.signal, first.url, (error) => body.destroy(error));
  body.once('close', detach);
  return { status: first.status, headers: first.headers, url: first.url, attempts: first.attempts, body, progress };
}

async function start<T>(input: StreamResponseInput, make: (resume: ResumeInput) => T): Promise<{ first: RawStreamResponse; made: T }> {
  const first = await input.first;
  const made = make({
    status: first.status,
    headers: first.headers,
    body: first.body,
    reopen: input.reopen,
    maxResumes: input.maxResumes,
    restart: input.restart,
    describe: () => `GET ${first.url}`,
    cancelled: input.cancelled,
  });
  return { first, made };
}

/** The attempt's own abort wiring ends with the headers: the body needs its own. Returns the detach function. */
function watchSignal(signal: AbortSignal | undefined, url: string, stop: (error: Error) => void): () => void {
  if (!signal) return () => {};
  const onAbort = (): void => stop(new AbortError(`GET ${url}`, signal.reason));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** Continuations of a cut body allowed: the request's retries. */
export function resumesAllowed(retry: HttpRetryOptions | false | undefined): number {
  return retry === false ? 0 : (retry?.retries ?? RETRY_DEFAULTS.retries);
}
