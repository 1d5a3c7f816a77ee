// Reading a topic: exact contents, offsets committed once counted, following, errors. Runs
// against librdkafka's mock cluster, or a real one named by KAFKA_BROKERS (see kafka-fixture.ts).
import { freePort } from '@ops/testkit';
import { kafkaSources, scan } from '../src/index.js';
import { authLine, cli, committed, FAST, newTopic, produce, readLines, spec, unique, useKafkaCluster } from './kafka-fixture.js';

const k = useKafkaCluster();

describe('Kafka source (kafkajs against a multi-broker cluster)', () => {
  test('--from-beginning --until-end reads exactly what was produced, across partitions, in partition order', async () => {
    const topic = await newTopic(k, 3);
    const expected: string[][] = [[], [], []];
    for (let p = 0; p < 3; p++) {
      // Values without a trailing newline, with one, and holding two lines.
      const values = [`p${p} line a`, `p${p} line b\n`, `p${p} line c\np${p} line d`, `p${p} line e`];
      await produce(k, topic, p, values);
      expected[p]!.push(`p${p} line a`, `p${p} line b`, `p${p} line c`, `p${p} line d`, `p${p} line e`);
    }
    const [source] = await kafkaSources(spec(k, topic), { group: unique('g'), fromBeginning: true, untilEnd: true, ...FAST });
    expect(source!.name).toBe(spec(k, topic));
    const lines = await readLines(source!);
    expect([...lines].sort()).toEqual(expected.flat().sort());
    for (let p = 0; p < 3; p++) expect(lines.filter((l) => l.startsWith(`p${p} `))).toEqual(expected[p]);
  });

  test('offsets are committed, so a second run with the same group reads only the new messages', async () => {
    const topic = await newTopic(k, 2);
    const group = unique('g');
    await produce(k, topic, 0, ['old 1', 'old 2']);
    await produce(k, topic, 1, ['old 3']);
    const [first] = await kafkaSources(spec(k, topic), { group, fromBeginning: true, untilEnd: true, ...FAST });
    expect((await readLines(first!)).sort()).toEqual(['old 1', 'old 2', 'old 3']);
    expect(await committed(k, group, topic)).toEqual({ 0: '2', 1: '1' });

    await produce(k, topic, 0, ['new 1']);
    await produce(k, topic, 1, ['new 2', 'new 3']);
    const [second] = await kafkaSources(spec(k, topic), { group, untilEnd: true, ...FAST });
    expect((await readLines(second!)).sort()).toEqual(['new 1', 'new 2', 'new 3']);
    expect(await committed(k, group, topic)).toEqual({ 0: '3', 1: '3' });

    const [third] = await kafkaSources(spec(k, topic), { group, untilEnd: true, ...FAST });
    expect(await readLines(third!)).toEqual([]);
    const [again] = await kafkaSources(spec(k, topic), { group, fromBeginning: true, untilEnd: true, ...FAST });
    expect(await readLines(again!)).toHaveLength(6);
  });

  test('a chunk is committed only once the next one is pulled (after it was counted)', async () => {
    const topic = await newTopic(k, 2);
    const group = unique('g');
    await produce(k, topic, 0, ['a1', 'a2']);
    await produce(k, topic, 1, ['b1']);
    const [source] = await kafkaSources(spec(k, topic), { group, fromBeginning: true, untilEnd: true, ...FAST });
    const it = source!.chunks()[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    const firstText = Buffer.from(first.value as Uint8Array).toString();
    const firstPartition = firstText.startsWith('a') ? 0 : 1;
    // Held by the consumer: nothing is committed yet.
    expect(Object.values(await committed(k, group, topic)).every((o) => o === '-1')).toBe(true);
    const second = await it.next();
    expect((await committed(k, group, topic))[firstPartition]).toBe(firstPartition === 0 ? '2' : '1');
    expect(second.done).toBe(false);
    expect((await it.next()).done).toBe(true);
    expect(await committed(k, group, topic)).toEqual({ 0: '2', 1: '1' });
  });

  test('without --until-end it follows new messages until aborted, committing what it counted', async () => {
    const topic = await newTopic(k, 2);
    const group = unique('g');
    await produce(k, topic, 0, ['before']);
    const [source] = await kafkaSources(spec(k, topic), { group, fromBeginning: true, ...FAST });
    const abort = new AbortController();
    const seen: string[] = [];
    const producedLater = ['later 1', 'later 2', 'later 3'];
    let sent = false;
    for await (const chunk of source!.chunks(abort.signal)) {
      seen.push(...Buffer.from(chunk).toString().split('\n').filter(Boolean));
      if (!sent) {
        sent = true;
        await produce(k, topic, 1, producedLater.slice(0, 2));
        await produce(k, topic, 0, producedLater.slice(2));
      }
      if (seen.length === 4) abort.abort();
    }
    expect(seen.sort()).toEqual(['before', ...producedLater].sort());
    expect(await committed(k, group, topic)).toEqual({ 0: '2', 1: '2' });
  });

  test('end to end: scan() counts every failure; a message without a trailing newline never joins the next one', async () => {
    const topic = await newTopic(k, 2);
    const line = authLine;
    await produce(k, topic, 0, [line('203.0.113.7', 'root'), line('203.0.113.8', 'admin')]);
    await produce(k, topic, 1, [`${line('203.0.113.7', 'oracle')}\n${line('2001:db8::9', 'root')}`, 'Mar  3 10:00:01 web sshd[43]: Accepted password for bob from 198.51.100.1 port 1 ssh2']);
    const group = unique('g');
    const result = await scan([spec(k, topic)], { threads: 1, remote: { kafka: { group, fromBeginning: true, untilEnd: true } } });
    expect(result.errors).toEqual([]);
    expect(result.stats.lines).toBe(5);
    expect(result.stats.matches).toBe(4);
    expect(Object.fromEntries(result.ips.map((r) => [r.ip, r.count]))).toEqual({ '203.0.113.7': 2, '203.0.113.8': 1, '2001:db8::9': 1 });
    expect(await committed(k, group, topic)).toEqual({ 0: '2', 1: '2' });
  });

  test('a missing topic is a usage-level not-found (exit 2)', async () => {
    const error = await kafkaSources(spec(k, unique('missing')), FAST).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOG_SCAN_SOURCE_NOT_FOUND', exitCode: 2 });
    expect((error as Error).message).toMatch(/no topic log-scan-missing-/);
  });

  test('unreachable brokers are an environment failure (exit 3) naming the source', async () => {
    const dead = `kafka://127.0.0.1:${await freePort()}/auth-logs`;
    const error = await kafkaSources(dead, FAST).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOG_SCAN_SOURCE_FAILED', exitCode: 3, byteOffset: 0 });
    expect((error as Error).message).toContain(`${dead}: cannot reach the brokers`);
  });

  test('the CLI: --group --from-beginning --until-end prints the JSON result, and a second run reads only new messages', async () => {
    const topic = await newTopic(k, 2);
    const group = unique('g');
    const line = (ip: string) => authLine(ip);
    await produce(k, topic, 0, [line('192.0.2.1'), line('192.0.2.2')]);
    await produce(k, topic, 1, [line('192.0.2.1')]);
    const first = await cli(['--format', 'json', '--group', group, '--from-beginning', '--until-end', spec(k, topic)]);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout) as { ips: { ip: string; count: number }[]; stats: { sources: number; matches: number } };
    expect(out.ips.map((r) => [r.ip, r.count])).toEqual([['192.0.2.1', 2], ['192.0.2.2', 1]]);
    expect(out.stats).toMatchObject({ sources: 1, matches: 3 });

    await produce(k, topic, 1, [line('192.0.2.3')]);
    const second = await cli(['--format', 'json', '--group', group, '--until-end', spec(k, topic)]);
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as { ips: { ip: string }[] }).ips.map((r) => r.ip)).toEqual(['192.0.2.3']);
  });

  test('the CLI: a missing topic exits 2, unreachable brokers exit 3', async () => {
    const missing = await cli(['--format', 'json', '--until-end', spec(k, unique('missing'))]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no topic log-scan-missing-/);
    const dead = await cli(['--format', 'json', '--until-end', `kafka://127.0.0.1:${await freePort()}/auth-logs`]);
    expect(dead.code).toBe(3);
    expect(dead.stderr).toMatch(/cannot reach the brokers/);
  });
});
