import { formatDuration } from '@ops/core';
import type { Dispatcher } from 'undici';
import { getGlobalDispatcher } from './undici-lite.js';
import type { CircuitOutcome } from '../breaker/circuit-breaker.js';
import { startTimer } from '../retry/coarse-timer.js';
import { AttemptTimeoutError } from '../retry/retry-error.js';
import { BadResponseError, BodyTooLargeError, HttpNetworkError, HttpStatusError } from './http-errors.js';
import { directRequest } from './direct/direct-request.js';
import { httpResponse, type HttpResponse } from './http-response.js';
import { classifyNetworkError, networkErrorCode } from './network-errors.js';
import type { LiteSignal } from './lite-signal.js';
import { discardBody, readExcerpt } from './read-body.js';
import { parseRetryAfter } from './retry-after.js';
import type { HttpClientHooks } from './client-options.js';
import { BodySource } from './request-body.js';

export interface AttemptInput {
  readonly method: string;
  readonly url: URL;
  /** `url`'s origin and path with query, as undici's dispatcher takes them. */
  readonly origin: string;
  readonly path: string;
  /** Redacted URL for messages. */
  readonly safeUrl: () => string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | BodySource | undefined;
  readonly dispatcher: Dispatcher | undefined;
  readonly maxErrorBody: number;
  /** Limit until the response headers (`timeout`). */
  readonly timeoutMs: number;
  /** Longest pause between body chunks (`idleTimeout`). */
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Resolve at the headers with the body unread (`requestStream`), instead of reading it into a Buffer. */
  readonly stream: boolean;
  /** Read the answer straight from a socket of its own (`directRequest`), not through undici: a plain http GET whose body goes to a sink. */
  readonly direct: boolean;
  /** Largest body read into memory (checked against Content-Length). */
  readonly maxBodyBytes: number;
  readonly failureStatuses: ReadonlySet<number>;
  readonly hooks: HttpClientHooks | undefined;
}

/**
 * Sends one attempt with undici. Resolves with the response for statuses below 400; throws
 * `HttpStatusError` (body excerpt read, the rest drained or destroyed) or `HttpNetworkError`.
 * `report` tells the circuit breaker how the attempt ended.
 */
