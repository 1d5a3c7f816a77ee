// ssh-probe beside the asyncssh reference (asyncio.gather over every host), in four sections:
// - fleet: 1,000 targets, 30% black-holed with iptables DROP, the rest spread over 4 real sshd
//   (default MaxStartups 10:30:100) on 127.77.0.{1..4}:22;
// - exec: client CPU per `--check exec` probe beside asyncssh and `ssh -o BatchMode=yes`;
// - memory: peak RSS for 20,000 fast-failing targets;
// - maxstartups: 300 names of one default-MaxStartups sshd at concurrency 100, none may be lost.
// Wall time and client CPU (user+sys of the client process tree, from bash `times`); sshd's own
// CPU is not counted. SSH_PROBE_BENCH=exec,memory (comma separated) runs only those sections.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages, makeTempDir } from '@ops/testkit';
import { startSshd, type Sshd } from '@ops/testkit/sshd';
import { closedPort, startBlackHole } from '@ops/testkit/ssh-failures';
import { machineLine } from './machine.js';
import { execCpuSection, measure } from './ssh-probe-exec-cpu.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const CLI = join(here, '../packages/ssh-probe/dist/cli.js');
const TARGETS = 1000;
const TIMEOUT_S = 3;
const SERVERS = 4;

interface Run {
  readonly name: string;
  readonly wallS: number;
  readonly cpuS: number;
  /** Reachable targets reported reachable (of the healthy ones). */
  readonly healthyOk: number;
  /** Black-holed targets reported unreachable. */
  readonly holesDown: number;
  readonly note: string;
}

const SECTIONS = (process.env.SSH_PROBE_BENCH ?? 'fleet,exec,memory,maxstartups').split(',');

export default async function bench(): Promise<string> {
  await ensureDebianPackages(['python3-asyncssh', 'iptables', 'time']);
  const loadBefore = loadavg()[0]!;
  const parts: string[] = [];
  if (SECTIONS.includes('fleet')) parts.push(await fleetSection());
  if (SECTIONS.includes('exec')) {
    // a password user, so that the command runs under /bin/sh (see execCpuSection)
    const server = await startSshd({ password: 'bench-exec-cpu' });
    try {
      parts.push(await execCpuSection(CLI, join(here, 'ssh-probe-asyncssh.py'), server));
    } finally {
      await server.stop();
    }
  }
  if (SECTIONS.includes('memory')) parts.push(await memorySection());
  if (SECTIONS.includes('maxstartups')) parts.push(await maxStartupsSection());
  return [
    '## @ops/ssh-probe',
    '',
    machineLine(),
    '',
    `Machine load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after: other helpers' builds and tests share the 2 cores, so absolute figures are inflated and noisy; compare the rows of one table (same run).`,
    '',
    ...parts,
  ].join('\n');
}

/** Peak RSS (MiB) and wall time of a command, from GNU time. */
async function peakRss(command: string): Promise<{ mib: number; wallS: number; stdout: string }> {
  const dir = makeTempDir('bench-ssh-rss-').path;
  const m = await measure(`/usr/bin/time -f %M -o ${join(dir, 'rss')} ${command}`);
  return { mib: Number(readFileSync(join(dir, 'rss'), 'utf8').trim().split('\n').at(-1)) / 1024, wallS: m.wallS, stdout: m.stdout };
}

