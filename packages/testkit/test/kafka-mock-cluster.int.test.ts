import { Kafka, logLevel, CompressionTypes } from 'kafkajs';
import { startKafkaMockCluster, type KafkaMockClusterHandle } from '@ops/testkit/kafka-mock-cluster';
import { startKafkaTestCluster } from '@ops/testkit/kafka-test-cluster';

describe('startKafkaMockCluster (librdkafka mock cluster, the real kafkajs client over TCP)', () => {
  let cluster: KafkaMockClusterHandle;
  let kafka: Kafka;
  beforeAll(async () => {
    cluster = await startKafkaMockCluster({ brokers: 3, topics: { preset: 3 } });
    kafka = new Kafka({ clientId: 'testkit', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
  });
  afterAll(() => cluster.stop());

  test('three brokers on loopback; every partition of a topic made through the mock is led by one of them', async () => {
    expect(cluster.brokers).toHaveLength(3);
    for (const b of cluster.brokers) expect(b).toMatch(/^127\.0\.0\.1:\d+$/);
    await cluster.createTopic('spread', 6);
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).sort()).toEqual(['preset', 'spread']);
      const { brokers } = await admin.describeCluster();
      expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...cluster.brokers].sort());
      const [meta] = (await admin.fetchTopicMetadata({ topics: ['spread'] })).topics;
      // The mock places each partition's leader at random among the brokers.
      const ids = brokers.map((b) => b.nodeId);
      expect(meta!.partitions).toHaveLength(6);
      for (const p of meta!.partitions) expect(ids).toContain(p.leader);
    } finally {
      await admin.disconnect();
    }
  });

  test('produce (plain and gzip), list offsets, a consumer group reads every message and commits', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'preset', messages: [{ value: 'one', partition: 0 }, { value: 'two', partition: 1, key: 'k', headers: { h: 'v' } }] });
    await producer.send({ topic: 'preset', compression: CompressionTypes.GZIP, messages: [{ value: 'three', partition: 2 }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('preset');
    expect(offsets.sort((a, b) => a.partition - b.partition).map((o) => [o.partition, o.low, o.high])).toEqual([[0, '0', '1'], [1, '0', '1'], [2, '0', '1']]);

    const consumer = kafka.consumer({ groupId: 'g1', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'preset', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            seen.push(`${partition}:${message.value?.toString()}:${message.headers?.h?.toString() ?? ''}`);
            if (seen.length === 3) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['0:one:', '1:two:v', '2:three:']);
    const [committed] = await admin.fetchOffsets({ groupId: 'g1', topics: ['preset'] });
    expect(committed!.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual(['1', '1', '1']);
    await admin.disconnect();
  });

  test('injected errors answer the next requests of that API, then the cluster answers normally', async () => {
    const LIST_OFFSETS = 2;
    const UNKNOWN_TOPIC_OR_PARTITION = 3;
    await cluster.injectErrors(LIST_OFFSETS, Array(8).fill(UNKNOWN_TOPIC_OR_PARTITION));
    const admin = new Kafka({ brokers: [...cluster.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await admin.connect();
    try {
      await expect(admin.fetchTopicOffsets('preset')).rejects.toThrow(/does not host this topic-partition/);
      await cluster.injectErrors(LIST_OFFSETS, []);
    } finally {
      await admin.disconnect();
    }
  });

  test('bad input is refused naming it; after stop the brokers are gone', async () => {
    await expect(cluster.createTopic('bad topic', 1)).rejects.toThrow(/valid topic name/);
    await expect(startKafkaMockCluster({ brokers: 0 })).rejects.toThrow(/`brokers` to be a positive integer/);
    const other = await startKafkaMockCluster({ brokers: 1 });
    const [host, port] = other.brokers[0]!.split(':');
    await other.stop();
    const { canConnect } = await import('@ops/testkit');
    expect(await canConnect(host!, Number(port))).toBe(false);
    await expect(other.createTopic('late', 1)).rejects.toThrow(/exited/);
  });

  test('startKafkaTestCluster: KAFKA_BROKERS selects a real cluster (left running), else a mock starts', async () => {
    const real = await startKafkaTestCluster({}, { KAFKA_BROKERS: ' 10.9.9.9:9092, 10.9.9.10:9092 ' });
    expect(real).toMatchObject({ brokers: ['10.9.9.9:9092', '10.9.9.10:9092'], external: true });
    await real.stop();
    const mock = await startKafkaTestCluster({ brokers: 2 }, {});
    expect(mock.external).toBe(false);
    expect(mock.brokers).toHaveLength(2);
    await mock.stop();
  });
});
