import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ScanSource } from '../scan-source.js';
import { createKafkaClient } from './kafka-client.js';
import { kafkaSourceError } from './kafka-errors.js';
import { partitionBounds, type PartitionBounds } from './kafka-offsets.js';
import { resolveKafkaOptions, type KafkaSourceOptions, type ResolvedKafkaOptions } from './kafka-options.js';
import { parseKafkaSpec } from './kafka-spec.js';
import { messagesToChunk } from './message-chunk.js';

/** One fetched batch waiting to be pulled; `release` lets kafkajs fetch on. */
interface Pending {
  readonly chunk: Uint8Array;
  readonly partition: number;
  /** Offset to commit once the chunk was counted (last offset + 1). */
  readonly nextOffset: number;
  readonly release: () => void;
}

const HEARTBEAT_MS = 3000;

/**
 * A Kafka topic as one scan source, read by a consumer in group `group` (so several scanners
 * share the partitions). Each chunk is one fetched batch of one partition, message values joined
 * as lines. The consumer does not fetch past a chunk until it is pulled, and the offsets of a
 * chunk are committed only when the next one is pulled or the iteration ends, i.e. once it was
 * counted. With `untilEnd` it stops at the end offsets seen at start; otherwise it follows until
 * the signal aborts (then the iteration ends normally).
 */
export function kafkaSource(spec: string, options: KafkaSourceOptions = {}): ScanSource {
  const { brokers, topic } = parseKafkaSpec(spec);
  const o = resolveKafkaOptions(options);
  const name = `kafka://${brokers.join(',')}/${topic}`;
  return {
    name,
    chunks: (signal?: AbortSignal) => readTopic(o.kafka ?? createKafkaClient(brokers, o.clientId, o.logger), name, topic, o, signal ?? o.signal),
  };
}

async function* readTopic(kafka: Kafka, name: string, topic: string, o: ResolvedKafkaOptions, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  let bounds: PartitionBounds[];
  const admin = kafka.admin();
  try {
    await admin.connect();
    bounds = await partitionBounds(admin, topic, o.group, o.fromBeginning);
  } catch (error) {
    throw kafkaSourceError(name, 0, 'cannot read the topic offsets', error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const byPartition = new Map(bounds.map((b) => [b.partition, b]));
  const reached = new Set(bounds.filter((b) => b.start >= b.end).map((b) => b.partition));
  if (o.untilEnd && reached.size === bounds.length) return;

  const queue: Pending[] = [];
  let assigned: number[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const checkFinished = () => {
    if (o.untilEnd && assigned.every((p) => reached.has(p))) {
      finished = true;
      notify();
    }
  };

  const consumer: Consumer = kafka.consumer({ groupId: o.group, maxWaitTimeInMs: o.maxWaitMs, heartbeatInterval: HEARTBEAT_MS });
  const sought = new Set<number>();
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = event.payload.memberAssignment[topic] ?? [];
    // Runs before the first fetch of the new assignment: start at the log's beginning once.
    if (o.fromBeginning) {
      for (const p of assigned) {
        if (sought.has(p)) continue;
        sought.add(p);
        consumer.seek({ topic, partition: p, offset: String(byPartition.get(p)?.low ?? 0) });
      }
    }
    checkFinished();
  });
  consumer.on(consumer.events.CRASH, (event) => {
    failure = event.payload.error;
    notify();
  });

  /** With `untilEnd`, a partition is done once a batch reached the offset before its end. */
  const markReached = (p: number, lastOffset: number) => {
    if (!o.untilEnd || reached.has(p) || lastOffset < (byPartition.get(p)?.end ?? 0) - 1) return;
    reached.add(p);
    consumer.pause([{ topic, partitions: [p] }]);
    checkFinished();
  };
  // Batches holding only transaction markers or aborted messages never reach eachBatch.
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    if (event.payload.topic === topic) markReached(event.payload.partition, Number(event.payload.lastOffset));
  });

  const eachBatch = async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
    const p = batch.partition;
    const end = o.untilEnd ? (byPartition.get(p)?.end ?? 0) : Infinity;
    const messages = batch.messages.filter((m) => Number(m.offset) < end);
    const last = messages.at(-1);
    if (last) {
      const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
      try {
        await new Promise<void>((release) => {
          queue.push({ chunk: messagesToChunk(messages.map((m) => m.value)), partition: p, nextOffset: Number(last.offset) + 1, release });
          notify();
        });
      } finally {
        clearInterval(beat);
      }
      resolveOffset(last.offset);
    }
    markReached(p, Number(batch.lastOffset()));
  };

  const commit = async (item: Pending) => {
    try {
      await consumer.commitOffsets([{ topic, partition: item.partition, offset: String(item.nextOffset) }]);
    } catch (error) {
      o.logger?.warn('could not commit Kafka offsets; the next run may count these messages again', { source: name, partition: item.partition, offset: item.nextOffset, error: String(error) });
    }
  };

  const onAbort = () => notify();
  signal?.addEventListener('abort', onAbort);
  let current: Pending | undefined;
  let bytes = 0;
  try {
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: o.fromBeginning });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
    } catch (error) {
      throw kafkaSourceError(name, 0, 'cannot start the consumer', error);
    }
    for (;;) {
      while (queue.length === 0 && !finished && failure === undefined && !signal?.aborted) await new Promise<void>((r) => (wake = r));
      if (failure !== undefined) throw kafkaSourceError(name, bytes, 'the consumer failed', failure);
      // After an abort nothing more is handed out; fetched but unpulled batches stay uncommitted.
      current = signal?.aborted ? undefined : queue.shift();
      if (!current) break;
      yield current.chunk;
      // Pulled again: the chunk was counted.
      bytes += current.chunk.length;
      await commit(current);
      current.release();
      current = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (current) await commit(current);
    for (const item of [current, ...queue]) item?.release();
    await consumer.disconnect().catch(() => undefined);
  }
}
