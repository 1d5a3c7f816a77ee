import type { Kafka } from 'kafkajs';
import type { ScanSource } from '../scan-source.js';
import { createKafkaClient } from './kafka-client.js';
import { kafkaSourceError } from './kafka-errors.js';
import { partitionBounds, type PartitionBounds } from './kafka-offsets.js';
import { resolveKafkaOptions, type KafkaSourceOptions, type ResolvedKafkaOptions } from './kafka-options.js';
import { parseKafkaSpec } from './kafka-spec.js';
import { openTopicReader, type FetchedChunk, type TopicReader } from './kafka-topic-reader.js';

/**
 * A Kafka topic as one scan source, read by a consumer in group `group` (so several scanners
 * share the partitions). Each chunk is one fetched run of messages of one partition, message
 * values joined as lines. The offsets of a chunk are committed only when the next one is pulled
 * or the iteration ends, i.e. once it was counted. With `untilEnd` it stops once every assigned
 * partition was counted up to the end offsets seen at start; otherwise it follows until the
 * signal aborts (then the iteration ends normally).
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
  const admin = kafka.admin();
  let reader: TopicReader | undefined;
  let current: FetchedChunk | undefined;
  let bytes = 0;
  try {
    let bounds: PartitionBounds[];
    try {
      await admin.connect();
      bounds = await partitionBounds(admin, topic, o.group, o.fromBeginning);
      o.logger?.debug('read the Kafka topic offsets', { topic, partitions: bounds.length });
    } catch (error) {
      throw kafkaSourceError(name, 0, 'cannot read the topic offsets', error);
    }
    if (o.untilEnd && bounds.every((b) => b.start >= b.end)) return;
    try {
      reader = await openTopicReader(kafka, admin, topic, bounds, o, signal);
    } catch (error) {
      throw kafkaSourceError(name, 0, 'cannot start the consumer', error);
    }
    for (;;) {
      try {
        current = await reader.next();
      } catch (error) {
        throw kafkaSourceError(name, bytes, 'the consumer failed', error);
      }
      if (!current) break;
      yield current.chunk;
      // Pulled again: the chunk was counted.
      bytes += current.chunk.length;
      const item = current;
      current = undefined;
      reader.counted(item);
    }
  } finally {
    if (current && reader) reader.counted(current);
    await reader?.close();
    await admin.disconnect().catch(() => undefined);
  }
}