/** Goal: <= 150 MiB RSS for 20,000 targets (fast failures: the most results per second). */
async function memorySection(): Promise<string> {
  const closed = await closedPort();
  const dir = makeTempDir('bench-ssh-mem-').path;
  const key = join(dir, 'unused-key');
  writeFileSync(key, '');
  const inventory = (n: number) => {
    const path = join(dir, `inv-${n}.txt`);
    writeFileSync(path, Array.from({ length: n }, (_, i) => (i % 2 ? `u${i}@${closed.host}:${closed.port}` : `host-${i}.invalid`)).join('\n') + '\n');
    return path;
  };
  const rows: string[] = [];
  for (const n of [100, 20_000]) {
    const r = await peakRss(`node ${CLI} --inventory ${inventory(n)} --format jsonl --check banner -F none --no-agent --known-hosts ${join(dir, 'kh')} --log-level error`);
    const lines = r.stdout.trim().split('\n').length;
    rows.push(`| ssh-probe --format jsonl (default concurrency 50) | ${n} | ${r.mib.toFixed(1)} | ${r.wallS.toFixed(1)} | ${lines} |`);
  }
  await closed.stop();
  return [
    '### Memory: 20,000 targets',
    '',
    'Fast-failing targets (half `.invalid` names, half a closed loopback port), `--format jsonl`, peak RSS of the process (GNU time %M). Goal: at most 150 MiB at 20,000.',
    '',
    '| run | targets | peak RSS MiB | wall s | result lines |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}

/** Goal: 300 probes of one default-MaxStartups sshd at concurrency 100, no healthy host reported down. */
async function maxStartupsSection(): Promise<string> {
  const server = await startSshd({});
  const dir = makeTempDir('bench-ssh-ms-').path;
  try {
    const ini = join(dir, 'inv.ini');
    writeFileSync(ini, Array.from({ length: 300 }, (_, i) => `web${i} ansible_host=${server.host} ansible_port=${server.port} ansible_user=${server.user}`).join('\n') + '\n');
    const lines = join(dir, 'lines.txt');
    writeFileSync(lines, Array.from({ length: 300 }, () => `${server.user}@${server.host}:${server.port}`).join('\n') + '\n');
    const rows: string[] = [];
    const variants: Array<[string, string]> = [
      ['ssh-probe --concurrency 100 (defaults: per-host 8, retries 2, throttle retries 8, timeout 10s)', ''],
      ['ssh-probe --concurrency 100 --per-host-concurrency 100 (no gate: MaxStartups drops, retried)', '--per-host-concurrency 100'],
    ];
    for (const [name, extra] of variants) {
      await new Promise((r) => setTimeout(r, 1500));
      const m = await measure(`node ${CLI} --inventory ${ini} --format jsonl --concurrency 100 ${extra} -F none --no-agent -i ${server.userKeyPath} --known-hosts ${join(dir, 'kh')} --log-level debug`);
      const results = m.stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: string; reason?: string; stage?: string });
      const down = new Map<string, number>();
      for (const r of results) if (r.status !== 'reachable') down.set(`${r.reason}@${r.stage}`, (down.get(`${r.reason}@${r.stage}`) ?? 0) + 1);
      const retries = (readFileSync(m.stderrPath, 'utf8').match(/retrying throttled connection/g) ?? []).length;
      rows.push(`| ${name} | ${m.wallS.toFixed(1)} | ${results.filter((r) => r.status === 'reachable').length}/300 | ${[...down].map(([k, v]) => `${v} ${k}`).join(', ') || '0'} | ${retries} |`);
    }
    await new Promise((r) => setTimeout(r, 1500));
    const py = await measure(`/usr/bin/python3 ${join(here, 'ssh-probe-asyncssh.py')} ${lines} ${server.userKeyPath} 10 100`);
    const ref = JSON.parse(py.stdout) as { reachable: number; errors: Record<string, number> };
    rows.push(`| asyncssh loop, Semaphore(100), connect_timeout 10 | ${py.wallS.toFixed(1)} | ${ref.reachable}/300 | ${Object.entries(ref.errors).map(([e, n]) => `${n} ${e}`).join(', ') || '0'} | n/a |`);
    const drops = server.output().split('\n').filter((l) => /MaxStartups/i.test(l)).length;
    return [
      '### MaxStartups: 300 names of one sshd at concurrency 100',
      '',
      `One OpenSSH sshd with the default MaxStartups 10:30:100 (random early drop: past 10 unauthenticated connections, sshd writes "Exceeded MaxStartups" and closes, with a probability rising from 30% to 100% at 100), 300 inventory names all pointing at it, --check auth. Goal: 300/300 reachable. sshd wrote ${drops} log lines about MaxStartups drops over the section (it rate-limits them: fewer lines than drops).`,
      '',
      '| run | wall s | reachable | reported down | retries |',
      '| --- | ---: | ---: | --- | ---: |',
      ...rows,
      '',
    ].join('\n');
  } finally {
    await server.stop();
  }
}

