import { SourceNotFoundError } from '../../errors/source-error.js';
import type { ScanSource } from '../scan-source.js';
import { createKafkaClient } from './kafka-client.js';
import { kafkaSourceError } from './kafka-errors.js';
import { resolveKafkaOptions, type KafkaSourceOptions } from './kafka-options.js';
import { kafkaSource } from './kafka-source.js';
import { parseKafkaSpec } from './kafka-spec.js';

/**
 * Checks that the brokers answer and the topic exists, then returns the topic as a scan source
 * (see `kafkaSource`). A missing topic is `SourceNotFoundError` (exit 2), unreachable brokers
 * `SourceError` (exit 3).
 */
export async function kafkaSources(spec: string, options: KafkaSourceOptions = {}): Promise<ScanSource[]> {
  const { brokers, topic } = parseKafkaSpec(spec);
  const o = resolveKafkaOptions(options);
  const kafka = o.kafka ?? createKafkaClient(brokers, o.clientId, o.logger);
  const source = kafkaSource(spec, { ...o, kafka });
  const admin = kafka.admin();
  let topics: string[];
  try {
    await admin.connect();
    topics = await admin.listTopics();
  } catch (error) {
    throw kafkaSourceError(source.name, 0, 'cannot reach the brokers', error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (!topics.includes(topic)) throw new SourceNotFoundError(source.name, `no topic ${topic} on the cluster`, { hint: 'check the topic name (kafka-topics --list) and the brokers' });
  return [source];
}
