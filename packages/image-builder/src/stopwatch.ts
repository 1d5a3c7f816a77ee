/**
 * A monotonic stopwatch: the returned function gives the whole milliseconds since the call.
 * On `process.hrtime`, not `performance.now()`, whose first use loads perf_hooks (nine internal
 * modules: a few ms of a start-up that is most of a cached build's own time).
 */
export function startStopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number((process.hrtime.bigint() - start) / 1_000_000n);
}
