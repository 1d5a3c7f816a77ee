import { checkIntegerOption, createLogger, formatDuration, type Logger } from '@ops/core';
import { createCircuitBreaker, type CircuitBreaker, type CircuitOutcome } from '../breaker/circuit-breaker.js';
import { createRetryBudget, type RetryBudget } from '../budget/retry-budget.js';
import { retry, retryAfterFirstFailure } from '../retry/retry.js';
import { AttemptTimeoutError, RetryError, type AttemptRecord } from '../retry/retry-error.js';
import { DEFAULT_CLOCK, type RetryContext, type RetryOptions } from '../retry/retry-options.js';
import { resolveClientBasics, resolveHttpRetry, type HttpClientOptions, type HttpRetryOptions } from './client-options.js';
import type { Dispatcher } from 'undici';
import { Agent, getGlobalDispatcher } from './undici-lite.js';
import { CircuitOpenError, HttpNetworkError, HttpStatusError, RetryAfterTooLongError, RetryBudgetError, noteNotRetried } from './http-errors.js';
import type { HttpResponse } from './http-response.js';
import { redactUrl } from './redact-url.js';
import { requestTarget, type QueryValue, type RequestTarget } from './request-target.js';
import { LiteSignal } from './lite-signal.js';
import { sendAttempt, type AttemptInput } from './send-attempt.js';
import { BodySource, prepareBody, type RequestBody } from './request-body.js';
import { downloadFile, type DownloadHead, type DownloadResult } from './download-file.js';
import { followRedirects } from './follow-redirects.js';
import { pumpResponse, resumesAllowed, streamResponse, type HttpStreamResponse, type RawStreamResponse, type StreamResponseInput } from './stream-response.js';

/** Connect failures: nothing reached the server, so even a POST is safe to send again. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Not sent to another origin on a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** Marks a request whose first attempt has not been made yet. */
const NOT_TRIED = Symbol('not tried');
const noop = (): void => {};

/** A resolved request target and its origin (the circuit breaker's key). */
interface CachedTarget extends RequestTarget {
  readonly origin: string;
  /** Path and query, as undici's dispatcher takes them. */
  readonly path: string;
}

export interface HttpRequestOptions {
  /** Query parameters added to the URL. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /**
   * Raw body: a string or bytes; a function returning a stream or async iterable (called once per
   * attempt, so retries resend the whole body); or a bare stream / async iterable, which can be
   * read once only: such a request gets one attempt, and its error says so.
   */
  readonly body?: RequestBody;
  /** A file to upload, re-opened for each attempt (with `content-length` set to its size). */
  readonly bodyFile?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sets `Idempotency-Key`, which makes a POST or PATCH retryable. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
  /** Per-attempt time limit for this request. Defaults to the client's `timeout`. */
  readonly timeout?: number | string;
  /** Retry settings for this request, merged over the client's, or `false`. */
  readonly retry?: HttpRetryOptions | false;
  /**
   * Redirects followed (301, 302, 303, 307, 308); Authorization, Cookie and Proxy-Authorization
   * are not sent to another origin. Defaults to 0: a redirect is returned as the response.
   */
  readonly maxRedirects?: number;
}

/** `download()`'s options: a request's, plus the method and a look at the answer before its body. */
export interface DownloadOptions extends HttpRequestOptions {
  /** Defaults to GET. */
  readonly method?: string;
  /** Called with the final answer's status and headers before its body is written (e.g. to print them). */
  readonly onHeaders?: (head: DownloadHead) => void;
}

