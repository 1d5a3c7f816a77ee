// Several scanners in one consumer group: they share the partitions, survive rebalances and group
// protocol errors, and stop at the end. Runs against librdkafka's mock cluster, or a real one
// named by KAFKA_BROKERS (see kafka-fixture.ts); injected errors need the mock, so that test
// always starts one.
import { startKafkaMockCluster } from '@ops/testkit/kafka-mock-cluster';
import { kafkaSources } from '../src/index.js';
import { authLine, cli, committed, FAST, newTopic, produce, readLines, spec, unique, useKafkaCluster } from './kafka-fixture.js';

const k = useKafkaCluster();

// Tests that go through rebalances: each can cost a session timeout on the mock cluster, more on
// a loaded machine (2 cores in CI), so they get more than jest's default minute.
const REBALANCES_MS = 150_000;

/** `count` failure lines per partition, partition p's addresses 10.0.p.x, each address once. */
async function fillTopic(topic: string, partitions: number, count: number, sends = 1): Promise<string[]> {
  const all: string[] = [];
  for (let p = 0; p < partitions; p++) {
    const lines = Array.from({ length: count }, (_, i) => authLine(`10.0.${p}.${i}`));
    const per = Math.ceil(count / sends);
    for (let s = 0; s < count; s += per) await produce(k, topic, p, lines.slice(s, s + per));
    all.push(...lines);
  }
  return all;
}

type Result = { ips: { ip: string; count: number }[]; stats: { matches: number } };

describe('Kafka source in a consumer group', () => {
  test('two scanner processes of one group each read part of the topic; merged, every record is counted once', async () => {
    const topic = await newTopic(k, 6);
    const produced = await fillTopic(topic, 6, 40);
    const group = unique('g');
    const args = ['--format', 'json', '--group', group, '--from-beginning', '--until-end', spec(k, topic)];
    const runs = await Promise.all([cli(args), cli(args)]);
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' });
    const [a, b] = runs.map((r) => JSON.parse(r.stdout) as Result);
    // Both took part; together they counted each address exactly once.
    expect(a!.stats.matches).toBeGreaterThan(0);
    expect(b!.stats.matches).toBeGreaterThan(0);
    // The split depends on the rebalances (under load a member may rejoin as a new one, and the
    // partitions of its old one go to either process once the coordinator drops it); the sum does not.
    if (!k.cluster.external) expect(a!.stats.matches + b!.stats.matches).toBe(240);
    const merged = [...a!.ips, ...b!.ips];
    expect(merged.every((r) => r.count === 1)).toBe(true);
    expect(merged.map((r) => r.ip).sort()).toEqual(produced.map((l) => /from (\S+)/.exec(l)![1]).sort());
    expect(Object.values(await committed(k, group, topic))).toEqual(Array(6).fill('40'));
  }, REBALANCES_MS);

  test('a second member joining mid-read: the first rejoins and goes on, together they count everything, the first never counts twice', async () => {
    const topic = await newTopic(k, 4);
    const produced = await fillTopic(topic, 4, 30, 3);
    const group = unique('g');
    const [first] = await kafkaSources(spec(k, topic), { group, fromBeginning: true, untilEnd: true, ...FAST });
    const it = first!.chunks()[Symbol.asyncIterator]();
    const firstLines: string[] = [];
    const take = (r: IteratorResult<Uint8Array>) => firstLines.push(...Buffer.from(r.value ?? []).toString().split('\n').filter(Boolean));
    take(await it.next());
    // This chunk is yielded, not yet counted: it is what a member may hold across a rebalance.
    const held = new Set(firstLines);
    const [second] = await kafkaSources(spec(k, topic), { group, fromBeginning: true, untilEnd: true, ...FAST });
    const secondLines: string[] = [];
    let joined!: () => void;
    const secondJoined = new Promise<void>((resolve) => (joined = resolve));
    const secondDone = (async () => {
      for await (const chunk of second!.chunks()) {
        secondLines.push(...Buffer.from(chunk).toString().split('\n').filter(Boolean));
        joined();
      }
      joined();
    })();
    // The second member can read only once the first rejoined (the group waits for it).
    await secondJoined;
    for (let r = await it.next(); !r.done; r = await it.next()) take(r);
    await secondDone;
    expect(secondLines.length).toBeGreaterThan(0);
    const all = [...firstLines, ...secondLines];
    expect(new Set(firstLines).size).toBe(firstLines.length);
    expect([...new Set(all)].sort()).toEqual([...produced].sort());
    // At least once: only the held chunk may have been counted by both.
    const twice = all.filter((l, i) => all.indexOf(l) !== i);
    expect(twice.filter((l) => !held.has(l))).toEqual([]);
    expect(Object.values(await committed(k, group, topic))).toEqual(Array(4).fill('30'));
  }, REBALANCES_MS);

  test('a member that leaves without counting its partitions: the member that finished its own reads them too, never ending without them', async () => {
    const topic = await newTopic(k, 2);
    const produced = await fillTopic(topic, 2, 5);
    const group = unique('g');
    // A plain member that takes a partition and never counts (commits) anything, then leaves.
    const { Kafka, logLevel } = await import('kafkajs');
    const idle = new Kafka({ brokers: k.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: group, ...FAST, sessionTimeout: FAST.sessionTimeoutMs });
    let idleJoined!: () => void;
    const idleIn = new Promise<void>((resolve) => (idleJoined = resolve));
    idle.on(idle.events.GROUP_JOIN, () => idleJoined());
    await idle.connect();
    await idle.subscribe({ topic, fromBeginning: true });
    await idle.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await idleIn;
    const [source] = await kafkaSources(spec(k, topic), { group, fromBeginning: true, untilEnd: true, ...FAST });
    const lines: string[] = [];
    let left = false;
    for await (const chunk of source!.chunks()) {
      lines.push(...Buffer.from(chunk).toString().split('\n').filter(Boolean));
      // Its own partition is counted: the other one is the idle member's, which leaves now.
      if (lines.length >= 5 && !left) {
        left = true;
        await idle.disconnect();
      }
    }
    await idle.disconnect();
    expect(left).toBe(true);
    expect(lines.sort()).toEqual([...produced].sort());
    expect(Object.values(await committed(k, group, topic))).toEqual(['5', '5']);
  }, REBALANCES_MS);

  test('--until-end on an empty topic ends at once, with nothing read and no group joined', async () => {
    const topic = await newTopic(k, 3);
    const group = unique('g');
    // A fetch wait longer than the test: ending must not depend on one.
    const [source] = await kafkaSources(spec(k, topic), { group, untilEnd: true, maxWaitMs: 120_000 });
    expect(await readLines(source!)).toEqual([]);
    expect(Object.values(await committed(k, group, topic)).every((o) => o === '-1')).toBe(true);
  });

  test('--until-end on a full topic with some empty partitions ends after the last record, not after a fetch wait', async () => {
    const topic = await newTopic(k, 4);
    await produce(k, topic, 1, ['one', 'two']);
    await produce(k, topic, 3, ['three']);
    const [source] = await kafkaSources(spec(k, topic), { group: unique('g'), fromBeginning: true, untilEnd: true, maxWaitMs: 120_000, sessionTimeoutMs: 6000 });
    expect((await readLines(source!)).sort()).toEqual(['one', 'three', 'two']);
  });
});

