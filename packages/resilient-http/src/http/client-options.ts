import { checkIntegerOption, type Logger, parseDuration, UsageError } from '@ops/core';
import type { Dispatcher } from 'undici';
import type { CircuitBreaker, CircuitBreakerOptions } from '../breaker/circuit-breaker.js';
import type { RetryBudget, RetryBudgetOptions } from '../budget/retry-budget.js';
import { resolveRetryOptions, type RetryOptions } from '../retry/retry-options.js';

/** Retry settings of the HTTP client: every `retry()` option plus the HTTP rules. */
export interface HttpRetryOptions extends Omit<RetryOptions, 'signal' | 'attemptTimeout' | 'delayFor' | 'description'> {
  /** Statuses retried. Defaults to 408, 425, 429, 500, 502, 503, 504. */
  readonly statuses?: ReadonlyArray<number>;
  /** Methods retried without an `Idempotency-Key`. Defaults to GET, HEAD, OPTIONS, PUT, DELETE. */
  readonly methods?: ReadonlyArray<string>;
  /** Longest `Retry-After` honoured; a longer one fails at once with `RetryAfterTooLongError`. Defaults to 60s. */
  readonly maxRetryAfter?: number | string;
  /** Retry POST and PATCH (and other unsafe methods) even without an `Idempotency-Key`. Defaults to false. */
  readonly retryNonIdempotent?: boolean;
}

/** Observability hooks (metrics, tracing). Every hook is optional and must not throw. */
export interface HttpClientHooks {
  /** Before each attempt is sent. */
  readonly onRequest?: (info: { method: string; url: string; attempt: number }) => void;
  /** An attempt got a response (any status) with headers and body read. */
  readonly onResponse?: (info: { method: string; url: string; attempt: number; status: number; durationMs: number }) => void;
  /** An attempt failed below HTTP (reset, refused, timeout...). */
  readonly onNetworkError?: (info: { method: string; url: string; attempt: number; errorCode: string | undefined; durationMs: number }) => void;
  /** A retry was decided: the next attempt starts after `delayMs`. */
  readonly onRetry?: (info: { method: string; url: string; attempt: number; delayMs: number; reason: string }) => void;
  /** A retry was refused because the retry budget is spent. */
  readonly onBudgetExhausted?: (info: { method: string; url: string; attempt: number }) => void;
}

export interface HttpClientOptions {
  /** Base for relative paths, e.g. `https://api.example.com/v1/`. Defaults to none (paths must be absolute URLs). */
  readonly baseUrl?: string;
  /** Headers sent with every request. Defaults to a `user-agent` only. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Time limit of one attempt until the response headers arrive: connecting, sending the request
   * (and its body) and the server's think time. The body is then limited by `idleTimeout`, not by
   * this, so a slow but healthy download is not cut. Defaults to 30s.
   */
  readonly timeout?: number | string;
  /** Time limit of the TCP (and TLS) connect, on the client's own agent (not with `dispatcher`). Defaults to 10s. */
  readonly connectTimeout?: number | string;
  /** Longest pause between two chunks of a response body (a stall); the body as a whole has no limit but `maxElapsed`. Defaults to 30s. */
  readonly idleTimeout?: number | string;
  /** Retry settings, or `false` for a single attempt. Defaults to the `HttpRetryOptions` defaults. */
  readonly retry?: HttpRetryOptions | false;
  /** Circuit breaker per origin: options, a shared breaker, or `false`. Defaults to 5 failures, 30s cool-down. */
  readonly breaker?: CircuitBreakerOptions | CircuitBreaker | false;
  /** Retry budget: options, a shared budget, or `false`. Defaults to 20% of requests + 10 per 10s. */
  readonly budget?: RetryBudgetOptions | RetryBudget | false;
  /** Logger for the one line per retry, or `false`. Defaults to an `@ops/core` logger on stderr. */
  readonly logger?: Logger | false;
  /**
   * `download()` of a plain `http:` GET reads the answer from a connection of its own, straight into
   * one reused buffer (about twice undici's throughput), unless a `dispatcher` is given or undici's
   * global dispatcher was replaced (a proxy). https, other methods and `requestStream` go through
   * undici. Defaults to true.
   */
  readonly directDownloads?: boolean;
  /** undici dispatcher (Agent, Pool, Client, MockAgent...). Defaults to undici's global keep-alive agent. */
  readonly dispatcher?: Dispatcher;
  /** Largest body `request()` reads into memory (checked against Content-Length; stream bigger ones with `requestStream`/`download`). Defaults to 1 GiB. */
  readonly maxBodyBytes?: number;
  /** Bytes of an error response's body kept in `HttpStatusError.body`. Defaults to 2048. */
  readonly maxErrorBody?: number;
  /** Metric and tracing hooks. Defaults to none. */
  readonly hooks?: HttpClientHooks;
}

