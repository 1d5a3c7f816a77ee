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
 * so the result does not depend on how the ranges fell to the threads. Each part's users are
 * already in rank order when its scanner took its ranges in file order (as scanInWorkers hands
 * them out); they are sorted when not.
 */
export function mergeInFileOrder(aggregator: Aggregator, parts: readonly RankedCounts[]): void {
  const lists = new Map<string, Ranked[]>();
  for (const part of parts) {
    part.records.forEach((r, i) => {
      aggregator.absorb({
        ip: r.ip, count: r.count, users: [], kinds: Object.entries(r.kinds),
        firstMs: r.firstSeen ? Date.parse(r.firstSeen) : Infinity, lastMs: r.lastSeen ? Date.parse(r.lastSeen) : -Infinity,
      });
      if (r.users.length === 0) return;
      let list = lists.get(r.ip);
      if (!list) lists.set(r.ip, (list = []));
      list.push(inRankOrder(r.users, part.userRanks[i]!));
    });
  }
  // The aggregator keeps the first of duplicates: merged by rank, that is the first seen.
  for (const [ip, list] of lists) {
    aggregator.absorb({ ip, count: 0, kinds: [], firstMs: Infinity, lastMs: -Infinity, users: list.length === 1 ? list[0]!.users : mergeByRank(list) });
  }
}

interface Ranked { readonly users: readonly string[]; readonly ranks: readonly number[] }

function inRankOrder(users: readonly string[], ranks: readonly number[]): Ranked {
  let sorted = true;
  for (let j = 1; j < ranks.length && sorted; j++) sorted = ranks[j - 1]! <= ranks[j]!;
  if (sorted) return { users, ranks };
  const order = ranks.map((_, j) => j).sort((a, b) => ranks[a]! - ranks[b]!);
  return { users: order.map((j) => users[j]!), ranks: order.map((j) => ranks[j]!) };
}

// A k-way merge of lists in rank order (k is the number of threads: a linear pick is enough).
function* mergeByRank(lists: readonly Ranked[]): Generator<string> {
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let k = 0; k < lists.length; k++) {
      if (at[k]! < lists[k]!.ranks.length && (best === -1 || lists[k]!.ranks[at[k]!]! < lists[best]!.ranks[at[best]!]!)) best = k;
    }
    if (best === -1) return;
    yield lists[best]!.users[at[best]!++]!;
  }
}
