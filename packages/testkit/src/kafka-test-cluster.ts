import { Kafka, logLevel } from 'kafkajs';
import { startKafkaMockCluster, type KafkaMockClusterOptions } from './kafka-mock-cluster.js';

/** The Kafka cluster a suite runs against. */
export interface KafkaTestCluster {
  /** `host:port` of the bootstrap brokers. */
  readonly brokers: readonly string[];
  /** True when the brokers come from `KAFKA_BROKERS` (a real cluster), false for the mock. */
  readonly external: boolean;
  /** Creates a topic: the mock's own call, or the admin API (CreateTopics) on a real cluster. */
  createTopic(topic: string, partitions: number): Promise<void>;
  /** Stops the mock; leaves a real cluster alone. */
  stop(): Promise<void>;
}

/**
 * The real cluster named by `KAFKA_BROKERS=host:port[,host:port]` when it is set, else a new
 * librdkafka mock cluster on loopback (see `startKafkaMockCluster`). Tests use unique topic and
 * group names, so they can share a real cluster.
 */
export async function startKafkaTestCluster(options: KafkaMockClusterOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<KafkaTestCluster> {
  const external = env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  if (external.length === 0) {
    const mock = await startKafkaMockCluster(options);
    return { brokers: mock.brokers, external: false, createTopic: (t, p) => mock.createTopic(t, p), stop: () => mock.stop() };
  }
  const kafka = new Kafka({ clientId: 'ops-testkit', brokers: external, logLevel: logLevel.NOTHING });
  return {
    brokers: external,
    external: true,
    async createTopic(topic, partitions) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
    },
    async stop() {},
  };
}
