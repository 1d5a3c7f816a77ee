import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { buildFileSdTargets, buildPrometheusConfig, promDuration } from './prometheus-config.js';
import { buildRecordingRules, FLEET_SERIES } from './recording-rules.js';

describe('buildPrometheusConfig', () => {
  test('static targets, default interval and job', () => {
    expect(parse(buildPrometheusConfig({ targets: ['a:9100', 'b:9101'] }))).toEqual({
      global: { scrape_interval: '5s', evaluation_interval: '5s' },
      scrape_configs: [{ job_name: 'host-metrics', scrape_interval: '5s', scrape_timeout: '5s', metrics_path: '/metrics', static_configs: [{ targets: ['a:9100', 'b:9101'] }] }],
    });
  });

  test('file_sd targets and rule files', () => {
    const config = parse(buildPrometheusConfig({ targets: ['a:9100'], fileSd: '/etc/prometheus/hosts.json', ruleFiles: ['/etc/prometheus/fleet.rules.yml'], scrapeIntervalMs: 1000, job: 'nodes' }));
    expect(config.rule_files).toEqual(['/etc/prometheus/fleet.rules.yml']);
    expect(config.scrape_configs[0]).toEqual({ job_name: 'nodes', scrape_interval: '1s', scrape_timeout: '1s', metrics_path: '/metrics', file_sd_configs: [{ files: ['/etc/prometheus/hosts.json'], refresh_interval: '1m' }] });
  });

  test.each([
    [{ targets: ['a:1'], scrapeIntervalMs: 500 }, /`scrapeInterval` to be at least 1s/],
    [{ targets: ['a:1'], job: 'my job' }, /`job`/],
  ])('rejects %j', (options, message) => {
    expect(() => buildPrometheusConfig(options)).toThrow(message);
  });

  test('file_sd JSON lists the targets', () => {
    expect(JSON.parse(buildFileSdTargets(['a:9100']))).toEqual([{ targets: ['a:9100'], labels: {} }]);
  });

  test.each([
    [1000, '1s'],
    [15_000, '15s'],
    [120_000, '2m'],
    [1500, '1500ms'],
  ])('promDuration(%d) = %s', (ms, expected) => {
    expect(promDuration(ms)).toBe(expected);
  });
});

describe('buildRecordingRules', () => {
  test('records fleet averages, maxima and hosts above the thresholds for the job', () => {
    const rules = parse(buildRecordingRules({ job: 'nodes', cpuThreshold: 0.8 })).groups[0].rules as Array<{ record: string; expr: string }>;
    const byName = Object.fromEntries(rules.map((r) => [r.record, r.expr]));
    expect(byName[FLEET_SERIES.cpuAvg]).toBe('avg(host_cpu_usage_ratio{job="nodes"})');
    expect(byName[FLEET_SERIES.memoryMax]).toBe('max(host_memory_usage_ratio{job="nodes"})');
    expect(byName[FLEET_SERIES.cpuAbove]).toBe('count(host_cpu_usage_ratio{job="nodes"} > 0.8) or vector(0)');
    expect(byName[FLEET_SERIES.memoryAbove]).toBe('count(host_memory_usage_ratio{job="nodes"} > 0.9) or vector(0)');
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(Object.values(FLEET_SERIES)));
  });
});
