import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onCleanup } from './cleanup.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';
import { requireCommand } from './which.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

export interface NetnsOptions {
  /** /etc/netns/<name>/resolv.conf (bind-mounted on /etc/resolv.conf by `ip netns exec`). Defaults to none (the host's). */
  readonly resolvConf?: string;
  /** /etc/netns/<name>/hosts. Defaults to none (the host's /etc/hosts). */
  readonly hosts?: string;
}

export interface Netns {
  readonly name: string;
  /** `['ip', 'netns', 'exec', name]`: prefix of a command run inside the namespace. */
  readonly exec: readonly [string, ...string[]];
  /** Runs a command in the namespace and resolves to its stdout. */
  run(command: string, args: readonly string[]): Promise<string>;
  /** Deletes the namespace and its /etc/netns directory (also at process exit). */
  stop(): Promise<void>;
}

/**
 * Creates a network namespace with only `lo` (up: 127.0.0.0/8 and ::1), so tests can run a DNS
 * server on port 53 and give the namespace its own resolv.conf and hosts without touching the
 * machine's. As root; installs iproute2 when missing.
 */
export async function startNetns(options: NetnsOptions = {}): Promise<Netns> {
  const ip = await requireCommand('ip', 'iproute2');
  const name = `ops-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const etc = join('/etc/netns', name);
  await run(ip, ['netns', 'add', name]);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      execFileSync(ip, ['netns', 'delete', name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(etc, { recursive: true, force: true });
  };
  const unregister = onCleanup(remove);
  await run(ip, ['-n', name, 'link', 'set', 'lo', 'up']);
  if (options.resolvConf !== undefined || options.hosts !== undefined) {
    mkdirSync(etc, { recursive: true });
    if (options.resolvConf !== undefined) writeFileSync(join(etc, 'resolv.conf'), options.resolvConf);
    if (options.hosts !== undefined) writeFileSync(join(etc, 'hosts'), options.hosts);
  }
  const exec: readonly [string, ...string[]] = [ip, 'netns', 'exec', name];
  return {
    name,
    exec,
    async run(command, args) {
      const { stdout } = await run(exec[0], [...exec.slice(1), command, ...args]);
      return stdout;
    },
    async stop() {
      unregister();
      remove();
    },
  };
}

export interface Dnsmasq {
  readonly process: ServiceProcess;
  stop(): Promise<void>;
}

/**
 * Runs dnsmasq (Debian dnsmasq-base) in `netns` on 127.0.0.1:53 as an authoritative-only resolver:
 * no upstream servers, no /etc/hosts; `records` maps full names to addresses (`--host-record`).
 */
export async function startDnsmasq(netns: Netns, records: Readonly<Record<string, string>>): Promise<Dnsmasq> {
  const dnsmasq = await requireCommand('dnsmasq', 'dnsmasq-base');
  const args = [
    '--keep-in-foreground', '--log-facility=-', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces',
    '--listen-address=127.0.0.1', '--port=53', '--user=root', '--pid-file=', '--log-queries', '--domain-needed',
    ...Object.keys(records).map((host) => `--local=/${host.split('.').slice(1).join('.')}/`),
    ...Object.entries(records).map(([host, address]) => `--host-record=${host},${address}`),
  ];
  const proc = startServiceProcess({ name: 'dnsmasq', command: netns.exec[0], args: [...netns.exec.slice(1), dnsmasq, ...args] });
  await waitFor('dnsmasq in its namespace', () => proc.output().includes('started, version'), { timeoutMs: 20_000, failIf: proc.exited });
  return { process: proc, stop: () => proc.stop() };
}
