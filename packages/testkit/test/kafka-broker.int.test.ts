import { Kafka, logLevel, CompressionTypes, type EachBatchPayload } from 'kafkajs';
import { startKafkaBroker, type KafkaBrokerHandle } from '@ops/testkit/kafka-broker';
import type { GroupCoordinator } from '@ops/testkit/kafka-group';

describe('startKafkaBroker (the real kafkajs client over TCP)', () => {
  let broker: KafkaBrokerHandle;
  let kafka: Kafka;
  beforeAll(async () => {
    broker = await startKafkaBroker({ topics: { preset: 2 } });
    kafka = new Kafka({ clientId: 'testkit', brokers: [...broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
  });
  afterAll(() => broker.stop());

  test('admin: creates topics, lists them, reports offsets', async () => {
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'made', numPartitions: 3 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'made', numPartitions: 3 }] })).toBe(false);
    expect((await admin.listTopics()).sort()).toEqual(['made', 'preset']);
    broker.produce('made', 1, ['a', 'b']);
    const offsets = await admin.fetchTopicOffsets('made');
    expect(offsets.sort((a, b) => a.partition - b.partition).map((o) => [o.partition, o.low, o.high])).toEqual([
      [0, '0', '0'],
      [1, '0', '2'],
      [2, '0', '0'],
    ]);
    await admin.disconnect();
  });

  test('a producer (plain and gzip) and a consumer group round-trip every message, then offsets are committed', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'round', numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'round', messages: [{ value: 'one', partition: 0 }, { value: 'two', partition: 1, key: 'k', headers: { h: 'v' } }] });
    await producer.send({ topic: 'round', compression: CompressionTypes.GZIP, messages: [{ value: 'three', partition: 0 }] });
    await producer.disconnect();
    expect(broker.endOffsets('round')).toEqual([2, 1]);

    const consumer = kafka.consumer({ groupId: 'g1', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'round', fromBeginning: true });
    const seen: string[] = [];
    let headers: unknown;
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            seen.push(`${partition}:${message.offset}:${message.value?.toString()}`);
            if (message.key?.toString() === 'k') headers = message.headers?.h?.toString();
            if (seen.length === 3) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['0:0:one', '0:1:three', '1:0:two']);
    expect(headers).toBe('v');
    const committed = await admin.fetchOffsets({ groupId: 'g1', topics: ['round'] });
    expect(committed[0]?.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual(['2', '1']);
    await admin.disconnect();
  });

  test('a consumer long-polls: messages produced later arrive, and a second group member shares the partitions', async () => {
    const values = ['late-1', 'late-2', 'late-3', 'late-4'];
    const got = new Map<string, string[]>();
    const consumers = [kafka.consumer({ groupId: 'g2', maxWaitTimeInMs: 500 }), kafka.consumer({ groupId: 'g2', maxWaitTimeInMs: 500 })];
    const assigned = new Set<number>();
    const joinedWithWork = new Set<number>();
    for (const c of consumers) {
      await c.connect();
      await c.subscribe({ topic: 'preset', fromBeginning: true });
    }
    // Both members end up in one generation sharing the two partitions (one each).
    const groupReady = new Promise<void>((resolve) => {
      consumers.forEach((c, i) =>
        c.on(c.events.GROUP_JOIN, (e) => {
          const partitions = Object.values(e.payload.memberAssignment).flat();
          if (partitions.length === 1) joinedWithWork.add(i);
          else joinedWithWork.delete(i);
          if (joinedWithWork.size === 2) resolve();
        }),
      );
    });
    const all = new Promise<void>((resolve) => {
      consumers.forEach((c, i) => {
        void c.run({
          eachBatch: async ({ batch }: EachBatchPayload) => {
            for (const m of batch.messages) {
              assigned.add(batch.partition);
              got.set(`c${i}`, [...(got.get(`c${i}`) ?? []), m.value!.toString()]);
            }
            if ([...got.values()].flat().length === values.length) resolve();
          },
        });
      });
    });
    await groupReady;
    broker.produce('preset', 0, values.slice(0, 2));
    broker.produce('preset', 1, values.slice(2));
    await all;
    for (const c of consumers) await c.disconnect();
    expect([...got.values()].flat().sort()).toEqual(values);
    expect([...assigned].sort()).toEqual([0, 1]);
    expect(got.size).toBe(2);
  });
});

describe('kafka wire primitives', () => {
  test.each([
    ['123456789', 0xe3069283],
    ['', 0],
  ])('crc32c(%j) is the Castagnoli checksum', async (input, expected) => {
    const { crc32c } = await import('@ops/testkit/kafka-protocol');
    expect(crc32c(Buffer.from(input))).toBe(expected);
  });

  test.each([0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31)])('varint %d round-trips', async (n) => {
    const { KafkaReader, KafkaWriter } = await import('@ops/testkit/kafka-protocol');
    expect(new KafkaReader(new KafkaWriter().varint(n).toBuffer()).varint()).toBe(n);
  });
});

describe('kafka test broker group coordinator', () => {
  const join = (g: GroupCoordinator, memberId = '') =>
    g.join({ groupId: 'grp', memberId, clientId: 'c', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 2000, protocolType: 'consumer', protocols: [{ name: 'RoundRobin', metadata: Buffer.from('m') }] });

  test('a join, a sync by the leader, heartbeats, a second member forcing a rebalance, a leave', async () => {
    const { createGroupCoordinator, ErrorCode } = await import('@ops/testkit/kafka-group');
    const g = createGroupCoordinator();
    try {
      const a = await join(g);
      expect(a).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocol: 'RoundRobin', leaderId: a.memberId });
      expect(a.members.map((m) => m.memberId)).toEqual([a.memberId]);
      expect(await g.sync('grp', 1, a.memberId, [{ memberId: a.memberId, assignment: Buffer.from('all') }])).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('all') });
      expect(g.heartbeat('grp', 1, a.memberId)).toBe(ErrorCode.NONE);
      expect(g.heartbeat('grp', 0, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
      expect(g.heartbeat('grp', 1, 'stranger')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

      const bJoin = join(g);
      expect(g.heartbeat('grp', 1, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      const aRejoin = join(g, a.memberId);
      const [b, a2] = await Promise.all([bJoin, aRejoin]);
      expect(a2.generationId).toBe(2);
      expect(b.generationId).toBe(2);
      expect(a2.leaderId).toBe(a.memberId);
      expect(a2.members).toHaveLength(2);
      expect(b.members).toHaveLength(0);
      const followerSync = g.sync('grp', 2, b.memberId, []);
      await g.sync('grp', 2, a.memberId, [{ memberId: a.memberId, assignment: Buffer.from('p0') }, { memberId: b.memberId, assignment: Buffer.from('p1') }]);
      expect((await followerSync).assignment.toString()).toBe('p1');

      expect(g.commit('grp', 2, b.memberId, [{ topic: 't', partition: 1, offset: 5, metadata: null }])).toBe(ErrorCode.NONE);
      expect(g.committed('grp', 't', 1)).toEqual({ offset: 5, metadata: null });
      expect(g.committed('grp', 't', 0).offset).toBe(-1);
      expect(g.leave('grp', b.memberId)).toBe(ErrorCode.NONE);
      expect(g.heartbeat('grp', 2, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      expect((await join(g, a.memberId)).generationId).toBe(3);
    } finally {
      g.close();
    }
  });
});
