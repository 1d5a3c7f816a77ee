import type { Aggregator, IpRecord } from './aggregate.js';

/**
 * Counts of one thread that scanned some ranges of a file: `userRanks[i][j]` ranks
 * `records[i].users[j]` by where it was first seen (`rankOf`).
 */
export interface RankedCounts {
  readonly records: IpRecord[];
  readonly userRanks: number[][];
}

/** Rank of a user first seen in file range `range` as the `order`-th (address, user) of its thread. */
export function rankOf(range: number, order: number): number {
  return range * 2 ** 32 + order;
}

/**
 * Adds the counts of threads that took a file's ranges in turns: every address's users come out in
 * file order (by the range, then the position, each was first seen in), whichever thread saw them,
 * so the result does not depend on how the ranges fell to the threads.
 */
export function mergeInFileOrder(aggregator: Aggregator, parts: readonly RankedCounts[]): void {
  const users = new Map<string, Map<string, number>>();
  for (const part of parts) {
    part.records.forEach((r, i) => {
      aggregator.absorb({
        ip: r.ip, count: r.count, users: [], kinds: Object.entries(r.kinds),
        firstMs: r.firstSeen ? Date.parse(r.firstSeen) : Infinity, lastMs: r.lastSeen ? Date.parse(r.lastSeen) : -Infinity,
      });
      let ranked = users.get(r.ip);
      if (!ranked) users.set(r.ip, (ranked = new Map()));
      r.users.forEach((user, j) => {
        const rank = part.userRanks[i]![j]!;
        const known = ranked.get(user);
        if (known === undefined || rank < known) ranked.set(user, rank);
      });
    });
  }
  for (const [ip, ranked] of users) {
    aggregator.absorb({ ip, count: 0, kinds: [], firstMs: Infinity, lastMs: -Infinity, users: [...ranked].sort((a, b) => a[1] - b[1]).map(([user]) => user) });
  }
}
