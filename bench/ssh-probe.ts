// ssh-probe beside the asyncssh reference (asyncio.gather over every host) and ssh-keyscan:
// 1,000 targets, 30% black-holed with iptables DROP, the rest spread over 4 real sshd (default
// MaxStartups 10:30:100) on 127.77.0.{1..4}:22. Wall time and client CPU (user+sys of the client
// process tree, from bash `times`) of each run; sshd's own CPU is not counted.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages, makeTempDir, requireCommand } from '@ops/testkit';
import { startSshd, type Sshd } from '@ops/testkit/sshd';
import { startBlackHole } from '@ops/testkit/ssh-failures';
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

export default async function bench(): Promise<string> {
  await requireCommand('ssh-keyscan', 'openssh-client');
  await ensureDebianPackages(['python3-asyncssh', 'iptables']);
  const loadBefore = loadavg()[0]!;
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
    const inventory = join(dir, 'inventory.txt');
    writeFileSync(inventory, lines.join('\n') + '\n');
    writeFileSync(join(dir, 'keyscan.txt'), lines.map((l) => l.split('@')[1]).join('\n') + '\n');
    const healthy = TARGETS - holes.size;
    const runs: Run[] = [];
    const settle = () => new Promise((r) => setTimeout(r, 1500));

    const countProbe = (stdout: string): Pick<Run, 'healthyOk' | 'holesDown'> & { reasons: string } => {
      const results = stdout.trim().split('\n').map((l) => JSON.parse(l) as { host: string; status: string; reason?: string; stage?: string; latencyMs: number });
      const isHole = (h: string) => h.startsWith('127.66.');
      const reasons = new Map<string, number>();
      for (const r of results) if (r.status !== 'reachable' && !isHole(r.host)) reasons.set(`${r.reason}@${r.stage}`, (reasons.get(`${r.reason}@${r.stage}`) ?? 0) + 1);
      return {
        healthyOk: results.filter((r) => !isHole(r.host) && r.status === 'reachable').length,
        holesDown: results.filter((r) => isHole(r.host) && r.reason === 'timeout' && r.stage === 'connect').length,
        reasons: [...reasons].map(([r, n]) => `${n} ${r}`).join(', '),
      };
    };

    for (const [check, concurrency] of [['auth', 100], ['auth', 50], ['banner', 100]] as const) {
      await settle();
      const m = await measure(`node ${CLI} --inventory ${inventory} --format jsonl --check ${check} --concurrency ${concurrency} --timeout ${TIMEOUT_S}s -i ${key} --no-agent --known-hosts ${join(dir, `kh-${check}-${concurrency}`)} --log-level error`);
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

    await settle();
    const ks = await measure(`ssh-keyscan -T ${TIMEOUT_S} -t ed25519 -f ${join(dir, 'keyscan.txt')}`);
    const keyLines = ks.stdout.split('\n').filter((l) => l.includes('ssh-ed25519'));
    runs.push({ name: `ssh-keyscan -T ${TIMEOUT_S} (banner + kex, no auth)`, wallS: ks.wallS, cpuS: ks.cpuS, healthyOk: keyLines.length, holesDown: NaN, note: 'one ed25519 key line per host answered; no reasons' });

    await settle();
    const exec = await execCpuSection(CLI, join(here, 'ssh-probe-asyncssh.py'), servers[0]!);

    const base = runs[0]!;
    const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
    const rows = runs.map((r) => `| ${r.name} | ${fmt(r.wallS, 1)} | ${fmt(r.cpuS)} | ${fmt((r.cpuS / TARGETS) * 1000)} | ${r.healthyOk ? fmt((r.cpuS / r.healthyOk) * 1000) : 'n/a'} | ${fmt(r.cpuS / base.cpuS)} | ${r.healthyOk}/${healthy} | ${Number.isFinite(r.holesDown) ? `${r.holesDown}/${holes.size}` : 'n/a'} | ${r.note} |`);
    return [
      '## @ops/ssh-probe',
      '',
      machineLine(),
      '',
      `Machine load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after: client, the 4 sshd and anything else running share the cores, so healthy hosts reported \`timeout\` at kex/auth here are sshd starved of CPU within the ${TIMEOUT_S}s timeout (the CLI default is 10s).`,
      '',
      `${TARGETS} targets: ${healthy} healthy on ${SERVERS} OpenSSH sshd (default MaxStartups 10:30:100, loopback, port 22), ${holes.size} black-holed with iptables DROP; timeout ${TIMEOUT_S}s; key authentication unless noted. CPU is the client process tree (user+sys), not sshd.`,
      '',
      '| run | wall s | client CPU s | CPU ms/probe | CPU ms per healthy host reached | CPU vs ssh-probe auth/100 | healthy reported reachable | black holes reported (ssh-probe: timeout@connect) | notes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
      exec,
    ].join('\n');
  } finally {
    await hole.stop();
    await Promise.all(servers.map((s) => s.stop()));
  }
}
