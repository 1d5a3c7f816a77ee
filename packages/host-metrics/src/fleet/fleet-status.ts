import type { PrometheusApi } from './prometheus-api.js';

/** One host of the fleet as Prometheus sees it. */
export interface FleetHost {
  /** The scrape target (`instance` label), e.g. `web-1:9100`. */
  readonly instance: string;
  readonly up: boolean;
  /** 0..1, undefined when Prometheus holds no value. */
  readonly cpu: number | undefined;
  readonly memory: number | undefined;
}

/** Options of `fetchFleetStatus`. */
export interface FleetStatusOptions {
  /** Scrape job of the agents. Defaults to `host-metrics`. */
  readonly job?: string;
  readonly signal?: AbortSignal;
}

/**
 * Reads up, CPU and memory ratio of every target of `job` (three instant queries: `up` first,
 * then the other two at once), busiest CPU first; hosts that are down come last.
 */
export async function fetchFleetStatus(api: PrometheusApi, options: FleetStatusOptions = {}): Promise<FleetHost[]> {
  const sel = `{job=${JSON.stringify(options.job ?? 'host-metrics')}}`;
  // `up` alone first: after Prometheus was away, the breaker lets one trial through (half-open),
  // and queries sent beside it would fail fast; with `up` as the trial, the first refresh after
  // Prometheus is back succeeds whole instead of failing once more.
  const up = await api.query(`up${sel}`, options.signal);
  const [cpu, memory] = await Promise.all([api.query(`host_cpu_usage_ratio${sel}`, options.signal), api.query(`host_memory_usage_ratio${sel}`, options.signal)]);
  const byInstance = (samples: typeof up) => new Map(samples.map((s) => [s.metric.instance ?? '', s.value]));
  const cpuOf = byInstance(cpu);
  const memOf = byInstance(memory);
  const hosts = up.map((s) => {
    const instance = s.metric.instance ?? '';
    const isUp = s.value === 1;
    return { instance, up: isUp, cpu: isUp ? cpuOf.get(instance) : undefined, memory: isUp ? memOf.get(instance) : undefined };
  });
  return hosts.sort((a, b) => Number(b.up) - Number(a.up) || (b.cpu ?? -1) - (a.cpu ?? -1) || a.instance.localeCompare(b.instance));
}
