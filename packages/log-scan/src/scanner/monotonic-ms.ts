/**
 * Milliseconds from a fixed point in the past (monotonic), for durations: performance.now()
 * without perf_hooks, which the `performance` global loads when first used (~1.5 ms of a thread's
 * start, before its first range, on the 2-core machine of the benchmarks).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
