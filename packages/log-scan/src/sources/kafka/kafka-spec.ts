import { UsageError } from '@ops/core';

/** A parsed `kafka://broker1:9092,broker2:9092/topic` spec. */
export interface KafkaSpec {
  /** `host:port` of each bootstrap broker (port 9092 when omitted). */
  readonly brokers: readonly string[];
  readonly topic: string;
}

const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const BROKER = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(?::(\d{1,5}))?$/;

/** Parses `kafka://host[:port][,host[:port]...]/topic`. */
export function parseKafkaSpec(spec: string): KafkaSpec {
  const match = /^kafka:\/\/([^/]+)\/([^/]+)$/.exec(spec);
  const fail = (why: string) => new UsageError(`Expected a Kafka source like kafka://broker1:9092,broker2:9092/topic, got ${JSON.stringify(spec)}: ${why}`);
  if (!match) throw fail('it needs brokers and one topic');
  const topic = match[2]!;
  if (!TOPIC.test(topic)) throw fail(`${JSON.stringify(topic)} is not a valid topic name`);
  const brokers = match[1]!.split(',').map((b) => {
    const m = BROKER.exec(b.trim());
    const port = Number(m?.[2] ?? 9092);
    if (!m || port < 1 || port > 65535) throw fail(`${JSON.stringify(b)} is not host:port`);
    return `${m[1]}:${port}`;
  });
  return { brokers, topic };
}
