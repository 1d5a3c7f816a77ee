import { Counter } from 'prom-client';
import { findCgroup, type CgroupLocation } from '../cgroup/find-cgroup.js';
import { readCgroup } from '../cgroup/read-cgroup.js';
import type { CollectorContext, HostCollector } from './host-collector.js';
import { sampledGauge } from './sampled-gauge.js';

export const CGROUP_METRICS = {
  info: 'host_cgroup_info',
  memoryLimit: 'host_memory_limit_bytes',
  cpuQuota: 'host_cpu_quota_cores',
  memoryWorkingSet: 'host_cgroup_memory_working_set_bytes',
  memoryUsage: 'host_cgroup_memory_usage_ratio',
  cpuSeconds: 'host_cgroup_cpu_seconds_total',
  cpuUsage: 'host_cgroup_cpu_usage_ratio',
} as const;

/** Where the cgroup collector looks. */
export interface CgroupCollectorOptions {
  /** Where cgroupfs is mounted. Defaults to `/sys/fs/cgroup`. */
  readonly cgroupRoot: string;
  /** The cgroup to report, e.g. `/kubepods/pod1/abc`; undefined: the agent's own (from /proc/self/cgroup). */
  readonly cgroup?: string;
}

/**
 * The limits of the agent's cgroup (its container or pod) and usage relative to them. Every
 * series carries `cgroup="<path>"`, so a dashboard tells them from the host-wide `host_*`
 * series (which stay the host's: /proc is not namespaced by cgroups). Limits and ratios are
 * absent while no limit is set. Skips quietly where no cgroupfs is mounted.
 */
export function cgroupCollector(options: CgroupCollectorOptions) {
  return ({ registry, procRoot }: CollectorContext): HostCollector => {
    const labelNames = ['cgroup'] as const;
    const g = (name: string, help: string, extra: string[] = []) => sampledGauge({ name, help, labelNames: [...labelNames, ...extra], registers: [registry] });
    const info = g(CGROUP_METRICS.info, 'The cgroup whose limits the host_cgroup_* series report (value 1), with its version.', ['version']);
    const memoryLimit = g(CGROUP_METRICS.memoryLimit, 'Memory limit of the cgroup in bytes (memory.max, memory.limit_in_bytes); absent without a limit.');
    const cpuQuota = g(CGROUP_METRICS.cpuQuota, 'CPU quota of the cgroup in cores (quota / period); absent without a quota.');
    const workingSet = g(CGROUP_METRICS.memoryWorkingSet, 'Memory the cgroup uses minus inactive file cache, in bytes (what the OOM killer counts).');
    const memoryUsage = g(CGROUP_METRICS.memoryUsage, 'Working set / memory limit of the cgroup, 0..1; absent without a limit.');
    const cpuUsage = g(CGROUP_METRICS.cpuUsage, 'CPU the cgroup used over the last interval / its quota, 0..1 (more while bursting); absent without a quota.');
    const cpuSeconds = new Counter({ name: CGROUP_METRICS.cpuSeconds, help: 'CPU seconds the cgroup used.', labelNames, registers: [registry] });
    let previous: { at: number; cpuSeconds: number; path: string } | undefined;

    return {
      name: 'cgroup',
      async collect(signal) {
        const at: CgroupLocation | undefined = await findCgroup(options.cgroupRoot, procRoot, options.cgroup, signal);
        if (!at) return;
        const s = await readCgroup(at, signal);
        const now = performance.now();
        if (signal.aborted) return;
        for (const m of [info, memoryLimit, cpuQuota, workingSet, memoryUsage, cpuUsage]) m.reset();
        cpuSeconds.reset();
        const labels = { cgroup: at.path };
        info.set({ ...labels, version: String(at.version) }, 1);
        workingSet.set(labels, s.memoryWorkingSetBytes);
        cpuSeconds.inc(labels, s.cpuSeconds);
        if (s.memoryLimitBytes !== undefined) {
          memoryLimit.set(labels, s.memoryLimitBytes);
          memoryUsage.set(labels, Math.min(1, s.memoryWorkingSetBytes / s.memoryLimitBytes));
        }
        if (s.cpuQuotaCores !== undefined) {
          cpuQuota.set(labels, s.cpuQuotaCores);
          if (previous?.path === at.path && now > previous.at) {
            cpuUsage.set(labels, Math.max(0, s.cpuSeconds - previous.cpuSeconds) / ((now - previous.at) / 1000) / s.cpuQuotaCores);
          }
        }
        previous = { at: now, cpuSeconds: s.cpuSeconds, path: at.path };
      },
    };
  };
}
