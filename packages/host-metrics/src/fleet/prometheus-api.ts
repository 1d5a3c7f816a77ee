import { ExitCode, redactString } from '@ops/core';
import { retry } from '@ops/resilient-http';
import { request } from 'undici';
import { MetricsError } from '../errors.js';

/** One series of an instant-vector result. */
export interface InstantSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Options of `queryInstant`. */
export interface QueryOptions {
  /** Cancels the query (and its retries). Defaults to none. */
  readonly signal?: AbortSignal;
  /** Retries after the first attempt on network errors and 5xx. Defaults to 2. */
  readonly retries?: number;
  /** Limit on one attempt in ms. Defaults to 5s. */
  readonly timeoutMs?: number;
}

class RetryableStatus extends Error {}

/**
 * Runs an instant query against Prometheus's HTTP API (`/api/v1/query`), retrying network
 * errors and 5xx with backoff. Fails with `METRICS_PROMETHEUS_UNREACHABLE` (exit 3) when the
 * server cannot be reached and `METRICS_PROMETHEUS_QUERY_FAILED` when it rejects the query.
 */
export async function queryInstant(baseUrl: string, promql: string, options: QueryOptions = {}): Promise<InstantSample[]> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', promql);
  const where = redactString(baseUrl);
  let body: unknown;
  try {
    body = await retry(
      async ({ signal }) => {
        const res = await request(url, { method: 'GET', signal, headers: { accept: 'application/json' } });
        if (res.statusCode >= 500) {
          await res.body.dump();
          throw new RetryableStatus(`HTTP ${res.statusCode}`);
        }
        const json: unknown = await res.body.json().catch(() => undefined);
        if (res.statusCode !== 200) {
          const error = (json as { error?: string } | undefined)?.error ?? `HTTP ${res.statusCode}`;
          throw new MetricsError('METRICS_PROMETHEUS_QUERY_FAILED', `Prometheus at ${where} rejected the query ${promql}: ${error}`, { context: { status: res.statusCode, query: promql } });
        }
        return json;
      },
      {
        retries: options.retries ?? 2,
        minDelay: 200,
        attemptTimeout: options.timeoutMs ?? 5000,
        signal: options.signal,
        description: `GET ${where}/api/v1/query`,
        shouldRetry: (error) => !(error instanceof MetricsError) && !options.signal?.aborted,
      },
    );
  } catch (error) {
    if (error instanceof MetricsError || options.signal?.aborted) throw error;
    throw new MetricsError('METRICS_PROMETHEUS_UNREACHABLE', `cannot query Prometheus at ${where}: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
      exitCode: ExitCode.ENVIRONMENT,
      context: { prometheus: where },
      hint: 'check --prometheus (e.g. http://prometheus:9090) and that Prometheus is running',
    });
  }
  const data = (body as { status?: string; data?: { resultType?: string; result?: unknown } } | undefined);
  if (data?.status !== 'success' || data.data?.resultType !== 'vector' || !Array.isArray(data.data.result)) {
    throw new MetricsError('METRICS_PROMETHEUS_QUERY_FAILED', `Prometheus at ${where} answered the query ${promql} with no instant vector`, { context: { query: promql } });
  }
  return (data.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
