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
