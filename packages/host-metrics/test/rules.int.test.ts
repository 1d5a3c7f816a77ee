// The alerting and recording rules under `promtool test rules` (Debian's prometheus ships
// promtool), and the dashboard's queries parsed by promtool and checked against the series the
// agent and the rules export.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@jest/globals';
import { makeTempDir, which } from '@ops/testkit';
import { stringify } from 'yaml';
import { ALERTS, buildDashboard, buildRulesFile, CGROUP_METRICS, CPU_METRICS, DISK_METRICS, FLEET_SERIES, HEALTH_METRICS, LOAD_METRICS, MEMORY_METRICS, NETWORK_METRICS, SAMPLER_METRICS, BUILD_INFO_METRIC } from '@ops/host-metrics';

const run = promisify(execFile);

function promtool(): string {
  const path = which('promtool');
  expect(path).toBeDefined();
  return path!;
}

const series = (name: string, labels: Record<string, string>, values: string) => ({
  series: `${name}{${Object.entries({ job: 'host-metrics', ...labels }).map(([k, v]) => `${k}="${v}"`).join(',')}}`,
  values,
});
const SUMMARIES: Record<keyof typeof ALERTS, (l: Record<string, string>) => string> = {
  HostDown: (l) => `host-metrics agent ${l.instance} is down`,
  HostCpuSaturated: (l) => `CPU of ${l.instance} above 0.9 for 5m`,
  HostMemoryPressure: (l) => `memory of ${l.instance} above 0.9 for 5m`,
  HostCollectorFailing: (l) => `collector ${l.collector} of ${l.instance} is failing`,
  HostMetricsStale: (l) => `${l.instance} has not sampled for over 15s`,
};
const expAlert = (alertname: keyof typeof ALERTS, labels: Record<string, string>) => ({
  exp_labels: { job: 'host-metrics', ...labels },
  exp_annotations: { summary: SUMMARIES[alertname](labels), description: ALERTS[alertname] },
});
const firing = (alertname: keyof typeof ALERTS, at: string, labels: Record<string, string>) => ({ eval_time: at, alertname, exp_alerts: [expAlert(alertname, labels)] });
const silent = (alertname: string, at: string) => ({ eval_time: at, alertname, exp_alerts: [] });

test('promtool test rules: each alert fires when it should and not before', async () => {
  const dir = makeTempDir('host-metrics-rules-').path;
  writeFileSync(join(dir, 'rules.yml'), buildRulesFile({ sampleIntervalMs: 5000 }));
  const a = { instance: 'a:9100' };
  const b = { instance: 'b:9100' };
  const tests = {
    rule_files: ['rules.yml'],
    evaluation_interval: '5s',
    tests: [
      {
        interval: '5s',
        input_series: [series('up', a, '1 1 0 0 0'), series('up', b, '1x4')],
        alert_rule_test: [silent('HostDown', '5s'), firing('HostDown', '10s', { ...a, severity: 'critical' })],
        promql_expr_test: [{ expr: FLEET_SERIES.hostsDown, eval_time: '10s', exp_samples: [{ labels: FLEET_SERIES.hostsDown, value: 1 }] }],
      },
      {
        interval: '1m',
        input_series: [series('host_cpu_usage_ratio', a, '0.95x10'), series('host_cpu_usage_ratio', b, '0.5x10')],
        alert_rule_test: [silent('HostCpuSaturated', '4m'), firing('HostCpuSaturated', '6m', { ...a, severity: 'warning' })],
      },
      {
        interval: '1m',
        input_series: [
          series('host_memory_usage_ratio', a, '0.95x10'),
          series('host_memory_usage_ratio', b, '0.2x10'),
          // b's container is near its limit while the host is not.
          series(CGROUP_METRICS.memoryUsage, { ...b, cgroup: '/kubepods/pod1' }, '0.97x10'),
        ],
        alert_rule_test: [
          silent('HostMemoryPressure', '4m'),
          { eval_time: '6m', alertname: 'HostMemoryPressure', exp_alerts: [expAlert('HostMemoryPressure', { ...a, severity: 'warning' }), expAlert('HostMemoryPressure', { ...b, cgroup: '/kubepods/pod1', severity: 'warning' })] },
        ],
      },
      {
        interval: '15s',
        input_series: [series(HEALTH_METRICS.up, { ...a, collector: 'memory' }, '1 0x10'), series(HEALTH_METRICS.up, { ...a, collector: 'cpu' }, '1x10')],
        alert_rule_test: [silent('HostCollectorFailing', '45s'), firing('HostCollectorFailing', '90s', { ...a, collector: 'memory', severity: 'warning' })],
      },
      {
        interval: '5s',
        // a samples every 5 s (its timestamp follows the clock); b's sampler stopped at t=10s.
        input_series: [series(SAMPLER_METRICS.lastSample, a, '0+5x30'), series(SAMPLER_METRICS.lastSample, b, '0+5x2 10x28')],
        alert_rule_test: [silent('HostMetricsStale', '20s'), firing('HostMetricsStale', '30s', { ...b, severity: 'warning' })],
      },
    ],
  };
  writeFileSync(join(dir, 'rules.test.yml'), stringify(tests));
  const result = await run(promtool(), ['test', 'rules', join(dir, 'rules.test.yml')]).catch((error: { stdout: string; stderr: string }) => error);
  expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
});

/** The series names a PromQL expression reads (not functions, keywords, label names or strings). */
function metricNames(expr: string): string[] {
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = bare.slice(m.index! + m[0].length).trimStart();
    if (after.startsWith('(') || ['or', 'and', 'unless', 'bool', 'offset'].includes(m[0])) continue;
    names.push(m[0]);
  }
  return names;
}

test('every dashboard query parses (promtool) and names only series the agent or the rules export', async () => {
  const dashboard = JSON.parse(buildDashboard()) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
  expect(exprs.length).toBeGreaterThanOrEqual(9);
  const known = new Set<string>([
    'up',
    BUILD_INFO_METRIC,
    ...[CPU_METRICS, MEMORY_METRICS, LOAD_METRICS, DISK_METRICS, NETWORK_METRICS, CGROUP_METRICS, HEALTH_METRICS, SAMPLER_METRICS, FLEET_SERIES].flatMap((m) => Object.values(m)),
  ]);
  for (const expr of exprs) {
    const names = metricNames(expr);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect({ expr, name, known: known.has(name) }).toEqual({ expr, name, known: true });
  }
  // promtool parses each query as the expression of a recording rule.
  const dir = makeTempDir('host-metrics-dashboard-').path;
  writeFileSync(join(dir, 'queries.yml'), stringify({ groups: [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:query:${i}`, expr })) }] }));
  const { stdout } = await run(promtool(), ['check', 'rules', join(dir, 'queries.yml')]);
  expect(stdout).toContain(`SUCCESS: ${exprs.length} rules found`);
});

test('metricNames finds series, not functions or labels', () => {
  expect(metricNames('count(up{job="x"} == 0) or vector(0)')).toEqual(['up']);
  expect(metricNames('time() - host_metrics_last_sample_timestamp_seconds{job="a"} > 15')).toEqual(['host_metrics_last_sample_timestamp_seconds']);
  expect(metricNames('sum by (instance) (rate(host_cpu_seconds_total[5m]))')).toEqual(['host_cpu_seconds_total']);
});
