import { ExitCode, OpsError, formatBytes, formatDuration, messageOf } from '@ops/core';
import type { AttemptRecord } from '../retry/retry-error.js';

/** Facts every HTTP error carries. */
export interface HttpErrorFields {
  readonly method: string;
  /** The URL with credentials and secret query values stripped. */
  readonly url: string;
  /** 1-based attempt that produced this error. */
  readonly attempt: number;
}

const HISTORY = Symbol('attempts');

/** Shared fields; the attempt history is non-enumerable so logging an error stays short. */
abstract class HttpError<C extends string> extends OpsError<C> {
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
  constructor(code: C, message: string, fields: HttpErrorFields, options: ConstructorParameters<typeof OpsError>[2]) {
    super(code, message, { ...options, context: { method: fields.method, url: fields.url, attempt: fields.attempt, ...options?.context } });
    this.method = fields.method;
    this.url = fields.url;
    this.attempt = fields.attempt;
  }
  /** Every attempt of the request that ended with this error (set when the client gives up). */
  get attempts(): ReadonlyArray<AttemptRecord> {
    return (this as unknown as Record<symbol, AttemptRecord[]>)[HISTORY] ?? [];
  }
  /** @internal */
  setAttempts(attempts: ReadonlyArray<AttemptRecord>): void {
    Object.defineProperty(this, HISTORY, { value: attempts, configurable: true });
  }
}

/**
 * Appends why a failure that is usually retried was not (`POST without Idempotency-Key`) to its
 * message, and keeps it as `notRetried`. @internal
 */
export function noteNotRetried(error: unknown, why: string): void {
  if (!(error instanceof Error) || (error as { notRetried?: string }).notRetried !== undefined) return;
  Object.defineProperty(error, 'notRetried', { value: why, enumerable: false, configurable: true });
  error.message = `${error.message} (not retried: ${why})`;
}

/** The server answered with an error status. `body` is a size-limited excerpt. */
export class HttpStatusError extends HttpError<'HTTP_STATUS'> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  declare readonly body: string;
  readonly bodyTruncated: boolean;
  /** Wait asked for by `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(fields: HttpErrorFields & { status: number; headers: Record<string, string | string[] | undefined>; body: string; bodyTruncated: boolean; retryAfterMs?: number }) {
    const excerpt = fields.body.length > 200 ? `${fields.body.slice(0, 200)}…` : fields.body;
    super('HTTP_STATUS', `${fields.method} ${fields.url} answered ${fields.status}${excerpt.trim() ? `: ${excerpt.trim().replace(/\s+/g, ' ')}` : ''}`, fields, {
      exitCode: ExitCode.PROBLEM,
      context: { status: fields.status },
      hint: fields.status >= 500 || fields.status === 429 ? 'the service is failing or overloaded; retry later' : 'check the request (path, auth, payload)',
    });
    this.status = fields.status;
    this.headers = fields.headers;
    Object.defineProperty(this, 'body', { value: fields.body, enumerable: false });
    this.bodyTruncated = fields.bodyTruncated;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** The request failed below HTTP: reset, refused, timeout, DNS, TLS. `retryable` says whether another attempt may help. */
export class HttpNetworkError extends HttpError<'HTTP_NETWORK'> {
  /** The underlying code, e.g. `ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`, `ENOTFOUND`. */
  readonly errorCode: string | undefined;
  readonly retryable: boolean;
  /** `detail` replaces the cause's message (e.g. a stall named after the option that cut it). */
  constructor(fields: HttpErrorFields & { cause: unknown; errorCode: string | undefined; retryable: boolean; detail?: string }) {
    const detail = fields.detail ?? messageOf(fields.cause);
    const code = fields.errorCode && fields.detail === undefined && !detail.includes(fields.errorCode) ? `${fields.errorCode} ` : '';
    super('HTTP_NETWORK', `${fields.method} ${fields.url} failed: ${code}${detail}`, fields, {
      cause: fields.cause,
      exitCode: ExitCode.ENVIRONMENT,
      context: { errorCode: fields.errorCode },
      hint: fields.retryable ? 'the service is unreachable or slow; check it is up' : 'check the host name and TLS certificate',
    });
    this.errorCode = fields.errorCode;
    this.retryable = fields.retryable;
  }
}

