// Client CPU per `--check exec` probe: ssh-probe beside the seed's asyncssh loop
// (ssh-probe-asyncssh.py, connect + key auth) and OpenSSH's `ssh -o BatchMode=yes HOST true`, all
// against one loopback sshd in the same run, 10 at a time. Each tool runs N=100 and N=300 probes:
// the difference over 200 is the CPU of one more probe, without the process start-up.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '@ops/testkit';
import type { Sshd } from '@ops/testkit/sshd';

const run = promisify(execFile);

/** Runs `command` under bash; returns wall time, the children's CPU (bash `times`) and stdout. */
export async function measure(command: string): Promise<{ wallS: number; cpuS: number; stdout: string; stderrPath: string }> {
  const dir = makeTempDir('bench-ssh-out-').path;
  const out = join(dir, 'stdout');
  const started = performance.now();
  const { stdout } = await run('bash', ['-c', `${command} >${out} 2>${join(dir, 'stderr')}; times`], { maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
  const wallS = (performance.now() - started) / 1000;
  const children = stdout.trim().split('\n').at(-1)!.split(/\s+/).map((t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m[1]) * 60 + Number(m[2]);
  });
  return { wallS, cpuS: children[0]! + children[1]!, stdout: readFileSync(out, 'utf8'), stderrPath: join(dir, 'stderr') };
}

interface Tool {
  readonly name: string;
  /** The command for `n` probes; `ok(stdout)` counts the successes. */
  command(n: number): string;
  ok(stdout: string): number;
  /** The anchor the ratios are taken against. */
  readonly anchor?: boolean;
}

/**
 * Client CPU per `--check exec` probe. The sshd runs the command as a throwaway user whose shell is
 * /bin/sh (testkit's password user; the key is authorized for it too): root's bash would read
 * ~/.bashrc on every ssh command, and this machine's runs `pyenv init`, which can hang on pyenv's
 * rehash lock (a first run here had 8 of 100 commands, OpenSSH's and ours alike, stuck that way).
 */
export async function execCpuSection(cli: string, asyncsshScript: string, server: Sshd): Promise<string> {
  const dir = makeTempDir('bench-ssh-exec-').path;
  const CONCURRENCY = 10;
  const files = (n: number) => {
    // distinct entries (repeated inventory lines are probed once)
    const ini = join(dir, `inv-${n}.ini`);
    writeFileSync(ini, Array.from({ length: n }, (_, i) => `h${i} ansible_host=${server.host} ansible_port=${server.port} ansible_user=${server.user}`).join('\n') + '\n');
    const lines = join(dir, `lines-${n}.txt`);
    writeFileSync(lines, Array.from({ length: n }, () => `${server.user}@${server.host}:${server.port}`).join('\n') + '\n');
    const hosts = join(dir, `hosts-${n}.txt`);
    writeFileSync(hosts, Array.from({ length: n }, () => `${server.user}@${server.host}`).join('\n') + '\n');
    return { ini, lines, hosts };
  };
  const asyncsshOk = (stdout: string) => (JSON.parse(stdout) as { reachable: number }).reachable;
  const tools: Tool[] = [
    {
      name: `ssh-probe --check exec --concurrency ${CONCURRENCY}`,
      command: (n) => `node ${cli} --inventory ${files(n).ini} --check exec --format jsonl --concurrency ${CONCURRENCY} -F none --no-agent -i ${server.userKeyPath} --strict-host-key no --timeout 30s --log-level error`,
      ok: (stdout) => stdout.split('\n').filter((l) => l.includes('"reachable"')).length,
    },
    {
      name: `asyncssh loop (seed script, Semaphore(${CONCURRENCY}); connect + auth, no command)`,
      command: (n) => `/usr/bin/python3 ${asyncsshScript} ${files(n).lines} ${server.userKeyPath} 30 ${CONCURRENCY}`,
      ok: asyncsshOk,
      anchor: true,
    },
    {
      name: `asyncssh loop + conn.run('true') (same work as --check exec)`,
      command: (n) => `/usr/bin/python3 ${asyncsshScript} ${files(n).lines} ${server.userKeyPath} 30 ${CONCURRENCY} true`,
      ok: asyncsshOk,
    },
    {
      name: `ssh -o BatchMode=yes HOST true (xargs -P ${CONCURRENCY})`,
      command: (n) => `xargs -P ${CONCURRENCY} -I{} sh -c 'ssh -F none -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=30 -i ${server.userKeyPath} -p ${server.port} {} true && echo ok' < ${files(n).hosts}`,
      ok: (stdout) => stdout.split('\n').filter((l) => l === 'ok').length,
    },
  ];
  const measured: Array<{ tool: Tool; small: number; large: number; perProbeMs: number; ok: string }> = [];
  for (const tool of tools) {
    const small = await measure(tool.command(100));
    const large = await measure(tool.command(300));
    measured.push({ tool, small: small.cpuS, large: large.cpuS, perProbeMs: ((large.cpuS - small.cpuS) / 200) * 1000, ok: `${tool.ok(small.stdout)}/100, ${tool.ok(large.stdout)}/300` });
  }
  const anchor = measured.find((m) => m.tool.anchor)!.perProbeMs;
  const exec = measured.find((m) => m.tool.name.startsWith("asyncssh loop + conn.run"))!.perProbeMs;
  const table = measured.map((m) => `| ${m.tool.name} | ${m.small.toFixed(2)} | ${m.large.toFixed(2)} | ${m.perProbeMs.toFixed(2)} | ${m.ok} | ${(m.perProbeMs / anchor).toFixed(2)} | ${(m.perProbeMs / exec).toFixed(2)} |`);
  return [
    '### Client CPU per `--check exec` probe',
    '',
    `One loopback sshd (default config), ${CONCURRENCY} probes at a time, each tool run with 100 and 300 probes; CPU is user+sys of the client process tree. "per probe" = (CPU at 300 - CPU at 100) / 200: one more probe, without the start-up of the process.`,
    '',
    '| client | CPU s, 100 probes | CPU s, 300 probes | CPU ms per probe | succeeded | per probe vs asyncssh loop (auth) | per probe vs asyncssh + run |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table,
    '',
  ].join('\n');
}
