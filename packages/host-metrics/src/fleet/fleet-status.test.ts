import { expect, test } from '@jest/globals';
import { fetchFleetStatus } from './fleet-status.js';
import type { InstantSample, PrometheusApi } from './prometheus-api.js';

const sample = (instance: string, value: number): InstantSample => ({ metric: { instance, job: 'host-metrics' }, value });

test('joins up, CPU and memory by instance: busiest first, down hosts last, selector on the job', async () => {
  const queries: string[] = [];
  const answers: Record<string, InstantSample[]> = {
    'up{job="nodes"}': [sample('a:9100', 1), sample('b:9100', 0), sample('c:9100', 1), sample('d:9100', 1)],
    'host_cpu_usage_ratio{job="nodes"}': [sample('a:9100', 0.1), sample('c:9100', 0.7), sample('b:9100', 0.9)],
    'host_memory_usage_ratio{job="nodes"}': [sample('a:9100', 0.5), sample('c:9100', 0.2)],
  };
  const api: PrometheusApi = {
    url: 'http://prom:9090',
    query: (q) => {
      queries.push(q);
      return Promise.resolve(answers[q] ?? []);
    },
  };
  expect(await fetchFleetStatus(api, { job: 'nodes' })).toEqual([
    { instance: 'c:9100', up: true, cpu: 0.7, memory: 0.2 },
    { instance: 'a:9100', up: true, cpu: 0.1, memory: 0.5 },
    // Up but not sampled yet: no values.
    { instance: 'd:9100', up: true, cpu: undefined, memory: undefined },
    // Down: stale values are not shown.
    { instance: 'b:9100', up: false, cpu: undefined, memory: undefined },
  ]);
  expect(queries.sort()).toEqual(Object.keys(answers).sort());
});
