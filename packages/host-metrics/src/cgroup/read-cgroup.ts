import { join } from 'node:path';
import { readProcFile } from '../proc/read-proc-file.js';
import type { CgroupLocation } from './find-cgroup.js';

/** Limits and usage of one cgroup. Limits are undefined when none is set. */
export interface CgroupSample {
  readonly memoryLimitBytes?: number;
  /** Memory in use minus inactive file cache: what the OOM killer and `docker stats` count. */
  readonly memoryWorkingSetBytes: number;
  /** CPU quota in cores (quota / period). */
  readonly cpuQuotaCores?: number;
  /** CPU time used by the cgroup since it was created. */
  readonly cpuSeconds: number;
}

/** v1 reports "no limit" as a huge page-aligned number near 2^63. */
const V1_UNLIMITED = 2 ** 60;

/** Parses `key value` lines (memory.stat, cpu.stat). */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) out.set(key, Number(value));
  }
  return out;
}

/** v2 `cpu.max`: "max 100000" (no quota) or "QUOTA PERIOD" in microseconds. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === 'max' || !quota || !period) return undefined;
  return Number(quota) / Number(period);
}

const read = (dir: string, file: string, signal?: AbortSignal) => readProcFile(join(dir, file), signal);

/** Reads the limits and usage of a cgroup located by `findCgroup`. */
export async function readCgroup(at: CgroupLocation, signal?: AbortSignal): Promise<CgroupSample> {
  if (at.version === 2) {
    const [max, current, stat, cpuMax, cpuStat] = await Promise.all([
      read(at.memoryDir, 'memory.max', signal),
      read(at.memoryDir, 'memory.current', signal),
      read(at.memoryDir, 'memory.stat', signal),
      read(at.cpuDir, 'cpu.max', signal).catch(() => 'max'),
      read(at.cpuDir, 'cpu.stat', signal),
    ]);
    const inactive = parseFlatKeyed(stat).get('inactive_file') ?? 0;
    return {
      memoryLimitBytes: max.trim() === 'max' ? undefined : Number(max),
      memoryWorkingSetBytes: Math.max(0, Number(current) - inactive),
      cpuQuotaCores: parseCpuMax(cpuMax),
      cpuSeconds: (parseFlatKeyed(cpuStat).get('usage_usec') ?? 0) / 1e6,
    };
  }
  const [limit, usage, stat, quota, period, cpuacct] = await Promise.all([
    read(at.memoryDir, 'memory.limit_in_bytes', signal),
    read(at.memoryDir, 'memory.usage_in_bytes', signal),
    read(at.memoryDir, 'memory.stat', signal),
    read(at.cpuDir, 'cpu.cfs_quota_us', signal).catch(() => '-1'),
    read(at.cpuDir, 'cpu.cfs_period_us', signal).catch(() => '100000'),
    read(at.cpuacctDir, 'cpuacct.usage', signal),
  ]);
  const stats = parseFlatKeyed(stat);
  const inactive = stats.get('total_inactive_file') ?? stats.get('inactive_file') ?? 0;
  const limitBytes = Number(limit);
  const quotaUs = Number(quota);
  return {
    memoryLimitBytes: limitBytes >= V1_UNLIMITED ? undefined : limitBytes,
    memoryWorkingSetBytes: Math.max(0, Number(usage) - inactive),
    cpuQuotaCores: quotaUs > 0 ? quotaUs / Number(period) : undefined,
    cpuSeconds: Number(cpuacct) / 1e9,
  };
}
