import { loadavg } from 'node:os';
import { readProcFile } from '../proc/read-proc-file.js';
import type { CollectorContext, HostCollector } from './host-collector.js';
import { sampledGauge } from './sampled-gauge.js';

export const LOAD_METRICS = { load1: 'host_load1', load5: 'host_load5', load15: 'host_load15' } as const;

/** The three load averages of /proc/loadavg. */
export function parseLoadavg(text: string): number[] {
  const values = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (values.length < 3 || values.some((v) => !Number.isFinite(v))) throw new Error(`unexpected /proc/loadavg: ${JSON.stringify(text.slice(0, 80))}`);
  return values;
}

/** Load averages over 1, 5 and 15 minutes from /proc/loadavg under procRoot (`os.loadavg()` elsewhere). */
export function loadCollector({ registry, procRoot }: CollectorContext): HostCollector {
  const gauges = [LOAD_METRICS.load1, LOAD_METRICS.load5, LOAD_METRICS.load15].map(
    (name, i) => sampledGauge({ name, help: `Load average over ${[1, 5, 15][i]} minute(s): runnable and uninterruptible tasks.`, registers: [registry] }),
  );
  return {
    name: 'load',
    async collect(signal) {
      const values = process.platform === 'linux' ? parseLoadavg(await readProcFile(`${procRoot}/loadavg`, signal)) : loadavg();
      if (signal.aborted) return;
      gauges.forEach((g, i) => g.set(values[i] ?? 0));
    },
  };
}
