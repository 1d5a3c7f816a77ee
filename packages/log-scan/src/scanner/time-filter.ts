import type { AuthFailure } from '../match/auth-failure.js';

/**
 * A predicate for `--since`/`--until` (epoch ms, inclusive since, exclusive until). With either
 * bound, a failure without a time is dropped: it cannot be placed in the window.
 */
export function createTimeFilter(sinceMs?: number, untilMs?: number): (failure: AuthFailure) => boolean {
  if (sinceMs === undefined && untilMs === undefined) return () => true;
  return (failure) => {
    if (failure.time === null) return false;
    const t = Date.parse(failure.time);
    return (sinceMs === undefined || t >= sinceMs) && (untilMs === undefined || t < untilMs);
  };
}