export const DEFAULT_RETRY_STATUSES: ReadonlyArray<number> = [408, 425, 429, 500, 502, 503, 504];
export const IDEMPOTENT_METHODS: ReadonlyArray<string> = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];

export const CLIENT_DEFAULTS = {
  timeout: 30_000 as number | string,
  connectTimeout: 10_000 as number | string,
  idleTimeout: 30_000 as number | string,
  maxErrorBody: 2048,
  maxBodyBytes: 1024 ** 3,
  maxRetryAfter: 60_000 as number | string,
};

export interface ResolvedHttpRetry {
  readonly enabled: boolean;
  readonly statuses: ReadonlySet<number>;
  readonly methods: ReadonlySet<string>;
  readonly maxRetryAfterMs: number;
  readonly retryNonIdempotent: boolean;
  readonly options: Omit<HttpRetryOptions, 'statuses' | 'methods' | 'maxRetryAfter' | 'retryNonIdempotent'>;
}

/** Validates and fills the HTTP retry settings, naming the bad option. */
export function resolveHttpRetry(retry: HttpRetryOptions | false | undefined): ResolvedHttpRetry {
  const { statuses = DEFAULT_RETRY_STATUSES, methods = IDEMPOTENT_METHODS, maxRetryAfter = CLIENT_DEFAULTS.maxRetryAfter, retryNonIdempotent = false, ...options } = retry || {};
  for (const s of statuses) {
    if (!Number.isInteger(s) || s < 100 || s > 599) throw new UsageError(`Expected \`retry.statuses\` to hold HTTP statuses (100-599), got ${s}`);
  }
  // Validated here, once: a request enters \`retry()\` (which resolves them) only after a failure.
  resolveRetryOptions(options);
  return {
    enabled: retry !== false,
    statuses: new Set(statuses),
    methods: new Set(methods.map((m) => m.toUpperCase())),
    maxRetryAfterMs: parseDuration(maxRetryAfter, { name: 'retry.maxRetryAfter', defaultUnit: 'ms' }),
    retryNonIdempotent,
    options: retry === false ? { ...options, retries: 0 } : options,
  };
}

export interface ClientBasics {
  readonly baseUrl: URL | undefined;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxErrorBody: number;
  readonly maxBodyBytes: number;
}

/** Checks `baseUrl`, the timeouts and `maxErrorBody`. */
export function resolveClientBasics(options: HttpClientOptions): ClientBasics {
  let baseUrl: URL | undefined;
  if (options.baseUrl !== undefined) {
    try {
      baseUrl = new URL(options.baseUrl);
    } catch {
      throw new UsageError(`Expected \`baseUrl\` to be an absolute http(s) URL, got "${options.baseUrl}"`);
    }
    if (!/^https?:$/.test(baseUrl.protocol)) throw new UsageError(`Expected \`baseUrl\` to be an http or https URL, got ${baseUrl.protocol}`);
    if (!baseUrl.pathname.endsWith('/')) baseUrl.pathname += '/';
  }
  const timeoutMs = positiveDuration(options.timeout ?? CLIENT_DEFAULTS.timeout, 'timeout');
  const connectTimeoutMs = positiveDuration(options.connectTimeout ?? CLIENT_DEFAULTS.connectTimeout, 'connectTimeout');
  const idleTimeoutMs = positiveDuration(options.idleTimeout ?? CLIENT_DEFAULTS.idleTimeout, 'idleTimeout');
  if (options.connectTimeout !== undefined && options.dispatcher) throw new UsageError('Expected `connectTimeout` without `dispatcher`: set the connect timeout on your dispatcher (`connect: { timeout }`)');
  const maxErrorBody = options.maxErrorBody ?? CLIENT_DEFAULTS.maxErrorBody;
  checkIntegerOption(maxErrorBody, 'maxErrorBody');
  const maxBodyBytes = options.maxBodyBytes ?? CLIENT_DEFAULTS.maxBodyBytes;
  checkIntegerOption(maxBodyBytes, 'maxBodyBytes');
  return { baseUrl, timeoutMs, connectTimeoutMs, idleTimeoutMs, maxErrorBody, maxBodyBytes };
}

function positiveDuration(value: number | string, name: string): number {
  const ms = parseDuration(value, { name, defaultUnit: 'ms' });
  if (!(ms > 0)) throw new UsageError(`Expected \`${name}\` to be a positive duration, got ${JSON.stringify(value)}`);
  return ms;
}
