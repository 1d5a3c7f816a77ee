// log-scan reading a Kafka topic to its end (`--until-end`) beside `kcat -C -e` on the same
// cluster: librdkafka's mock cluster (three brokers on loopback, started by testkit) holding
// ~12.6 MB of auth log in ~117k records over 6 partitions (LOG_SCAN_KAFKA_RECORDS to change).
// kcat (Debian `kcat`) is installed here when missing; the tests do not need it.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from '@ops/testkit';
import { startKafkaMockCluster } from '@ops/testkit/kafka-mock-cluster';
import { machineLine } from './machine.js';

const here = dirname(fileURLToPath(import.meta.url));
// The command as users run it (the bin, which runs the bundled dist/cli.cjs).
const CLI = join(here, '../packages/log-scan/bin/log-scan.js');
const RECORDS = Number(process.env.LOG_SCAN_KAFKA_RECORDS ?? 117_000);
const PARTITIONS = 6;
const RUNS = 3;

const ip = (i: number) => `203.0.${(i >> 8) & 255}.${i & 255}`;
/** One auth.log line per record, a quarter of them failures, ~108 bytes on average. */
function line(i: number): string {
  const pid = 1000 + (i % 30000);
  switch (i % 8) {
    case 0: return `Oct  1 10:${String(i % 60).padStart(2, '0')}:00 web1 sshd[${pid}]: Failed password for root from ${ip(i % 5000)} port ${40000 + (i % 20000)} ssh2`;
    case 3: return `Oct  1 10:00:00 web1 sshd[${pid}]: Invalid user admin${i % 97} from ${ip(i % 7000)} port ${40000 + (i % 20000)}`;
    case 5: return `Oct  1 10:00:00 web1 sshd[${pid}]: Connection closed by ${ip(i % 7000)} port ${40000 + (i % 20000)} [preauth]`;
    case 6: return `Oct  1 10:00:00 web1 CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`;
    default: return `Oct  1 10:00:00 web1 sshd[${pid}]: Accepted publickey for deploy from 10.0.${i & 255}.5 port ${40000 + (i % 20000)} ssh2: RSA SHA256:abc`;
  }
}

/** Phases of one log-scan process, from its debug lines: seconds since the run started. */
interface Phases { joining?: number; joined?: number; firstBatch?: number; counted?: number; groupEnd?: number; left?: number; exit: number }
interface Timed { seconds: number; cpu: number; out: string[]; afterJoin?: number; phases: Phases[] }

const PHASE_LINES: [keyof Phases, string][] = [
  ['joining', 'joining the Kafka consumer group'],
  ['joined', 'joined the Kafka consumer group'],
  ['firstBatch', 'fetched the first Kafka batch'],
  ['counted', 'counted the assigned Kafka partitions'],
  ['groupEnd', 'the Kafka group counted the topic'],
  ['left', 'left the Kafka consumer group'],
];

/** When each phase began (first line of its kind; the last join), in s since `start` (ms since epoch). */
function phasesOf(stderr: string, start: number, exit: number): Phases {
  const phases: Phases = { exit: (exit - start) / 1000 };
  for (const l of stderr.split('\n')) {
    if (!l.startsWith('{')) continue;
    const { timestamp, message } = JSON.parse(l) as { timestamp: string; message: string };
    const at = (Date.parse(timestamp) - start) / 1000;
    for (const [phase, text] of PHASE_LINES) if (message.startsWith(text) && (phases[phase] === undefined || phase === 'joined')) phases[phase] = at;
  }
  return phases;
}

