import { readProcFile } from './read-proc-file.js';

/** Memory and swap in bytes. */
export interface MemorySample {
  readonly totalBytes: number;
  /** What can be allocated without swapping (MemAvailable): free + reclaimable page cache. */
  readonly availableBytes: number;
  readonly freeBytes: number;
  readonly buffersBytes: number;
  readonly cachedBytes: number;
  readonly swapTotalBytes: number;
  readonly swapFreeBytes: number;
}

/** Parses /proc/meminfo (values in kB) into bytes, keyed by field name. */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([\w()]+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (match) fields.set(match[1]!, Number(match[2]) * (line.includes(' kB') ? 1024 : 1));
  }
  return fields;
}

/** The memory sample from /proc/meminfo text; MemAvailable is required (Linux >= 3.14). */
export function memoryFromMeminfo(text: string): MemorySample {
  const f = parseMeminfo(text);
  const total = f.get('MemTotal');
  if (total === undefined) throw new Error('no MemTotal in /proc/meminfo');
  const free = f.get('MemFree') ?? 0;
  const buffers = f.get('Buffers') ?? 0;
  const cached = f.get('Cached') ?? 0;
  // Kernels before 3.14 lack MemAvailable: free + buffers + cache is the classic estimate.
  const available = f.get('MemAvailable') ?? free + buffers + cached;
  return {
    totalBytes: total,
    availableBytes: available,
    freeBytes: free,
    buffersBytes: buffers,
    cachedBytes: cached,
    swapTotalBytes: f.get('SwapTotal') ?? 0,
    swapFreeBytes: f.get('SwapFree') ?? 0,
  };
}

/** Reads memory from /proc/meminfo, or through systeminformation on other platforms. */
export async function readMemory(procRoot: string, signal?: AbortSignal): Promise<MemorySample> {
  if (process.platform === 'linux') return memoryFromMeminfo(await readProcFile(`${procRoot}/meminfo`, signal));
  const m = await (await import('systeminformation')).default.mem();
  return {
    totalBytes: m.total,
    availableBytes: m.available,
    freeBytes: m.free,
    buffersBytes: m.buffers,
    cachedBytes: m.cached,
    swapTotalBytes: m.swaptotal,
    swapFreeBytes: m.swapfree,
  };
}
