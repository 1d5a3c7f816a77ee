import { Readable } from 'node:stream';
import { ExitCode, OpsError, formatBytes, messageOf } from '@ops/core';
import { classifyNetworkError } from './network-errors.js';
import { discardBody } from './read-body.js';
import type { ResponseHeaders } from './http-response.js';

/** What a streamed body has done so far. */
export interface BodyProgress {
  /** Bytes of the body delivered (from offset 0 of the resource, after any restart). */
  readonly bytes: number;
  /** Times the body was cut and continued with `Range` + `If-Range`. */
  readonly resumes: number;
  /** Times it was cut and fetched again from the start (the server could not resume). */
  readonly restarts: number;
  /** Content-Length of the whole resource, when known. */
  readonly total: number | undefined;
}

/** The body was cut and could not be continued. */
export class BodyCutError extends OpsError<'HTTP_BODY_CUT'> {
  readonly bytes: number;
  constructor(what: string, bytes: number, total: number | undefined, why: string, cause: unknown) {
    super('HTTP_BODY_CUT', `${what}: the response body was cut after ${formatBytes(bytes)}${total === undefined ? '' : ` of ${formatBytes(total)}`} (${messageOf(cause)}); ${why}`, {
      cause,
      exitCode: ExitCode.ENVIRONMENT,
      context: { bytes, total },
      hint: 'retry later; download to a file (-o FILE) so that a cut can be resumed or restarted',
    });
    this.bytes = bytes;
  }
}

export interface ResumeInput {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body: Readable;
  /** Sends the GET again with these extra headers (retrying until headers arrive). */
  readonly reopen: (headers: Record<string, string>) => Promise<{ status: number; headers: ResponseHeaders; body: Readable }>;
  /** Continuations allowed (resumes + restarts). */
  readonly maxResumes: number;
  /**
   * When given, a body that cannot be resumed is fetched again from the start, after this (e.g.
   * truncating a file). `delivered`: bytes of the abandoned attempt this body yielded (some may
   * still be buffered, unread by the consumer): what follows them starts again at offset 0.
   */
  readonly restart: ((delivered: number) => Promise<void>) | undefined;
  readonly describe: () => string;
  /** True when the caller cancelled (no resume then). */
  readonly cancelled: () => boolean;
}

const header = (headers: ResponseHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** A strong validator for `If-Range`: a strong ETag, else Last-Modified. */
function validatorOf(headers: ResponseHeaders): string | undefined {
  const etag = header(headers, 'etag');
  if (etag && !etag.startsWith('W/')) return etag;
  return header(headers, 'last-modified');
}

/**
 * The body of a 200 answer as a Readable that survives cuts: on a transient failure mid-body it
 * asks for the rest with `Range: bytes=N-` and `If-Range: <validator>` when the server sent a
 * validator and `Accept-Ranges: bytes`, and continues when it answers 206 from byte N. Otherwise
 * it starts over (`restart`, when the consumer can discard what it got) or fails with `BodyCutError`.
 */
export function resumableBody(input: ResumeInput): { body: Readable; progress: () => BodyProgress } {
  const length = Number(header(input.headers, 'content-length'));
  const state = { bytes: 0, resumes: 0, restarts: 0, total: Number.isFinite(length) && input.status === 200 ? length : undefined };
  async function* chunks(): AsyncGenerator<Buffer> {
    let current = input.body;
    let validator = validatorOf(input.headers);
    let ranges = header(input.headers, 'accept-ranges') === 'bytes';
    for (;;) {
      try {
        for await (const chunk of current as AsyncIterable<Buffer>) {
          state.bytes += chunk.length;
          yield chunk;
        }
        if (state.total !== undefined && state.bytes < state.total) throw Object.assign(new Error(`ended at ${state.bytes} of ${state.total} bytes`), { code: 'ECONNRESET' });
        return;
      } catch (error) {
        discardBody(current);
        const what = input.describe();
        if (input.cancelled() || classifyNetworkError(error) !== 'retry' || input.status !== 200) throw error;
        if (state.resumes + state.restarts >= input.maxResumes) throw new BodyCutError(what, state.bytes, state.total, 'no retries left', error);
        const canRange = ranges && validator !== undefined && state.bytes > 0;
        if (!canRange && !input.restart) {
          throw new BodyCutError(what, state.bytes, state.total, 'cannot resume: the server sent no strong ETag or Last-Modified with Accept-Ranges: bytes, and a stream cannot start over', error);
        }
        const next = await input.reopen(canRange ? { range: `bytes=${state.bytes}-`, 'if-range': validator! } : {});
        const start = /^bytes (\d+)-/.exec(header(next.headers, 'content-range') ?? '')?.[1];
        if (next.status === 206 && Number(start) === state.bytes) {
          state.resumes += 1;
        } else if (next.status === 200 && input.restart) {
          // The validator no longer matches (the resource changed) or ranges are not supported: start over.
          await input.restart(state.bytes);
          state.restarts += 1;
          state.bytes = 0;
          const total = Number(header(next.headers, 'content-length'));
          state.total = Number.isFinite(total) ? total : undefined;
          validator = validatorOf(next.headers);
          ranges = header(next.headers, 'accept-ranges') === 'bytes';
        } else {
          discardBody(next.body);
          throw new BodyCutError(what, state.bytes, state.total, `cannot resume: the server answered ${next.status} to Range (the resource changed), and a stream cannot start over`, error);
        }
        current = next.body;
      }
    }
  }
  const body = Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
  return { body, progress: () => ({ ...state }) };
}