export interface HttpClient {
  /** Sends `method path` with retries; resolves for statuses below 400, throws otherwise. */
  request(method: string, path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /**
   * Like `request`, but resolves when the headers arrive (retries apply until then) with the body
   * as a Readable that resumes a cut download with `Range` + `If-Range` when the server allows it.
   */
  requestStream(method: string, path: string, options?: HttpRequestOptions): Promise<HttpStreamResponse>;
  /**
   * GETs `path` into `to` in bounded memory: a file path is written atomically (a temp file beside
   * it, renamed at the end) and a cut body is resumed (`Range` + `If-Range`) or fetched again from
   * the start; a stream (e.g. `process.stdout`) gets each chunk written before the next is read,
   * and a cut is resumed when the server allows it. A plain `http:` GET is read straight from the
   * socket (see `directDownloads`).
   */
  download(path: string, to: string | NodeJS.WritableStream, options?: DownloadOptions): Promise<DownloadResult>;
  getJson<T = unknown>(path: string, options?: HttpRequestOptions): Promise<T>;
  postJson<T = unknown>(path: string, json: unknown, options?: HttpRequestOptions): Promise<T>;
  putJson<T = unknown>(path: string, json: unknown, options?: HttpRequestOptions): Promise<T>;
  delete(path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** The circuit breaker in use (to read `state(origin)`), if any. */
  readonly breaker: CircuitBreaker | undefined;
  readonly budget: RetryBudget | undefined;
}

let sharedLogger: Logger | undefined;
const defaultLogger = (): Logger => (sharedLogger ??= createLogger({ context: { package: 'resilient-http' } }));

/**
 * An undici HTTP client that retries the right failures: idempotent methods (POST/PATCH only with
 * an `Idempotency-Key` or opt-in), listed statuses and transient network errors, honouring
 * `Retry-After`, behind a per-origin circuit breaker and a retry budget, logging one line per retry.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const basics = resolveClientBasics(options);
  const clientRetry = options.retry;
  const clientRules = resolveHttpRetry(clientRetry);
  const breaker = options.breaker === false ? undefined : isBreaker(options.breaker) ? options.breaker : createCircuitBreaker(options.breaker);
  const budget = options.budget === false ? undefined : isBudget(options.budget) ? options.budget : createRetryBudget(options.budget);
  const logger = (): Logger | undefined => (options.logger === false ? undefined : (options.logger ?? defaultLogger()));
  const hooks = options.hooks;
  // undici's global agent connects within 10s, the documented default; another limit needs an agent of its own.
  const dispatcher: Dispatcher | undefined = options.dispatcher ?? (options.connectTimeout !== undefined ? new Agent({ connect: { timeout: basics.connectTimeoutMs } }) : undefined);
  // Downloads read straight from the socket only when undici would connect directly too: no dispatcher of the caller's (a proxy, a mock).
  const direct = options.directDownloads !== false && options.dispatcher === undefined;
  const baseHeaders = lowerKeys({ 'user-agent': '@ops/resilient-http', ...options.headers });

  // One-entry cache of the last target without a query: scripts call the same few URLs over and
  // over, and parsing a URL costs more than the rest of a request's bookkeeping. The URL object is
  // never mutated once made (undici and redaction only read it), so it can be shared.
  let lastPath: string | undefined;
  let lastTarget: CachedTarget | undefined;
  const targetOf = (path: string, query: HttpRequestOptions['query']): CachedTarget => {
    if (query === undefined && path === lastPath && lastTarget) return lastTarget;
    const { url, authorization } = requestTarget(basics.baseUrl, path, query);
    const target: CachedTarget = { url, authorization, origin: url.origin, path: url.search ? `${url.pathname}${url.search}` : url.pathname };
    if (query === undefined) {
      lastPath = path;
      lastTarget = target;
    }
    return target;
  };

  /** `send`, following redirects when asked to. */
  const sendFollowing = async (method: string, path: string, opts: HttpRequestOptions = {}, stream: StreamMode = false): Promise<HttpResponse> => {
    const first = await send(method, path, opts, stream);
    if (!opts.maxRedirects || first.status < 300 || first.status > 399) return first;
    checkIntegerOption(opts.maxRedirects, 'maxRedirects');
    return followRedirects(method.toUpperCase(), targetOf(path, opts.query).url, opts, first, (m, url, o, cross) => send(m, url, o, stream, cross));
  };
  const request = (method: string, path: string, opts?: HttpRequestOptions): Promise<HttpResponse> =>
    opts?.maxRedirects ? sendFollowing(method, path, opts, false) : send(method, path, opts, false);
  const streamInput = (method: string, path: string, opts: HttpRequestOptions, mode: StreamMode, restart?: () => Promise<void>): StreamResponseInput => ({
    first: sendFollowing(method, path, opts, mode) as unknown as Promise<RawStreamResponse>,
    reopen: (extra) => sendFollowing(method, path, { ...opts, headers: { ...opts.headers, ...extra } }, mode) as unknown as Promise<RawStreamResponse>,
    maxResumes: resumesAllowed(opts.retry === undefined ? clientRetry : opts.retry === false || clientRetry === false ? false : { ...clientRetry, ...opts.retry }),
    restart,
    cancelled: () => opts.signal?.aborted === true,
    signal: opts.signal,
  });

  async function send(methodIn: string, path: string, opts: HttpRequestOptions = {}, stream: StreamMode = false, crossOrigin = false): Promise<HttpResponse> {
    const method = methodIn.toUpperCase();
    const rules = opts.retry === undefined ? clientRules : resolveHttpRetry(opts.retry === false || clientRetry === false ? false : { ...clientRetry, ...opts.retry });
    const target = targetOf(path, opts.query);
    const { url, authorization, origin } = target;
    let safe: string | undefined;
    // Redacting costs a few µs: done only when a message, log line, hook or caller needs it.
    const safeUrl = (): string => (safe ??= redactUrl(url));
    // The client's headers are shared (undici only reads them) unless this request adds some.
    let headers: Record<string, string> = baseHeaders;
    if (authorization || opts.headers || opts.idempotencyKey || opts.json !== undefined || crossOrigin) {
      headers = { ...baseHeaders };
      if (authorization) headers.authorization = authorization;
      if (opts.headers) Object.assign(headers, lowerKeys(opts.headers));
      if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
      // A redirect to another origin: credentials stay with the origin they were meant for.
      if (crossOrigin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
    }
    let body = opts.body === undefined && opts.bodyFile === undefined ? undefined : prepareBody(opts.body, opts.bodyFile);
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = opts.timeout === undefined ? basics.timeoutMs : resolveClientBasics({ timeout: opts.timeout }).timeoutMs;
    const input: AttemptInput = {
      method, url, origin, path: target.path, safeUrl, headers, body, dispatcher, maxErrorBody: basics.maxErrorBody, failureStatuses: rules.statuses, hooks, stream: stream !== false, maxBodyBytes: basics.maxBodyBytes,
      direct: stream === 'sink' && direct && body === undefined && method === 'GET' && url.protocol === 'http:' && plainGlobalDispatcher(),
      timeoutMs, idleTimeoutMs: basics.idleTimeoutMs, connectTimeoutMs: basics.connectTimeoutMs,
    };
    budget?.recordRequest();

    // Fast path: the first attempt runs without the retry machinery (options, closures, attempt
    // scope); `retry()` is entered only when it fails, continuing from that failure. Not taken
    // with a `maxElapsed` deadline (the deadline also bounds the first attempt) or a signal
    // already aborted.
    const outer = opts.signal;
    if (rules.options.maxElapsed === undefined && !outer?.aborted) {
      const start = (rules.options.clock ?? DEFAULT_CLOCK).now();
      const signal = new LiteSignal();
      const onAbort = outer ? (): void => signal.abort(outer.reason) : undefined;
      if (outer) outer.addEventListener('abort', onAbort!, { once: true });
      let firstError: unknown;
      try {
        // Inlined rather than `attemptOnce(1)`: one promise less per request.
        const report: (o: CircuitOutcome, error?: unknown) => void = breaker ? breaker.acquire(origin) : noop;
        return await sendAttempt(input, 1, signal, report);
      } catch (error) {
        firstError = error;
      } finally {
        if (outer) outer.removeEventListener('abort', onAbort!);
      }
      return withRetries(firstError, start);
    }
    return withRetries(NOT_TRIED, 0);

    /** The retry loop, from the start or after a failed first attempt (its closures made only then). */
    async function withRetries(firstError: unknown, start: number): Promise<HttpResponse> {
      const description = (): string => `${method} ${safeUrl()}`;
      const clock = rules.options.clock ?? DEFAULT_CLOCK;
      const t0 = firstError === NOT_TRIED ? clock.now() : start;
      const methodRetryable = rules.methods.has(method) || 'idempotency-key' in headers || rules.retryNonIdempotent;
      // A bare stream can be read once: its request gets one attempt, whatever failed.
      const oneShot = body instanceof BodySource && !body.replayable;
      /** A failure another attempt may cure, whatever the method. */
      const transient = (error: unknown): boolean =>
        (error instanceof HttpStatusError && rules.statuses.has(error.status)) || (error instanceof HttpNetworkError && error.retryable) || error instanceof AttemptTimeoutError;
      const retryable = (error: unknown): boolean =>
        !oneShot && transient(error) && (methodRetryable || (error instanceof HttpNetworkError && NOT_SENT.has(error.errorCode ?? '')));
      /** Why a transient failure is not retried, for its message. */
      const whyNot = (error: unknown): string | undefined => {
        if (!transient(error)) return undefined;
        if (!rules.enabled) return 'retries are off for this request';
        if (oneShot) return 'the request body is a stream, which can be sent only once; pass `body: () => stream` or `bodyFile` to allow retries';
        if (!retryable(error)) return `${method} without Idempotency-Key; set idempotencyKey (--idempotency-key) or retryNonIdempotent (--retry-non-idempotent)`;
        return undefined;
      };

      /** A too-long `Retry-After` becomes a `RetryAfterTooLongError`; any other error is kept. */
      const attemptError = (error: unknown, attempt: number): unknown => {
        if (error instanceof CircuitOpenError && !error.message.startsWith(method)) return new CircuitOpenError(error.origin, error.retryInMs, error.cause, description());
        if (error instanceof HttpStatusError && error.retryAfterMs !== undefined && error.retryAfterMs > rules.maxRetryAfterMs && retryable(error)) {
          return new RetryAfterTooLongError({ method, url: safeUrl(), attempt, cause: error, retryAfterMs: error.retryAfterMs, maxRetryAfterMs: rules.maxRetryAfterMs });
        }
        return error;
      };
      /** One attempt, through the breaker. */
      const attemptOnce = async (attempt: number, signal: LiteSignal): Promise<HttpResponse> => {
        try {
          const report: (o: CircuitOutcome, error?: unknown) => void = breaker ? breaker.acquire(origin) : noop;
          return await sendAttempt(input, attempt, signal, report);
        } catch (error) {
          throw attemptError(error, attempt);
        }
      };

      const history: AttemptRecord[] = [];
      let budgetDenied = false;
      const retryOptions: RetryOptions = {
        ...rules.options,
        signal: outer,
        description,
        delayFor: (error) => (error instanceof HttpStatusError ? error.retryAfterMs : undefined),
        shouldRetry: async (error, ctx) => {
          if (!rules.enabled || !retryable(error)) {
            const why = whyNot(error);
            if (why) noteNotRetried(error, why);
            return false;
          }
          if (rules.options.shouldRetry && !(await rules.options.shouldRetry(error, ctx))) {
            noteNotRetried(error, 'retry.shouldRetry declined it');
            return false;
          }
          if (budget && !budget.tryRetry()) {
            budgetDenied = true;
            hooks?.onBudgetExhausted?.({ method, url: safeUrl(), attempt: ctx.attempt });
            return false;
          }
          return true;
        },
        onRetry: (info) => {
          history.push(info);
          const reason = reasonOf(info.error);
          logger()?.warn(`retrying ${description()}`, {
            attempt: info.attempt,
            waitMs: info.delayMs,
            wait: formatDuration(info.delayMs),
            reason,
          });
          hooks?.onRetry?.({ method, url: safeUrl(), attempt: info.attempt, delayMs: info.delayMs, reason });
          rules.options.onRetry?.(info);
        },
      };
      const attemptFn = (ctx: RetryContext): Promise<HttpResponse> => {
        // A timeout or the caller's abort ends undici's request too, so its socket is freed.
        const signal = new LiteSignal();
        ctx.onStop((reason) => signal.abort(reason));
        return attemptOnce(ctx.attempt, signal);
      };
      try {
        return await (firstError === NOT_TRIED ? retry(attemptFn, retryOptions) : retryAfterFirstFailure(attemptFn, retryOptions, attemptError(firstError, 1), start));
      } catch (error) {
        throw finalError(error, history, budgetDenied, description(), Math.round(clock.now() - t0));
      }
    }
  }

  return {
    request,
    requestStream: (method, path, opts = {}) => streamResponse(streamInput(method, path, opts, 'readable')),
    download: (path, to, opts = {}) => downloadFile(to, (restart) => pumpResponse(streamInput(opts.method ?? 'GET', path, opts, 'sink', restart)), opts.onHeaders),
    breaker,
    budget,
    delete: (path, opts) => request('DELETE', path, opts),
    getJson: async (path, opts) => (await request('GET', path, withAccept(opts))).json(),
    postJson: async (path, json, opts) => (await request('POST', path, { ...withAccept(opts), json })).json(),
    putJson: async (path, json, opts) => (await request('PUT', path, { ...withAccept(opts), json })).json(),
  };
}

/** How `send` hands a body over: read into a Buffer (false), as a Readable, or to a sink (which may read it straight from the socket). */
type StreamMode = false | 'readable' | 'sink';

/** The global dispatcher when this module loaded: undici's own Agent unless one was set before. */
const INITIAL_DISPATCHER = getGlobalDispatcher();

/** undici's own global Agent, not a proxy agent, mock or configured Agent installed with `setGlobalDispatcher`. */
function plainGlobalDispatcher(): boolean {
  const current = getGlobalDispatcher();
  return current === INITIAL_DISPATCHER && current.constructor.name === 'Agent';
}

/** Attaches the attempt history to the error that ends the request. */
function finalError(error: unknown, history: AttemptRecord[], budgetDenied: boolean, description: string, elapsedMs: number): unknown {
  const attempts = error instanceof RetryError ? error.attempts : history.concat(lastAttempt(error, elapsedMs));
  const last = error instanceof RetryError ? error.cause : error;
  if (last instanceof HttpStatusError || last instanceof HttpNetworkError || last instanceof RetryAfterTooLongError) last.setAttempts(attempts);
  if (budgetDenied) {
    return new RetryBudgetError(description, error, attempts);
  }
  return error;
}

/** The attempt that ended the request, at its real offset from the first attempt's start. */
function lastAttempt(error: unknown, elapsedMs: number): AttemptRecord[] {
  const attempt = (error as { attempt?: unknown })?.attempt;
  return typeof attempt === 'number' ? [{ attempt, error, delayMs: 0, elapsedMs }] : [];
}

/** A short reason for the retry log line: `status 503`, `ECONNRESET`, `timeout`. */
export function reasonOf(error: unknown): string {
  if (error instanceof HttpStatusError) return `status ${error.status}${error.retryAfterMs !== undefined ? ` (Retry-After ${formatDuration(error.retryAfterMs)})` : ''}`;
  if (error instanceof HttpNetworkError) return error.errorCode ?? 'network error';
  if (error instanceof AttemptTimeoutError) return error.deadline ? `deadline (${formatDuration(error.timeoutMs)} left)` : `no headers within ${formatDuration(error.timeoutMs)}`;
  return error instanceof Error ? error.message : String(error);
}

function withAccept(opts: HttpRequestOptions = {}): HttpRequestOptions {
  return { ...opts, headers: { accept: 'application/json', ...opts.headers } };
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function isBreaker(value: unknown): value is CircuitBreaker {
  return typeof (value as CircuitBreaker | undefined)?.acquire === 'function';
}

function isBudget(value: unknown): value is RetryBudget {
  return typeof (value as RetryBudget | undefined)?.tryRetry === 'function';
}