async function fleetSection(): Promise<string> {
  const servers: Sshd[] = [];
  for (let i = 1; i <= SERVERS; i++) servers.push(await startSshd({ extraConfig: [`ListenAddress 127.77.0.${i}:22`] }));
  const hole = await startBlackHole({ cidr: '127.66.0.0/16' });
  const dir = makeTempDir('bench-ssh-probe-').path;
  try {
    // every sshd accepts the first server's user key
    for (const s of servers) writeFileSync(join(s.dir, 'authorized_keys'), `${servers[0]!.userPublicKey}\n`);
    const key = servers[0]!.userKeyPath;
    const user = servers[0]!.user;
    const holes = new Set<number>();
    const lines: string[] = [];
    let k = 0;
    for (let i = 0; i < TARGETS; i++) {
      if (i % 10 === 0 || i % 10 === 3 || i % 10 === 6) {
        holes.add(i);
        lines.push(`${user}@127.66.${(i >> 8) + 1}.${(i & 255) + 1}`);
      } else {
        lines.push(`${user}@127.77.0.${(k++ % SERVERS) + 1}`);
      }
    }
    // asyncssh reads user@host lines; ssh-probe the same targets under distinct names (an Ansible
    // inventory), since it probes a repeated line once and this one repeats 4 addresses 700 times
    const inventory = join(dir, 'inventory.txt');
    writeFileSync(inventory, lines.join('\n') + '\n');
    const named = join(dir, 'inventory.ini');
    writeFileSync(named, lines.map((l, i) => `${holes.has(i) ? 'hole' : 'web'}-${i} ansible_host=${l.split('@')[1]} ansible_user=${user}`).join('\n') + '\n');
    const healthy = TARGETS - holes.size;
    const runs: Run[] = [];
    const settle = () => new Promise((r) => setTimeout(r, 1500));

    const countProbe = (stdout: string): Pick<Run, 'healthyOk' | 'holesDown'> & { reasons: string } => {
      const results = stdout.trim().split('\n').map((l) => JSON.parse(l) as { host: string; status: string; reason?: string; stage?: string; latencyMs: number });
      const isHole = (h: string) => h.startsWith('hole-');
      const reasons = new Map<string, number>();
      for (const r of results) if (r.status !== 'reachable' && !isHole(r.host)) reasons.set(`${r.reason}@${r.stage}`, (reasons.get(`${r.reason}@${r.stage}`) ?? 0) + 1);
      return {
        healthyOk: results.filter((r) => !isHole(r.host) && r.status === 'reachable').length,
        holesDown: results.filter((r) => isHole(r.host) && r.reason === 'timeout' && r.stage === 'connect').length,
        reasons: [...reasons].map(([r, n]) => `${n} ${r}`).join(', '),
      };
    };

    for (const [check, concurrency] of [['auth', 100], ['banner', 100]] as const) {
      await settle();
      const m = await measure(`node ${CLI} --inventory ${named} --format jsonl --check ${check} --concurrency ${concurrency} --timeout ${TIMEOUT_S}s -i ${key} --no-agent --known-hosts ${join(dir, `kh-${check}-${concurrency}`)} --log-level error`);
      const c = countProbe(m.stdout);
      const floor = Math.ceil(holes.size / concurrency) * TIMEOUT_S;
      runs.push({ name: `ssh-probe --check ${check} --concurrency ${concurrency}`, wallS: m.wallS, cpuS: m.cpuS, healthyOk: c.healthyOk, holesDown: c.holesDown, note: `black-hole floor ceil(${holes.size}/${concurrency})x${TIMEOUT_S}s = ${floor}s${c.reasons ? `; healthy reported down: ${c.reasons}` : ''}` });
    }

    for (const bound of [undefined, 100]) {
      await settle();
      const py = await measure(`/usr/bin/python3 ${join(here, 'ssh-probe-asyncssh.py')} ${inventory} ${key} ${TIMEOUT_S}${bound ? ` ${bound}` : ''}`);
      const ref = JSON.parse(py.stdout) as { status: string[]; errors: Record<string, number> };
      runs.push({
        name: bound ? `asyncssh, same script with asyncio.Semaphore(${bound})` : 'asyncssh 2.10 + asyncio.gather (reference)',
        wallS: py.wallS,
        cpuS: py.cpuS,
        healthyOk: ref.status.filter((s, i) => !holes.has(i) && s === 'reachable').length,
        holesDown: ref.status.filter((s, i) => holes.has(i) && s === 'unreachable').length,
        note: `${bound ? '' : 'no concurrency bound; '}any exception = unreachable: ${Object.entries(ref.errors).map(([e, n]) => `${n} ${e}`).join(', ')}`,
      });
    }

    const base = runs[0]!;
    const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
    const rows = runs.map((r) => `| ${r.name} | ${fmt(r.wallS, 1)} | ${fmt(r.cpuS)} | ${fmt((r.cpuS / TARGETS) * 1000)} | ${r.healthyOk ? fmt((r.cpuS / r.healthyOk) * 1000) : 'n/a'} | ${fmt(r.cpuS / base.cpuS)} | ${r.healthyOk}/${healthy} | ${Number.isFinite(r.holesDown) ? `${r.holesDown}/${holes.size}` : 'n/a'} | ${r.note} |`);
    return [
      '### 1,000 targets: 4 sshd and 300 black holes',
      '',
      `${TARGETS} targets: ${healthy} healthy on ${SERVERS} OpenSSH sshd (default MaxStartups 10:30:100, loopback, port 22), ${holes.size} black-holed with iptables DROP; timeout ${TIMEOUT_S}s (the CLI default is 10s: healthy hosts reported \`timeout\` at kex/auth here are sshd starved of CPU within 3s); key authentication unless noted. CPU is the client process tree (user+sys), not sshd.`,
      '',
      '| run | wall s | client CPU s | CPU ms/probe | CPU ms per healthy host reached | CPU vs ssh-probe auth/100 | healthy reported reachable | black holes reported (ssh-probe: timeout@connect) | notes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
    ].join('\n');
  } finally {
    await hole.stop();
    await Promise.all(servers.map((s) => s.stop()));
  }
}