export async function sendAttempt(input: AttemptInput, attempt: number, signal: LiteSignal, report: (o: CircuitOutcome, error?: unknown) => void): Promise<HttpResponse> {
  const { method, safeUrl, hooks } = input;
  hooks?.onRequest?.({ method, url: safeUrl(), attempt });
  // Only the hooks report durations: no clock read per attempt without them.
  const started = hooks ? performance.now() : 0;
  let res: Dispatcher.ResponseData;
  let reqBody: Dispatcher.RequestOptions['body'] = input.body as string | Uint8Array | undefined;
  let headers = input.headers;
  if (input.body instanceof BodySource) {
    let opened;
    try {
      opened = await input.body.open();
    } catch (error) {
      report('ignore', error); // nothing was sent: no verdict on the service
      throw error;
    }
    reqBody = opened.body as Dispatcher.RequestOptions['body'];
    if (opened.length !== undefined) headers = { ...headers, 'content-length': String(opened.length) };
  }
  // \`timeout\` runs until the response headers; the body is then bounded by \`idleTimeout\` (undici's bodyTimeout).
  const cancelTimer = startTimer(input.timeoutMs, () => signal.abort(new AttemptTimeoutError(attempt, input.timeoutMs, false, `${method} ${safeUrl()}`, 'headers')));
  try {
    // What undici's \`request(url, { dispatcher })\` does, minus parsing and splitting the URL
    // again on every call: the origin and path are taken from the (cached) target.
    res = input.direct
      ? ((await directRequest({
          method,
          url: input.url,
          headers,
          connectTimeoutMs: input.connectTimeoutMs,
          idleTimeoutMs: input.idleTimeoutMs,
          signal,
          violation: (cause) => new BadResponseError({ method, url: safeUrl(), attempt, cause }),
        })) as unknown as Dispatcher.ResponseData)
      : await (input.dispatcher ?? getGlobalDispatcher()).request({
      origin: input.origin,
      path: input.path,
      method: method as Dispatcher.HttpMethod,
      headers,
      body: reqBody,
      signal: signal as unknown as AbortSignal,
      headersTimeout: 0,
      bodyTimeout: input.idleTimeoutMs,
    });
  } catch (error) {
    throw networkFailure(input, attempt, error, signal, started, report);
  } finally {
    cancelTimer();
  }
  const status = res.statusCode;
  if (status >= 400) {
    const excerpt = await readExcerpt(res.body, input.maxErrorBody);
    hooks?.onResponse?.({ method, url: safeUrl(), attempt, status, durationMs: performance.now() - started });
    const error = new HttpStatusError({
      method,
      url: safeUrl(),
      attempt,
      status,
      headers: res.headers,
      body: excerpt.text,
      bodyTruncated: excerpt.truncated,
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    });
    report(input.failureStatuses.has(status) ? 'failure' : 'success', error);
    throw error;
  }
  if (input.stream) {
    hooks?.onResponse?.({ method, url: safeUrl(), attempt, status, durationMs: performance.now() - started });
    report('success');
    return httpResponse(status, res.headers, res.body as never, safeUrl, attempt);
  }
  const length = Number(res.headers['content-length']);
  if (length > input.maxBodyBytes) {
    discardBody(res.body);
    report('success');
    throw new BodyTooLargeError(method, safeUrl(), length, input.maxBodyBytes);
  }
  let body: Buffer;
  try {
    body = Buffer.from(await res.body.arrayBuffer());
  } catch (error) {
    // Past what one Buffer can hold (2-4 GiB): never an uncaught RangeError.
    if (error instanceof RangeError) {
      report('success');
      throw new BodyTooLargeError(method, safeUrl(), undefined, input.maxBodyBytes, error);
    }
    throw networkFailure(input, attempt, error, signal, started, report);
  }
  hooks?.onResponse?.({ method, url: safeUrl(), attempt, status, durationMs: performance.now() - started });
  report('success');
  return httpResponse(status, res.headers, body, safeUrl, attempt);
}

function networkFailure(input: AttemptInput, attempt: number, error: unknown, signal: LiteSignal, started: number, report: (o: CircuitOutcome, error?: unknown) => void): unknown {
  // Cancelled by the caller: no verdict on the service. Cut by a timeout: a failure.
  if (signal.aborted) {
    const timedOut = signal.reason instanceof AttemptTimeoutError;
    report(timedOut ? 'failure' : 'ignore', signal.reason);
    return timedOut ? signal.reason : error;
  }
  if (error instanceof BadResponseError) {
    report('failure', error);
    return error;
  }
  const errorCode = networkErrorCode(error);
  input.hooks?.onNetworkError?.({ method: input.method, url: input.safeUrl(), attempt, errorCode, durationMs: performance.now() - started });
  const failure = new HttpNetworkError({ method: input.method, url: input.safeUrl(), attempt, cause: error, errorCode, retryable: classifyNetworkError(error) === 'retry', detail: timeoutDetail(input, errorCode) });
  report('failure', failure);
  return failure;
}

/** Names the option behind an undici timeout, so the message says what to raise. */
export function timeoutDetail(input: Pick<AttemptInput, 'idleTimeoutMs' | 'connectTimeoutMs'>, errorCode: string | undefined): string | undefined {
  if (errorCode === 'UND_ERR_BODY_TIMEOUT') return `the response body stalled: no data for ${formatDuration(input.idleTimeoutMs)} (idleTimeout, --idle-timeout)`;
  if (errorCode === 'UND_ERR_CONNECT_TIMEOUT') return `could not connect within ${formatDuration(input.connectTimeoutMs)} (connectTimeout, --connect-timeout)`;
  return undefined;
}
