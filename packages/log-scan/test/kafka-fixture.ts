// The Kafka cluster of the Kafka suites: librdkafka's mock cluster (three brokers on loopback,
// started by testkit), or a real cluster when KAFKA_BROKERS=host:port[,host:port] is set (topics
// and groups get unique names), plus a producer and an admin client on it.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { startKafkaTestCluster, type KafkaTestCluster } from '@ops/testkit/kafka-test-cluster';
import type { ScanSource } from '../src/index.js';

// A short session: librdkafka's mock holds a group in a rebalance for (session - 1 s) after its
// last member left, which a second run with the same group waits out.
export const FAST = { maxWaitMs: 200, sessionTimeoutMs: 6000 } as const;

export interface KafkaFixture {
  readonly cluster: KafkaTestCluster;
  readonly brokers: string[];
  readonly admin: Admin;
  readonly producer: Producer;
}

/** Starts the cluster before the suite's tests and stops it after them. */
export function useKafkaCluster(): KafkaFixture {
  const fixture = {} as { -readonly [K in keyof KafkaFixture]: KafkaFixture[K] };
  beforeAll(async () => {
    fixture.cluster = await startKafkaTestCluster();
    fixture.brokers = [...fixture.cluster.brokers];
    const kafka = new Kafka({ clientId: 'log-scan-test', brokers: fixture.brokers, logLevel: logLevel.NOTHING });
    fixture.admin = kafka.admin();
    await fixture.admin.connect();
    fixture.producer = kafka.producer();
    await fixture.producer.connect();
  });
  afterAll(async () => {
    await fixture.producer?.disconnect();
    await fixture.admin?.disconnect();
    await fixture.cluster?.stop();
  });
  return fixture;
}

export const unique = (what: string) => `log-scan-${what}-${randomUUID().slice(0, 8)}`;

export async function newTopic(k: KafkaFixture, partitions: number): Promise<string> {
  const topic = unique('topic');
  await k.cluster.createTopic(topic, partitions);
  return topic;
}

/** Produces `values` to `partition`, in order. */
export async function produce(k: KafkaFixture, topic: string, partition: number, values: string[]): Promise<void> {
  await k.producer.send({ topic, messages: values.map((value) => ({ value, partition })) });
}

export const spec = (k: KafkaFixture, topic: string) => `kafka://${k.brokers.join(',')}/${topic}`;

export async function readLines(source: ScanSource, signal?: AbortSignal): Promise<string[]> {
  let text = '';
  for await (const chunk of source.chunks(signal)) text += Buffer.from(chunk).toString();
  return text.split('\n').filter((l) => l !== '');
}

export async function committed(k: KafkaFixture, group: string, topic: string): Promise<Record<number, string>> {
  const [t] = await k.admin.fetchOffsets({ groupId: group, topics: [topic] });
  return Object.fromEntries((t?.partitions ?? []).map((p) => [p.partition, p.offset]));
}

// The command as users run it: the bin, which runs the bundled dist/cli.cjs.
const CLI = join(import.meta.dirname, '../bin/log-scan.js');

/** Runs the built CLI without blocking this process (the mock cluster's client lives here); killed after 140 s. */
export function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'error' }, timeout: 140_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

export const authLine = (ip: string, user = 'root') => `Mar  3 10:00:00 web sshd[42]: Failed password for ${user} from ${ip} port 50000 ssh2`;
