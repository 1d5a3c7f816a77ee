import { ExitCode, type Logger } from '@ops/core';
import { createHttpClient, HttpStatusError, redactUrl } from '@ops/resilient-http';
import { MetricsError } from '../errors.js';

/** One series of an instant-vector result. */
export interface InstantSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Options of `createPrometheusApi`. */
export interface PrometheusApiOptions {
  /** Retries after the first attempt on network errors, 5xx and 429. Defaults to 2. */
  readonly retries?: number;
  /** Limit on one attempt: ms or a duration. Defaults to 5s. */
  readonly timeout?: number | string;
  /** How long the circuit stays open after repeated failures before one trial request: ms or a duration. `top --watch` sets its refresh interval, so each refresh probes and the first one after Prometheus is back recovers. Defaults to 30s. */
  readonly breakerCooldown?: number | string;
  /** Logger for the one line per retry. Defaults to none. */
  readonly logger?: Logger;
}

/** The part of Prometheus's HTTP API that `top` needs. */
export interface PrometheusApi {
  readonly url: string;
  /** An instant query (`/api/v1/query`); resolves to the vector's samples. */
  query(promql: string, signal?: AbortSignal): Promise<InstantSample[]>;
}

interface QueryResponse {
  readonly status?: string;
  readonly error?: string;
  readonly data?: { readonly resultType?: string; readonly result?: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

/**
 * A client of Prometheus's HTTP API on `@ops/resilient-http` (retries with backoff, breaker).
 * Fails with `METRICS_PROMETHEUS_UNREACHABLE` (exit 3) when the server cannot be reached or keeps
 * failing, and `METRICS_PROMETHEUS_QUERY_FAILED` when it rejects the query.
 */
export function createPrometheusApi(baseUrl: string, options: PrometheusApiOptions = {}): PrometheusApi {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const where = redactUrl(baseUrl).replace(/\/$/, '');
  const client = createHttpClient({
    baseUrl: base,
    timeout: options.timeout ?? 5000,
    retry: { retries: options.retries ?? 2, minDelay: 200, maxDelay: 2000 },
    logger: options.logger ?? false,
    headers: { accept: 'application/json' },
    breaker: { cooldown: options.breakerCooldown ?? 30_000 },
  });
  return {
    url: where,
    async query(promql, signal) {
      let body: QueryResponse;
      try {
        body = await client.getJson<QueryResponse>('api/v1/query', { query: { query: promql }, signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (error instanceof HttpStatusError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          const apiError = safeJson(error.body)?.error ?? `HTTP ${error.status}`;
          throw new MetricsError('METRICS_PROMETHEUS_QUERY_FAILED', `Prometheus at ${where} rejected the query ${promql}: ${apiError}`, {
            cause: error,
            context: { status: error.status, query: promql },
            hint: error.status === 404 ? 'check --prometheus points at Prometheus (its base URL, e.g. http://host:9090)' : 'check the query and the Prometheus version',
          });
        }
        throw new MetricsError('METRICS_PROMETHEUS_UNREACHABLE', `cannot query Prometheus at ${where}: ${(error as Error)?.message ?? String(error)}`, {
          cause: error,
          exitCode: ExitCode.ENVIRONMENT,
          context: { prometheus: where },
          hint: 'check --prometheus (e.g. http://prometheus:9090) and that Prometheus is running',
        });
      }
      const result = body.data?.result;
      if (body.status !== 'success' || body.data?.resultType !== 'vector' || !Array.isArray(result)) {
        throw new MetricsError('METRICS_PROMETHEUS_QUERY_FAILED', `Prometheus at ${where} answered the query ${promql} without an instant vector`, { context: { query: promql } });
      }
      return result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}

function safeJson(text: string): { error?: string } | undefined {
  try {
    return JSON.parse(text) as { error?: string };
  } catch {
    return undefined;
  }
}
