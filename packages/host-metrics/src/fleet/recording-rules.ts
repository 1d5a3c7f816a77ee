import { stringify } from 'yaml';

/** Options of `buildRecordingRules`. */
export interface RecordingRulesOptions {
  /** Scrape job whose targets are aggregated. Defaults to `host-metrics`. */
  readonly job?: string;
  /** A host counts as busy above this CPU ratio. Defaults to 0.9. */
  readonly cpuThreshold?: number;
  /** A host counts as short of memory above this memory ratio. Defaults to 0.9. */
  readonly memoryThreshold?: number;
}

export const RECORDING_RULES_DEFAULTS = { job: 'host-metrics', cpuThreshold: 0.9, memoryThreshold: 0.9 } as const;

/** Names of the series the recording rules produce. */
export const FLEET_SERIES = {
  cpuAvg: 'fleet:host_cpu_usage_ratio:avg',
  cpuMax: 'fleet:host_cpu_usage_ratio:max',
  memoryAvg: 'fleet:host_memory_usage_ratio:avg',
  memoryMax: 'fleet:host_memory_usage_ratio:max',
  hostsUp: 'fleet:hosts_up:count',
  hostsDown: 'fleet:hosts_down:count',
  cpuAbove: 'fleet:hosts_cpu_above_threshold:count',
  memoryAbove: 'fleet:hosts_memory_above_threshold:count',
  hostCpuAbove: 'host:host_cpu_usage_ratio:above_threshold',
  hostMemoryAbove: 'host:host_memory_usage_ratio:above_threshold',
} as const;

/** The recording rules for fleet aggregates, as a Prometheus rules file (YAML). */
export function buildRecordingRules(options: RecordingRulesOptions = {}): string {
  return stringify({ groups: [recordingRuleGroup(options)] });
}

/** The recording rule group (an object for a rules file's `groups`). */
export function recordingRuleGroup(options: RecordingRulesOptions = {}): { name: string; rules: Array<{ record: string; expr: string }> } {
  const o = { ...RECORDING_RULES_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<RecordingRulesOptions>;
  const sel = `{job="${o.job}"}`;
  const rules = [
    { record: FLEET_SERIES.cpuAvg, expr: `avg(host_cpu_usage_ratio${sel})` },
    { record: FLEET_SERIES.cpuMax, expr: `max(host_cpu_usage_ratio${sel})` },
    { record: FLEET_SERIES.memoryAvg, expr: `avg(host_memory_usage_ratio${sel})` },
    { record: FLEET_SERIES.memoryMax, expr: `max(host_memory_usage_ratio${sel})` },
    { record: FLEET_SERIES.hostsUp, expr: `count(up${sel} == 1) or vector(0)` },
    { record: FLEET_SERIES.hostsDown, expr: `count(up${sel} == 0) or vector(0)` },
    { record: FLEET_SERIES.hostCpuAbove, expr: `host_cpu_usage_ratio${sel} > ${o.cpuThreshold}` },
    { record: FLEET_SERIES.hostMemoryAbove, expr: `host_memory_usage_ratio${sel} > ${o.memoryThreshold}` },
    { record: FLEET_SERIES.cpuAbove, expr: `count(host_cpu_usage_ratio${sel} > ${o.cpuThreshold}) or vector(0)` },
    { record: FLEET_SERIES.memoryAbove, expr: `count(host_memory_usage_ratio${sel} > ${o.memoryThreshold}) or vector(0)` },
  ];
  return { name: 'host-metrics-fleet', rules };
}
