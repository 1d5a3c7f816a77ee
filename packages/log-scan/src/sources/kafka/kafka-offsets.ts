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
 * Waits until the group's committed offsets reached `end` on every partition of `topic` (the
 * other members of an `untilEnd` scan are done), polling, at most `limitMs`. A member that
 * finished first stays in the group meanwhile: leaving would make the coordinator rebalance
 * while the others commit their last offsets. Returns whether the whole group was done.
 */
export async function waitForGroupEnd(admin: Admin, topic: string, group: string, bounds: readonly PartitionBounds[], limitMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  const end = new Map(bounds.map((b) => [b.partition, b.end]));
  for (;;) {
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] }).catch(() => []);
    if (t && t.partitions.every((p) => Number(p.offset) >= (end.get(p.partition) ?? 0))) return true;
    if (Date.now() + pollMs > deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