/** `Retry-After` asked for a longer wait than `maxRetryAfter`; failing at once instead. */
export class RetryAfterTooLongError extends HttpError<'HTTP_RETRY_AFTER_TOO_LONG'> {
  readonly retryAfterMs: number;
  readonly status: number;
  constructor(fields: HttpErrorFields & { cause: HttpStatusError; retryAfterMs: number; maxRetryAfterMs: number }) {
    super(
      'HTTP_RETRY_AFTER_TOO_LONG',
      `${fields.method} ${fields.url} answered ${fields.cause.status} with Retry-After ${formatDuration(fields.retryAfterMs)}, more than maxRetryAfter ${formatDuration(fields.maxRetryAfterMs)}; not waiting`,
      fields,
      { cause: fields.cause, exitCode: ExitCode.PROBLEM, hint: 'retry later, or raise retry.maxRetryAfter (--max-retry-after) if waiting that long is fine' },
    );
    this.retryAfterMs = fields.retryAfterMs;
    this.status = fields.cause.status;
  }
}

/** The circuit breaker of this origin is open after consecutive failures: failing fast. */
export class CircuitOpenError extends OpsError<'HTTP_CIRCUIT_OPEN'> {
  readonly origin: string;
  readonly retryInMs: number;
  /** @param what the request refused (`GET https://…`), named in the message when given. */
  constructor(origin: string, retryInMs: number, cause?: unknown, what?: string) {
    super('HTTP_CIRCUIT_OPEN', `${what ? `${what} not sent: the ` : ''}circuit for ${origin} is open after repeated failures; next trial in ${formatDuration(retryInMs)}`, {
      cause,
      exitCode: ExitCode.ENVIRONMENT,
      context: { origin, retryInMs },
      hint: 'the service keeps failing; wait for the cool-down or check the service',
    });
    this.origin = origin;
    this.retryInMs = retryInMs;
  }
}

/** The retry budget is spent: retries are paused so that failures do not turn into a retry storm. */
export class RetryBudgetError extends OpsError<'HTTP_RETRY_BUDGET_EXHAUSTED'> {
  /** Every attempt made before the budget refused a retry. */
  declare readonly attempts: ReadonlyArray<AttemptRecord>;
  constructor(what: string, cause: unknown, attempts: ReadonlyArray<AttemptRecord> = []) {
    const tried = attempts.length > 1 ? `failed on all ${attempts.length} attempts and was not retried again` : 'failed and was not retried';
    super('HTTP_RETRY_BUDGET_EXHAUSTED', `${what} ${tried}: the retry budget is spent (${messageOf(cause)})`, {
      cause,
      exitCode: ExitCode.ENVIRONMENT,
      hint: 'many requests are failing; the service is likely down, fix it rather than retrying harder',
    });
    Object.defineProperty(this, 'attempts', { value: attempts, enumerable: false });
  }
}

/** A response body too big to hold in memory: read it with `requestStream` or `download` instead. */
export class BodyTooLargeError extends OpsError<'HTTP_BODY_TOO_LARGE'> {
  readonly method: string;
  readonly url: string;
  /** The Content-Length announced, when there was one. */
  readonly length: number | undefined;
  constructor(method: string, url: string, length: number | undefined, maxBodyBytes: number, cause?: unknown) {
    const size = length === undefined ? 'a body larger than a Buffer can hold' : `${formatBytes(length)}, more than maxBodyBytes ${formatBytes(maxBodyBytes)}`;
    super('HTTP_BODY_TOO_LARGE', `${method} ${url} answered with ${size}; not reading it into memory`, {
      cause,
      exitCode: ExitCode.PROBLEM,
      context: { method, url, length, maxBodyBytes },
      hint: 'stream it with requestStream() or download() (the CLI streams to stdout or -o FILE), or raise maxBodyBytes',
    });
    this.method = method;
    this.url = url;
    this.length = length;
  }
}

/** More redirects than `maxRedirects` (`--max-redirs`). */
export class TooManyRedirectsError extends OpsError<'HTTP_TOO_MANY_REDIRECTS'> {
  constructor(method: string, url: string, maxRedirects: number) {
    super('HTTP_TOO_MANY_REDIRECTS', `${method} ${url} redirected more than maxRedirects ${maxRedirects} times`, {
      exitCode: ExitCode.PROBLEM,
      context: { method, url, maxRedirects },
      hint: 'check for a redirect loop, or raise maxRedirects (--max-redirs)',
    });
  }
}

/** The server's answer breaks HTTP/1.1 (status line, headers or body framing); not retried. */
export class BadResponseError extends HttpError<'HTTP_BAD_RESPONSE'> {
  constructor(fields: HttpErrorFields & { cause: Error }) {
    super('HTTP_BAD_RESPONSE', `${fields.method} ${fields.url}: the answer is not valid HTTP/1.1: ${fields.cause.message}`, fields, {
      cause: fields.cause,
      exitCode: ExitCode.ENVIRONMENT,
      hint: 'the server (or a proxy in between) sent a broken answer; look at it with curl -v',
    });
  }
}
