import type { Admin } from 'kafkajs';

/** Where each partition starts and (for `untilEnd`) stops. */
export interface PartitionBounds {
  readonly partition: number;
  /** Earliest offset still in the log. */
  readonly low: number;
  /** Next offset to be written when the scan started. */
  readonly end: number;
  /** Where this group reads next: `low` with `fromBeginning`, else the committed offset, else `end` (kafkajs' "latest"). */
  readonly start: number;
  /** The group's committed offset when the scan started, -1 when none. */
  readonly committed: number;
}

/** Reads the log bounds of every partition of `topic` and the group's committed offsets. */
export async function partitionBounds(admin: Admin, topic: string, group: string, fromBeginning: boolean): Promise<PartitionBounds[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const committed = new Map<number, number>();
  const groupOffsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  for (const p of groupOffsets.find((t) => t.topic === topic)?.partitions ?? []) committed.set(p.partition, Number(p.offset));
  return offsets
    .map((o) => {
      const low = Number(o.low);
      const end = Number(o.high);
      const c = committed.get(o.partition) ?? -1;
      const start = fromBeginning ? low : c >= 0 ? Math.min(Math.max(c, low), end) : end;
      return { partition: o.partition, low, end, start, committed: c };
    })
    .sort((a, b) => a.partition - b.partition);
}

/**
 * Whether every partition of `topic` was counted to its `end` offset by some member of `group`:
 * counted here (`countedHere`) or committed by the group. `progress` changes whenever a committed
 * offset does (another member goes on). Undefined when the offsets cannot be read now.
 */
export async function groupEnd(admin: Admin, topic: string, group: string, bounds: readonly PartitionBounds[], countedHere: ReadonlySet<number>): Promise<{ done: boolean; progress: string } | undefined> {
  const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] }).catch(() => []);
  if (!t) return undefined;
  const offsets = new Map(t.partitions.map((p) => [p.partition, Number(p.offset)]));
  const done = bounds.every((b) => countedHere.has(b.partition) || (offsets.get(b.partition) ?? -1) >= b.end);
  return { done, progress: [...offsets].map(([p, o]) => `${p}:${o}`).join(',') };
}
