import { formatDuration } from '@ops/core';
import { stringify } from 'yaml';
import { COLLECTOR_DEFAULTS } from '../agent/collector-options.js';
import { invalidOption } from '../errors.js';

/** Options of `buildPrometheusConfig`. */
export interface PrometheusConfigOptions {
  /** `host:port` targets (see `parseInventory`). Ignored with `fileSd`. */
  readonly targets: readonly string[];
  /** Scrape (and rule evaluation) interval in ms: the agents' sample interval, so every sample is stored once. Defaults to 5s (the agent's default interval). */
  readonly scrapeIntervalMs?: number;
  /** Scrape job name. Defaults to `host-metrics`. */
  readonly job?: string;
  /** Read targets from this file_sd file (absolute path) instead of listing them. Defaults to static targets. */
  readonly fileSd?: string;
  /** Rule files to reference (absolute paths). Defaults to none. */
  readonly ruleFiles?: readonly string[];
}

export const PROMETHEUS_CONFIG_DEFAULTS = { scrapeIntervalMs: COLLECTOR_DEFAULTS.interval, job: 'host-metrics' } as const;

/** A Prometheus configuration (YAML) that scrapes the agents; it starts as is with `prometheus --config.file`. */
export function buildPrometheusConfig(options: PrometheusConfigOptions): string {
  const o = { ...PROMETHEUS_CONFIG_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<PrometheusConfigOptions>;
  if (!Number.isFinite(o.scrapeIntervalMs) || o.scrapeIntervalMs < 1000) throw invalidOption('scrapeInterval', 'at least 1s', formatDuration(o.scrapeIntervalMs));
  if (!/^[A-Za-z0-9_.-]+$/.test(o.job)) throw invalidOption('job', 'letters, digits, _ . or -', o.job);
  const interval = promDuration(o.scrapeIntervalMs);
  // Prometheus refuses a scrape timeout longer than the interval; its default is 10s.
  const timeout = promDuration(Math.min(o.scrapeIntervalMs, 10_000));
  const job = {
    job_name: o.job,
    scrape_interval: interval,
    scrape_timeout: timeout,
    metrics_path: '/metrics',
    ...(o.fileSd ? { file_sd_configs: [{ files: [o.fileSd], refresh_interval: '1m' }] } : { static_configs: [{ targets: [...o.targets] }] }),
  };
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    ...(o.ruleFiles?.length ? { rule_files: [...o.ruleFiles] } : {}),
    scrape_configs: [job],
  });
}

/** The file_sd targets file (JSON) for `targets`. */
export function buildFileSdTargets(targets: readonly string[]): string {
  return `${JSON.stringify([{ targets: [...targets], labels: {} }], null, 2)}\n`;
}

/** Milliseconds as a Prometheus duration (`1s`, `1500ms`, `2m`). */
export function promDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms)}ms`;
}
