import { UsageError } from '@ops/core';

/** Shard `index` of `count` (1-based), as given by `--shard i/n`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Reads `i/n` (1 <= i <= n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`Expected \`--shard\` as i/n with 1 <= i <= n (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/** The items of one shard: every n-th item starting at position i-1, so shards are balanced and disjoint. */
export function selectShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, position) => position % shard.count === shard.index - 1);
}