/** Runs the commands in parallel; wall time until the last exits, CPU of all (GNU time). */
async function timed(commands: string[][]): Promise<Timed> {
  const start = process.hrtime.bigint();
  const startMs = Date.now();
  const results = await Promise.all(
    commands.map(
      (cmd) =>
        new Promise<{ out: string; cpu: number; phases: Phases }>((resolve, reject) => {
          const child = spawn('/usr/bin/time', ['-f', 'CPU %U %S', ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => {
            const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(err);
            if (code !== 0 || !cpu) reject(new Error(`${cmd.join(' ')} exited ${code}: ${err.slice(-2000)}`));
            else resolve({ out, cpu: Number(cpu[1]) + Number(cpu[2]), phases: phasesOf(err, startMs, Date.now()) });
          });
        }),
    ),
  );
  const phases = results.map((r) => r.phases);
  const joins = phases.map((p) => p.joined).filter((j) => j !== undefined);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const afterJoin = joins.length ? seconds - Math.min(...joins) : undefined;
  return { seconds, cpu: results.reduce((s, r) => s + r.cpu, 0), out: results.map((r) => r.out), afterJoin, phases };
}

const f2 = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));

/** One row per process: when each phase began, seconds since the start. */
function phaseRows(label: string, t: Timed): string[] {
  return t.phases.map((p, i) => `| ${label} #${i + 1} | ${f2(p.joining)} | ${f2(p.joined)} | ${f2(p.firstBatch)} | ${f2(p.counted)} | ${f2(p.groupEnd)} | ${f2(p.left)} | ${f2(p.exit)} |`);
}

