import { loadavg } from 'node:os';
import type { CollectorContext, HostCollector } from './host-collector.js';
import { sampledGauge } from './sampled-gauge.js';

export const LOAD_METRICS = { load1: 'host_load1', load5: 'host_load5', load15: 'host_load15' } as const;

/** Load averages over 1, 5 and 15 minutes (`os.loadavg()`, which reads /proc/loadavg on Linux). */
export function loadCollector({ registry }: CollectorContext): HostCollector {
  const gauges = [LOAD_METRICS.load1, LOAD_METRICS.load5, LOAD_METRICS.load15].map(
    (name, i) => sampledGauge({ name, help: `Load average over ${[1, 5, 15][i]} minute(s): runnable and uninterruptible tasks.`, registers: [registry] }),
  );
  return {
    name: 'load',
    async collect(signal) {
      const values = loadavg();
      if (signal.aborted) return;
      gauges.forEach((g, i) => g.set(values[i] ?? 0));
    },
  };
}
