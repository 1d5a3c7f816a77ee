import { CGROUP_METRICS } from '../collectors/cgroup.js';
import { HEALTH_METRICS } from '../agent/collector-health.js';
import { FLEET_SERIES } from './recording-rules.js';

/** Options of `buildDashboard`. */
export interface DashboardOptions {
  /** Scrape job of the agents. Defaults to `host-metrics`. */
  readonly job?: string;
  /** Dashboard title. Defaults to `host-metrics fleet`. */
  readonly title?: string;
}

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly queries: ReadonlyArray<readonly [expr: string, legend: string]>;
}

/** The panels: the recording rules first, then per host and per collector. */
function panels(job: string): Panel[] {
  const sel = `{job="${job}"}`;
  return [
    { title: 'Fleet CPU', unit: 'percentunit', queries: [[FLEET_SERIES.cpuAvg, 'average'], [FLEET_SERIES.cpuMax, 'busiest host']] },
    { title: 'Fleet memory', unit: 'percentunit', queries: [[FLEET_SERIES.memoryAvg, 'average'], [FLEET_SERIES.memoryMax, 'fullest host']] },
    { title: 'Hosts up / down', unit: 'short', queries: [[FLEET_SERIES.hostsUp, 'up'], [FLEET_SERIES.hostsDown, 'down']] },
    { title: 'Hosts above thresholds', unit: 'short', queries: [[FLEET_SERIES.cpuAbove, 'CPU'], [FLEET_SERIES.memoryAbove, 'memory']] },
    { title: 'CPU per host', unit: 'percentunit', queries: [[`host_cpu_usage_ratio${sel}`, '{{instance}}']] },
    { title: 'Memory per host', unit: 'percentunit', queries: [[`host_memory_usage_ratio${sel}`, '{{instance}}']] },
    { title: 'Container memory / limit', unit: 'percentunit', queries: [[`${CGROUP_METRICS.memoryUsage}${sel}`, '{{instance}} {{cgroup}}']] },
    { title: 'Container CPU / quota', unit: 'percentunit', queries: [[`${CGROUP_METRICS.cpuUsage}${sel}`, '{{instance}} {{cgroup}}']] },
    { title: 'Failing collectors', unit: 'short', queries: [[`${HEALTH_METRICS.up}${sel} == 0`, '{{instance}} {{collector}}']] },
  ];
}

/** A Grafana dashboard (JSON, schema 39) over the recording rules and the agents' series; import it and pick the Prometheus data source. */
export function buildDashboard(options: DashboardOptions = {}): string {
  const job = options.job ?? 'host-metrics';
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  const dashboard = {
    title: options.title ?? 'host-metrics fleet',
    uid: 'host-metrics-fleet',
    schemaVersion: 39,
    editable: true,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels: panels(job).map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: { unit: p.unit, ...(p.unit === 'percentunit' ? { min: 0, max: 1 } : { min: 0 }) }, overrides: [] },
      targets: p.queries.map(([expr, legendFormat], j) => ({ datasource, expr, legendFormat, refId: String.fromCharCode(65 + j) })),
    })),
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
