import type { Logger } from '@ops/core';
import type { Consumer } from 'kafkajs';
import { isRebalance, isRejoinable } from './kafka-tuning.js';

/**
 * Counted offsets of one topic on their way to the group. Counting never waits for a commit: at
 * most one commit is in flight, and what is counted meanwhile goes in the next one (a crash
 * re-reads at most what was counted during one commit round trip). A commit that fails keeps its
 * offsets for the next one; later counts of a partition win.
 */
export interface OffsetCommits {
  /** Partition `partition` was counted up to `offset` (the next offset to read): committed soon. */
  counted(partition: number, offset: number): void;
  /** Commits what is pending and waits for it and for any commit in flight. */
  flush(): Promise<void>;
}

export interface OffsetCommitHooks {
  /** The consumer of the current membership (a rejoin after a crash makes a new one). */
  consumer(): Consumer;
  /** A commit was refused because the group rebalances without this member. */
  onRebalance(): void;
  /** True once the reader is closing: failures are then final (warned). */
  closing(): boolean;
  readonly logger?: Logger;
}

export function offsetCommits(topic: string, hooks: OffsetCommitHooks): OffsetCommits {
  const pending = new Map<number, number>();
  let running: Promise<void> | undefined;

  /** One commit of everything pending; false when it failed (its offsets are pending again). */
  const commitOnce = async (): Promise<boolean> => {
    const offsets = [...pending].map(([partition, offset]) => ({ topic, partition, offset: String(offset) }));
    pending.clear();
    try {
      await hooks.consumer().commitOffsets(offsets);
      return true;
    } catch (error) {
      // Mid-rebalance: committed again after the rejoin (later counts win).
      for (const { partition, offset } of offsets) if (!pending.has(partition)) pending.set(partition, Number(offset));
      const closing = hooks.closing();
      if (isRebalance(error) && !closing) hooks.onRebalance();
      const fields = { topic, offsets: offsets.map((x) => `${x.partition}:${x.offset}`).join(','), error: String(error) };
      if (isRejoinable(error) && !closing) hooks.logger?.debug('could not commit Kafka offsets mid-rebalance; committing them after the rejoin', fields);
      else hooks.logger?.warn('could not commit Kafka offsets; the next run may count these messages again', fields);
      return false;
    }
  };
  const soon = (): Promise<void> => {
    if (!running && pending.size > 0) {
      running = (async () => {
        try {
          while (pending.size > 0 && (await commitOnce()));
        } finally {
          running = undefined;
        }
      })();
    }
    return running ?? Promise.resolve();
  };

  return {
    counted(partition, offset) {
      pending.set(partition, Math.max(offset, pending.get(partition) ?? 0));
      void soon();
    },
    async flush() {
      await running;
      await soon();
    },
  };
}
