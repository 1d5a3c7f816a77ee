import { readProcFile } from './read-proc-file.js';
import { cpus } from 'node:os';

/** CPU modes in node_exporter's order; `guest` time is already part of `user`. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

/** Seconds spent in each mode since boot, for one CPU. */
export type CpuTimes = Record<CpuMode, number>;

/** Per-core times keyed by core number (`"0"`, `"1"`...) plus the `total` line. */
export interface CpuTimesSample {
  readonly total: CpuTimes;
  readonly cores: ReadonlyMap<string, CpuTimes>;
}

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture Node runs on. */
const USER_HZ = 100;

/** Parses the `cpu` lines of /proc/stat. */
export function parseProcStat(text: string): CpuTimesSample {
  let total: CpuTimes | undefined;
  const cores = new Map<string, CpuTimes>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [label, ...fields] = line.trim().split(/\s+/);
    const times = Object.fromEntries(CPU_MODES.map((mode, i) => [mode, Number(fields[i] ?? 0) / USER_HZ])) as CpuTimes;
    if (label === 'cpu') total = times;
    else cores.set(label!.slice(3), times);
  }
  if (!total) throw new Error('no "cpu" line in /proc/stat');
  return { total, cores };
}

/** From `os.cpus()` (milliseconds) on platforms without /proc/stat. */
export function cpuTimesFromOs(): CpuTimesSample {
  const cores = new Map<string, CpuTimes>();
  const total = zeroTimes();
  cpus().forEach((cpu, i) => {
    const t = { ...zeroTimes(), user: cpu.times.user / 1000, nice: cpu.times.nice / 1000, system: cpu.times.sys / 1000, idle: cpu.times.idle / 1000, irq: cpu.times.irq / 1000 };
    cores.set(String(i), t);
    for (const mode of CPU_MODES) total[mode] += t[mode];
  });
  return { total, cores };
}

/** Reads per-core CPU times from /proc/stat, or from `os.cpus()` where there is no /proc. */
export async function readCpuTimes(procRoot: string, signal?: AbortSignal): Promise<CpuTimesSample> {
  if (process.platform !== 'linux') return cpuTimesFromOs();
  return parseProcStat(await readProcFile(`${procRoot}/stat`, signal));
}

export function zeroTimes(): CpuTimes {
  return { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
}

/** Busy share of the time between two readings: 1 - (idle + iowait) / all, in 0..1. */
export function usageRatio(before: CpuTimes, after: CpuTimes): number | undefined {
  let all = 0;
  let idle = 0;
  for (const mode of CPU_MODES) {
    const d = Math.max(0, after[mode] - before[mode]);
    all += d;
    if (mode === 'idle' || mode === 'iowait') idle += d;
  }
  if (all <= 0) return undefined;
  return Math.min(1, Math.max(0, 1 - idle / all));
}