describe('Kafka source meeting group protocol errors (librdkafka mock cluster)', () => {
  const SYNC_GROUP = 14;
  const INVALID_REQUEST = 42;
  let mock: Awaited<ReturnType<typeof startKafkaMockCluster>>;
  beforeAll(async () => {
    mock = await startKafkaMockCluster({ brokers: 2, topics: { auth: 2 } });
    const { Kafka, logLevel } = await import('kafkajs');
    const producer = new Kafka({ brokers: [...mock.brokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'auth', messages: ['a', 'b', 'c', 'd'].map((value, i) => ({ value, partition: i % 2 })) });
    await producer.disconnect();
  });
  afterAll(() => mock?.stop());
  const mockSpec = () => `kafka://${mock.brokers.join(',')}/auth`;

  test('a sync refused during the join: the consumer rejoins and reads everything', async () => {
    await mock.injectErrors(SYNC_GROUP, [INVALID_REQUEST, INVALID_REQUEST]);
    const [source] = await kafkaSources(mockSpec(), { group: unique('g'), fromBeginning: true, untilEnd: true, ...FAST });
    expect((await readLines(source!)).sort()).toEqual(['a', 'b', 'c', 'd']);
  }, REBALANCES_MS);

  test('more errors than maxRejoins: the source fails naming the error (exit 3)', async () => {
    await mock.injectErrors(SYNC_GROUP, Array(4).fill(INVALID_REQUEST));
    const [source] = await kafkaSources(mockSpec(), { group: unique('g'), fromBeginning: true, untilEnd: true, maxRejoins: 1, ...FAST });
    const error = await readLines(source!).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOG_SCAN_SOURCE_FAILED', exitCode: 3 });
    expect((error as Error).message).toMatch(/the consumer failed: .*malformed/);
    await mock.injectErrors(SYNC_GROUP, []);
  }, REBALANCES_MS);
});
