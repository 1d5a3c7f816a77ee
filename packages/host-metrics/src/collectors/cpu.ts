import { Counter } from 'prom-client';
import { CPU_MODES, readCpuTimes, usageRatio, type CpuTimesSample } from '../proc/read-cpu-times.js';
import type { CollectorContext, HostCollector } from './host-collector.js';
import { sampledGauge } from './sampled-gauge.js';

export const CPU_METRICS = {
  usage: 'host_cpu_usage_ratio',
  coreUsage: 'host_cpu_core_usage_ratio',
  seconds: 'host_cpu_seconds_total',
  cores: 'host_cpu_cores',
} as const;

/**
 * CPU usage over each interval from /proc/stat deltas (all cores and per core), and the raw
 * per-mode seconds as a counter, like node_exporter's `node_cpu_seconds_total`.
 */
export function cpuCollector({ registry, procRoot }: CollectorContext): HostCollector {
  const usage = sampledGauge({ name: CPU_METRICS.usage, help: 'Share of CPU time spent busy (not idle or iowait) over the last sample interval, all cores, 0..1.', registers: [registry] });
  const coreUsage = sampledGauge({ name: CPU_METRICS.coreUsage, help: 'Share of CPU time spent busy over the last sample interval, per core, 0..1.', labelNames: ['cpu'], registers: [registry] });
  const seconds = new Counter({ name: CPU_METRICS.seconds, help: 'Seconds the CPUs spent in each mode since boot.', labelNames: ['cpu', 'mode'], registers: [registry] });
  const cores = sampledGauge({ name: CPU_METRICS.cores, help: 'Number of logical CPUs.', registers: [registry] });
  let previous: CpuTimesSample | undefined;

  return {
    name: 'cpu',
    required: true,
    async collect(signal) {
      const sample = await readCpuTimes(procRoot, signal);
      if (signal.aborted) return;
      seconds.reset();
      for (const [cpu, times] of sample.cores) for (const mode of CPU_MODES) seconds.inc({ cpu, mode }, times[mode]);
      cores.set(sample.cores.size);
      if (previous) {
        const total = usageRatio(previous.total, sample.total);
        if (total !== undefined) usage.set(total);
        for (const [cpu, times] of sample.cores) {
          const before = previous.cores.get(cpu);
          const ratio = before ? usageRatio(before, times) : undefined;
          if (ratio !== undefined) coreUsage.set({ cpu }, ratio);
        }
      }
      previous = sample;
    },
  };
}
