import { ExitCode, OpsError, formatBytes, messageOf } from '@ops/core';
import { classifyNetworkError } from './network-errors.js';
import { discardBody } from './read-body.js';
import { DirectBody, type BodySink } from './direct/direct-body.js';
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
  /** An undici body (Readable) or a `DirectBody` read from the socket. */
  readonly body: unknown;
  /** Sends the GET again with these extra headers (retrying until headers arrive). */
  readonly reopen: (headers: Record<string, string>) => Promise<{ status: number; headers: ResponseHeaders; body: unknown }>;
  /** Continuations allowed (resumes + restarts). */
  readonly maxResumes: number;
  /**
   * When given, a body that cannot be resumed is fetched again from the start, after this (e.g.
   * truncating a file): every byte delivered before it is to be discarded.
   */
  readonly restart: (() => Promise<void>) | undefined;
  readonly describe: () => string;
  /** True when the caller cancelled (no resume then). */
  readonly cancelled: () => boolean;
}

/** Delivers a body to a sink, resuming or restarting it across cuts. */
export interface BodyPump {
  /** Delivers the whole body to `sink` (awaiting each promise it returns); resolves at the end. Call once. */
  run(sink: BodySink): Promise<void>;
  /** Stops delivering: the body being read is destroyed and `run` rejects with `reason`. */
  stop(reason: unknown): void;
  progress(): BodyProgress;
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
 * Pumps the body of a 200 answer into a sink, surviving cuts: on a transient failure mid-body it
 * asks for the rest with `Range: bytes=N-` and `If-Range: <validator>` when the server sent a
 * validator and `Accept-Ranges: bytes`, and continues when it answers 206 from byte N. Otherwise
 * it starts over (`restart`, when the consumer can discard what it got) or fails with `BodyCutError`.
 */
export function resumablePump(input: ResumeInput): BodyPump {
  const length = Number(header(input.headers, 'content-length'));
  const state = { bytes: 0, resumes: 0, restarts: 0, total: Number.isFinite(length) && input.status === 200 ? length : undefined };
  let current = input.body;
  let stopped: { reason: unknown } | undefined;
  async function run(sink: BodySink): Promise<void> {
    let validator = validatorOf(input.headers);
    let ranges = header(input.headers, 'accept-ranges') === 'bytes';
    // An error of the sink (a full disk, a closed pipe) ends the body as it is: never resumed.
    let sinkFailure: { error: unknown } | undefined;
    const failed = (error: unknown): never => {
      sinkFailure ??= { error };
      throw error;
    };
    const counted: BodySink = (chunk) => {
      state.bytes += chunk.length;
      try {
        return sink(chunk)?.catch(failed);
      } catch (error) {
        return failed(error);
      }
    };
    for (;;) {
      try {
        await deliver(current, counted);
        if (state.total !== undefined && state.bytes < state.total) throw Object.assign(new Error(`ended at ${state.bytes} of ${state.total} bytes`), { code: 'ECONNRESET' });
        return;
      } catch (error) {
        discardBody(current);
        if (stopped) throw stopped.reason;
        if (sinkFailure) throw sinkFailure.error;
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
          await input.restart();
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
        const halted = stopped as { reason: unknown } | undefined; // set by stop() while reopening
        if (halted) {
          discardBody(current);
          throw halted.reason;
        }
      }
    }
  }
  return {
    run,
    stop: (reason) => {
      stopped ??= { reason };
      destroyBody(current, reason);
    },
    progress: () => ({ ...state }),
  };
}

/** Sends every chunk of `body` (a `DirectBody` or an undici Readable) to `sink`, awaiting its promises. */
async function deliver(body: unknown, sink: BodySink): Promise<void> {
  if (body instanceof DirectBody) return body.pipeTo(sink);
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const pending = sink(chunk);
    if (pending) await pending;
  }
}

function destroyBody(body: unknown, reason: unknown): void {
  (body as { destroy?: (error?: unknown) => void }).destroy?.(reason);
}