export default async function bench(): Promise<string> {
  await ensureDebianPackages(['kcat']);
  const cluster = await startKafkaMockCluster({ brokers: 3 });
  try {
    const topic = `auth-${randomUUID().slice(0, 8)}`;
    await cluster.createTopic(topic, PARTITIONS);
    const brokers = cluster.brokers.join(',');
    // Produced through the protocol by kcat, one producer per partition, records in order.
    let bytes = 0;
    let failures = 0;
    const perPartition: string[][] = Array.from({ length: PARTITIONS }, () => []);
    for (let i = 0; i < RECORDS; i++) {
      const value = line(i);
      bytes += value.length;
      if (i % 8 === 0 || i % 8 === 3) failures++;
      perPartition[i % PARTITIONS]!.push(value);
    }
    for (const [p, values] of perPartition.entries()) {
      const r = spawnSync('kcat', ['-P', '-b', brokers, '-t', topic, '-p', String(p)], { input: values.join('\n') + '\n', encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`kcat -P failed: ${r.stderr}`);
    }
    const spec = `kafka://${brokers}/${topic}`;
    // --log-level debug: the line saying the group was joined marks where reading starts.
    const logScan = (group: string) => ['node', CLI, '--log-level', 'debug', '--log-format', 'json', '--format', 'json', '--group', group, '--from-beginning', '--until-end', spec];
    const kcat = ['kcat', '-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\\n'];
    const kcatGroup = (group: string) => ['kcat', '-b', brokers, '-G', group, '-o', 'beginning', '-e', '-q', '-f', '%s\\n', topic];
    const best: Record<string, Timed> = {};
    const keep = (name: string, t: Timed) => {
      if (!best[name] || t.seconds < best[name].seconds) best[name] = t;
    };
    for (let run = 0; run < RUNS; run++) {
      keep('kcat', await timed([kcat]));
      keep('one', await timed([logScan(`bench-${randomUUID()}`)]));
      const group = `bench-${randomUUID()}`;
      keep('two', await timed([logScan(group), logScan(group)]));
      const kg = `bench-${randomUUID()}`;
      keep('kcatGroup', await timed([kcatGroup(kg), kcatGroup(kg)]));
    }
    const lines = (out: string) => out.split('\n').filter(Boolean).length;
    const matches = (out: string) => (JSON.parse(out) as { stats: { matches: number } }).stats.matches;
    const kcatLines = lines(best.kcat!.out[0]!);
    const kcatGroupLines = best.kcatGroup!.out.map(lines);
    const oneMatches = matches(best.one!.out[0]!);
    const twoMatches = best.two!.out.map(matches);
    const anchor = best.kcat!.seconds;
    const row = (label: string, t: Timed, found: string) =>
      `| ${label} | ${t.seconds.toFixed(2)} | ${t.afterJoin === undefined ? '-' : t.afterJoin.toFixed(2)} | ${t.cpu.toFixed(2)} | ${(t.seconds / anchor).toFixed(2)}x | ${t.afterJoin === undefined ? '-' : `${(t.afterJoin / anchor).toFixed(2)}x`} | ${found} |`;
    const two = best.two!.phases;
    return [
      '## @ops/log-scan (Kafka)',
      '',
      machineLine(),
      '',
      `A topic of ${(bytes / 1e6).toFixed(1)} MB of auth log in ${RECORDS} records (one line each, ${failures} failures) over ${PARTITIONS} partitions on librdkafka's mock cluster (3 brokers on loopback, Debian librdkafka ${spawnSync('dpkg-query', ['-W', '-f=${Version}', 'librdkafka-dev'], { encoding: 'utf8' }).stdout}), read from the beginning to the end offsets. Each reader ran ${RUNS} times in turns in the same run, fastest run shown; wall time from start to the last process's exit, CPU of all processes (GNU time).`,
      `Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (the machine is shared with other jobs: compare the ratios, not the absolute figures).`,
      '',
      '| reader | wall s | wall s after the group join | CPU s | wall / kcat -C -e | after join / kcat -C -e | found |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('`kcat -C -e` (no group: assigns every partition itself)', best.kcat!, `${kcatLines} records`),
      row('`log-scan --until-end`, two processes of one group', best.two!, `${twoMatches.join(' + ')} failures`),
      row('`log-scan --until-end`, one process', best.one!, `${oneMatches} failures`),
      row('`kcat -G group -e`, two processes of one group', best.kcatGroup!, `${kcatGroupLines.join(' + ')} records`),
      '',
      `Goal: two log-scan processes of one group within 1.5x of \`kcat -C -e\`; each reads about half (failures counted by each: ${twoMatches.join(', ')}; ${failures} in the topic).`,
      `CPU: ${best.one!.cpu.toFixed(2)} s for one log-scan process (Node start, kafkajs decoding every record in JavaScript, scanning, commits) against ${best.kcat!.cpu.toFixed(2)} s for kcat (C); on a loaded machine the wall times follow the CPU times.`,
      '"After the group join": from the first process logging that it joined its group (its assignment in hand) to the last exit: reading, scanning, committing, leaving the group, printing.',
      '',
      'Where the time goes (the fastest run of each; seconds since the processes were started, from their debug lines):',
      '',
      '| process | joining (start-up done) | joined (assignment) | first batch | own partitions counted | group counted the topic | left the group | exit |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...phaseRows('two processes', best.two!),
      ...phaseRows('one process', best.one!),
      '',
      `Two processes: start-up (Node, the CLI, kafkajs, connecting, reading the topic and group offsets) ${f2(Math.max(...two.map((p) => p.joining ?? NaN)))} s, joining the group ${f2(Math.max(...two.map((p) => (p.joined ?? NaN) - (p.joining ?? NaN))))} s, reading and scanning ${f2(Math.max(...two.map((p) => (p.counted ?? NaN) - (p.joined ?? NaN))))} s, deciding the group's end, leaving and printing ${f2(Math.max(...two.map((p) => p.exit - (p.counted ?? NaN))))} s (each the slower process).`,
      "A consumer group costs a join before the first fetch: the mock cluster, like Kafka's default `group.initial.rebalance.delay.ms`, waits 3 s for more members when a group forms, which `kcat -C -e` (no group) does not pay; `kcat -G` shows the same wait.",
      `So before the first record is fetched the two processes have spent ${f2(Math.max(...two.map((p) => p.joined ?? NaN)))} s, ${(Math.max(...two.map((p) => p.joined ?? NaN)) / anchor).toFixed(2)}x \`kcat -C -e\`'s whole run: 1.5x end to end is out of reach of a consumer group on this cluster (\`kcat -G\`, librdkafka's own group consumer, is at ${(best.kcatGroup!.seconds / anchor).toFixed(2)}x).`,
    ].join('\n');
  } finally {
    await cluster.stop();
  }
}
