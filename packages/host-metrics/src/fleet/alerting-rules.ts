import { CGROUP_METRICS } from '../collectors/cgroup.js';
import { SAMPLER_METRICS } from '../agent/create-collector.js';
import { HEALTH_METRICS } from '../agent/collector-health.js';
import { promDuration } from './prometheus-config.js';

/** Options of `buildAlertingRules`. */
export interface AlertingRulesOptions {
  /** Scrape job of the agents. Defaults to `host-metrics`. */
  readonly job?: string;
  /** HostCpuSaturated above this CPU ratio. Defaults to 0.9. */
  readonly cpuThreshold?: number;
  /** HostMemoryPressure above this memory ratio (host, or the agent's cgroup against its limit). Defaults to 0.9. */
  readonly memoryThreshold?: number;
  /** The agents' sample interval in ms: HostMetricsStale fires after three without a sample. Defaults to 5s. */
  readonly sampleIntervalMs?: number;
  /** How long CPU or memory must stay above the threshold. Defaults to 5m. */
  readonly saturationForMs?: number;
}

export const ALERTING_RULES_DEFAULTS = { job: 'host-metrics', cpuThreshold: 0.9, memoryThreshold: 0.9, sampleIntervalMs: 5000, saturationForMs: 300_000 } as const;

/** The alerts and what each means (the README's alert table comes from the same words). */
export const ALERTS = {
  HostDown: 'Prometheus cannot scrape the agent (host down, agent stopped, network).',
  HostCpuSaturated: 'CPU busy above the threshold for the saturation period.',
  HostMemoryPressure: 'Memory in use above the threshold (host-wide, or the cgroup against its limit) for the saturation period.',
  HostCollectorFailing: 'A collector has failed or run late for a minute: its series are missing.',
  HostMetricsStale: 'The agent answers scrapes but has not completed a sample for three intervals.',
} as const;

/** The alerting rule group (an object for a rules file's `groups`). */
export function alertingRuleGroup(options: AlertingRulesOptions = {}): { name: string; rules: object[] } {
  const o = { ...ALERTING_RULES_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<AlertingRulesOptions>;
  const sel = `{job="${o.job}"}`;
  const saturation = promDuration(o.saturationForMs);
  const staleSeconds = (3 * o.sampleIntervalMs) / 1000;
  const alert = (name: keyof typeof ALERTS, expr: string, forMs: number, severity: string, summary: string) => ({
    alert: name,
    expr,
    ...(forMs > 0 ? { for: promDuration(forMs) } : {}),
    labels: { severity },
    annotations: { summary, description: ALERTS[name] },
  });
  return {
    name: 'host-metrics-alerts',
    rules: [
      // No `for`: the alert fires at the first failed scrape's evaluation, within two intervals.
      alert('HostDown', `up${sel} == 0`, 0, 'critical', 'host-metrics agent {{ $labels.instance }} is down'),
      alert('HostCpuSaturated', `host_cpu_usage_ratio${sel} > ${o.cpuThreshold}`, o.saturationForMs, 'warning', `CPU of {{ $labels.instance }} above ${o.cpuThreshold} for ${saturation}`),
      alert('HostMemoryPressure', `host_memory_usage_ratio${sel} > ${o.memoryThreshold} or ${CGROUP_METRICS.memoryUsage}${sel} > ${o.memoryThreshold}`, o.saturationForMs, 'warning', `memory of {{ $labels.instance }} above ${o.memoryThreshold} for ${saturation}`),
      alert('HostCollectorFailing', `${HEALTH_METRICS.up}${sel} == 0`, 60_000, 'warning', 'collector {{ $labels.collector }} of {{ $labels.instance }} is failing'),
      alert('HostMetricsStale', `time() - ${SAMPLER_METRICS.lastSample}${sel} > ${staleSeconds}`, 0, 'warning', `{{ $labels.instance }} has not sampled for over ${staleSeconds}s`),
    ],
  };
}
