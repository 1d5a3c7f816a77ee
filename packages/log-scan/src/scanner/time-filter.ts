import type { RawMatch } from '../match/match-line.js';

/**
 * A predicate for `--since`/`--until` (epoch ms, inclusive since, exclusive until). With either
 * bound, a failure without a time is dropped: it cannot be placed in the window.
 */
export function createTimeFilter(sinceMs?: number, untilMs?: number): (failure: RawMatch) => boolean {
  if (sinceMs === undefined && untilMs === undefined) return () => true;
  return (failure) => {
    const t = failure.timeMs;
    if (t === undefined) return false;
    return (sinceMs === undefined || t >= sinceMs) && (untilMs === undefined || t < untilMs);
  };
}

/**
 * The time window and the kinds counted (all when `kinds` is undefined): what a scan keeps of
 * the failures its lines record.
 */
export function createFailureFilter(sinceMs?: number, untilMs?: number, kinds?: readonly string[]): (failure: RawMatch) => boolean {
  const inWindow = createTimeFilter(sinceMs, untilMs);
  if (kinds === undefined) return inWindow;
  const wanted = new Set(kinds);
  return (failure) => wanted.has(failure.kind) && inWindow(failure);
}
