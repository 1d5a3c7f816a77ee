import { readMemory } from '../proc/read-meminfo.js';
import type { CollectorContext, HostCollector } from './host-collector.js';
import { sampledGauge } from './sampled-gauge.js';

export const MEMORY_METRICS = {
  total: 'host_memory_total_bytes',
  available: 'host_memory_available_bytes',
  usage: 'host_memory_usage_ratio',
  free: 'host_memory_free_bytes',
  buffers: 'host_memory_buffers_bytes',
  cached: 'host_memory_cached_bytes',
  swapTotal: 'host_swap_total_bytes',
  swapFree: 'host_swap_free_bytes',
  swapUsage: 'host_swap_usage_ratio',
} as const;

/** Memory from /proc/meminfo: usage is 1 - MemAvailable/MemTotal, so page cache never counts as used. */
export function memoryCollector({ registry, procRoot }: CollectorContext): HostCollector {
  const gauge = (name: string, help: string) => sampledGauge({ name, help, registers: [registry] });
  const total = gauge(MEMORY_METRICS.total, 'Physical memory (MemTotal) in bytes.');
  const available = gauge(MEMORY_METRICS.available, 'Memory available for new work without swapping (MemAvailable) in bytes.');
  const usage = gauge(MEMORY_METRICS.usage, 'Share of memory in use: 1 - available/total (page cache is not counted as used), 0..1.');
  const free = gauge(MEMORY_METRICS.free, 'Completely unused memory (MemFree) in bytes.');
  const buffers = gauge(MEMORY_METRICS.buffers, 'Memory in block-device buffers (Buffers) in bytes.');
  const cached = gauge(MEMORY_METRICS.cached, 'Memory in the page cache (Cached) in bytes.');
  const swapTotal = gauge(MEMORY_METRICS.swapTotal, 'Swap space (SwapTotal) in bytes.');
  const swapFree = gauge(MEMORY_METRICS.swapFree, 'Unused swap space (SwapFree) in bytes.');
  const swapUsage = gauge(MEMORY_METRICS.swapUsage, 'Share of swap in use: 1 - free/total, 0 without swap, 0..1.');

  return {
    name: 'memory',
    required: true,
    async collect(signal) {
      const m = await readMemory(procRoot, signal);
      if (signal.aborted) return;
      total.set(m.totalBytes);
      available.set(m.availableBytes);
      usage.set(m.totalBytes > 0 ? clamp(1 - m.availableBytes / m.totalBytes) : 0);
      free.set(m.freeBytes);
      buffers.set(m.buffersBytes);
      cached.set(m.cachedBytes);
      swapTotal.set(m.swapTotalBytes);
      swapFree.set(m.swapFreeBytes);
      swapUsage.set(m.swapTotalBytes > 0 ? clamp(1 - m.swapFreeBytes / m.swapTotalBytes) : 0);
    },
  };
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
