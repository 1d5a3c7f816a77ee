// Faults a collector meets on a real host, reproduced with files under --proc-root and a PATH
// whose df never answers: the agent must mark the collector down, drop its series, turn /readyz
// 503 for a required one, recover by itself and still exit on SIGTERM.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { afterEach, expect, test } from '@jest/globals';
import { makeTempDir, waitFor } from '@ops/testkit';
import { startAgentProcess, type AgentProcess } from './run-cli.js';
import { scrape, seriesOf, valueOf } from './scrape.js';

const agents: AgentProcess[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.proc.stop(1000);
});

/** A copy of the procfs files the agent reads, with `meminfo` replaced by a FIFO nobody writes. */
function procWithFifo(): { root: string; restore: () => void; breakAgain: () => void } {
  const root = join(makeTempDir('host-metrics-proc-').path, 'proc');
  mkdirSync(root);
  // copyFileSync would copy 0 bytes: procfs files report a size of 0.
  for (const f of ['stat', 'loadavg']) writeFileSync(join(root, f), readFileSync(`/proc/${f}`));
  const meminfo = join(root, 'meminfo');
  const fifo = () => execFileSync('mkfifo', [meminfo]);
  fifo();
  return {
    root,
    restore: () => {
      rmSync(meminfo);
      writeFileSync(meminfo, readFileSync('/proc/meminfo'));
    },
    breakAgain: () => {
      rmSync(meminfo);
      fifo();
    },
  };
}

/** Waits for the process to exit by itself (a clean stop: 0); fails if it is still alive after 5 s. */
async function exitsWithin5s(a: AgentProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => a.proc.child.once('exit', (code) => resolve(code)));
  a.proc.child.kill(signal);
  const timeout = new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), 5000).unref());
  const result = await Promise.race([exited, timeout]);
  expect(result).not.toBe('alive');
  return result as number | null;
}

test('meminfo as a FIFO: memory down and absent, /readyz 503; restored: back by itself; SIGTERM exits', async () => {
  const proc = procWithFifo();
  const a = await startAgentProcess(['--proc-root', proc.root, '--interval', '300ms', '--no-process-metrics'], { ready: false });
  agents.push(a);
  const down = await waitFor('memory collector down', async () => {
    const t = await scrape(a.url);
    return valueOf(t, 'host_collector_up{collector="memory"}') === 0 && valueOf(t, 'host_collector_up{collector="cpu"}') === 1 ? t : undefined;
  }, { timeoutMs: 10_000 });
  // No frozen or made-up memory values; the other collectors still serve.
  expect(down).not.toMatch(/^host_memory_/m);
  expect(down).not.toMatch(/^host_swap_/m);
  expect(valueOf(down, 'host_cpu_cores')).toBeGreaterThan(0);
  expect(valueOf(down, 'host_collector_last_success_timestamp_seconds{collector="memory"}')).toBeUndefined();
  expect(valueOf(down, 'host_metrics_collect_errors_total{collector="memory"}')).toBeGreaterThan(0);
  const readyz = await fetch(`${a.url}/readyz`);
  expect(readyz.status).toBe(503);
  expect(await readyz.text()).toContain('memory');
  expect(a.proc.output()).toContain('is not a regular file (a FIFO)');

  proc.restore();
  const up = await waitFor('memory collector back', async () => {
    const t = await scrape(a.url);
    return valueOf(t, 'host_collector_up{collector="memory"}') === 1 ? t : undefined;
  }, { timeoutMs: 10_000 });
  expect(valueOf(up, 'host_memory_total_bytes')).toBe(Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024);
  expect(valueOf(up, 'host_collector_last_success_timestamp_seconds{collector="memory"}')).toBeGreaterThan(Date.now() / 1000 - 60);
  expect((await fetch(`${a.url}/readyz`)).status).toBe(200);

  proc.breakAgain();
  await waitFor('memory collector down again', async () => valueOf(await scrape(a.url), 'host_collector_up{collector="memory"}') === 0, { timeoutMs: 10_000 });
  expect(await exitsWithin5s(a, 'SIGTERM')).toBe(0);
});

test('SIGINT exits while a FIFO has a writer that never writes', async () => {
  const proc = procWithFifo();
  // A writer holding the FIFO open (once a reader came): a blocking read would wait for good.
  const writer = spawn('sh', ['-c', `exec sleep 600 > '${join(proc.root, 'meminfo')}'`], { stdio: 'ignore' });
  try {
    const a = await startAgentProcess(['--proc-root', proc.root, '--interval', '200ms', '--no-process-metrics'], { ready: false });
    agents.push(a);
    await waitFor('memory collector down', async () => valueOf(await scrape(a.url), 'host_collector_up{collector="memory"}') === 0, { timeoutMs: 10_000 });
    expect(await exitsWithin5s(a, 'SIGINT')).toBe(0);
  } finally {
    writer.kill('SIGKILL');
  }
});

test('--disk with a df that never answers (a hung NFS mount): disk down, df killed, SIGTERM exits', async () => {
  const bin = makeTempDir('host-metrics-bin-').path;
  const pidFile = join(bin, 'df.pid');
  // Stands in for statfs() on a hung mount: df hangs; the agent must kill it at the deadline.
  writeFileSync(join(bin, 'df'), `#!/bin/sh\necho $$ >> '${pidFile}'\nexec sleep 600\n`);
  chmodSync(join(bin, 'df'), 0o755);
  const a = await startAgentProcess(['--disk', '--interval', '400ms', '--collector-timeout', '200ms', '--no-process-metrics'], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  agents.push(a);
  const text = await waitFor('disk collector down', async () => {
    const t = await scrape(a.url);
    return valueOf(t, 'host_collector_up{collector="disk"}') === 0 ? t : undefined;
  }, { timeoutMs: 10_000 });
  expect(seriesOf(text, 'host_filesystem_size_bytes')).toEqual([]);
  // Not required: the agent stays ready.
  expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
  const first = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  await waitFor('the first df killed', () => !isAlive(first), { timeoutMs: 5000 });
  expect(await exitsWithin5s(a, 'SIGTERM')).toBe(0);
  for (const pid of readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)) {
    await waitFor(`df ${pid} gone`, () => !isAlive(pid), { timeoutMs: 5000 });
  }
});

function isAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}
