// cgroup limits: v1 on this machine's real cgroupfs (a memory and cpu cgroup the test creates and
// starts the agent in), v2 from a fixture tree under --cgroup-root.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freePort, makeTempDir, startServiceProcess, waitFor } from '@ops/testkit';
import { startAgent } from '@ops/host-metrics';
import { CLI, startAgentProcess } from './run-cli.js';
import { scrape, valueOf } from './scrape.js';

const MiB = 1024 * 1024;
const V1 = '/sys/fs/cgroup';
const v1Available = existsSync(join(V1, 'memory')) && !existsSync(join(V1, 'cgroup.controllers'));

describe('cgroup v1 (the real mount)', () => {
  const name = `/ops-host-metrics-${process.pid}`;
  const dirs = ['memory', 'cpu', 'cpuacct'].map((c) => join(V1, c + name));
  beforeAll(() => {
    // This machine mounts v1: the suite must run where the container story is tested for real.
    expect(v1Available).toBe(true);
    for (const d of dirs) mkdirSync(d);
    writeFileSync(join(V1, 'memory', name, 'memory.limit_in_bytes'), String(256 * MiB));
    writeFileSync(join(V1, 'cpu', name, 'cpu.cfs_period_us'), '100000');
    writeFileSync(join(V1, 'cpu', name, 'cpu.cfs_quota_us'), '50000');
  });
  afterAll(() => {
    for (const d of dirs) if (existsSync(d)) rmdirSync(d);
  });

  test('an agent started inside a 256 MiB, 0.5-core cgroup finds and reports its own limits', async () => {
    const port = await freePort();
    // The shell moves itself into the cgroups, then becomes the agent.
    const join_ = dirs.map((d) => `echo $$ > ${d}/cgroup.procs`).join(' && ');
    const proc = startServiceProcess({ name: 'agent in a cgroup', command: 'sh', args: ['-c', `${join_} && exec "${process.execPath}" "${CLI}" serve --listen 127.0.0.1 --port ${port} --interval 500ms --no-process-metrics`] });
    try {
      const url = `http://127.0.0.1:${port}`;
      const text = await waitFor('cgroup series', async () => {
        const t = await scrape(url).catch(() => '');
        return valueOf(t, `host_cgroup_cpu_usage_ratio{cgroup="${name}"}`) !== undefined ? t : undefined;
      }, { timeoutMs: 20_000, failIf: proc.exited });
      expect(valueOf(text, `host_cgroup_info{cgroup="${name}",version="1"}`)).toBe(1);
      expect(valueOf(text, `host_memory_limit_bytes{cgroup="${name}"}`)).toBe(256 * MiB);
      expect(valueOf(text, `host_cpu_quota_cores{cgroup="${name}"}`)).toBe(0.5);
      const workingSet = valueOf(text, `host_cgroup_memory_working_set_bytes{cgroup="${name}"}`)!;
      // The agent itself lives in the cgroup: some MiB, under the limit.
      expect(workingSet).toBeGreaterThan(5 * MiB);
      expect(workingSet).toBeLessThan(256 * MiB);
      expect(valueOf(text, `host_cgroup_memory_usage_ratio{cgroup="${name}"}`)).toBeCloseTo(workingSet / (256 * MiB), 6);
      expect(valueOf(text, `host_cgroup_cpu_seconds_total{cgroup="${name}"}`)).toBeGreaterThan(0);
      expect(valueOf(text, `host_cgroup_cpu_usage_ratio{cgroup="${name}"}`)).toBeGreaterThanOrEqual(0);
      // The host-wide series stay the host's (unlabelled): a dashboard tells the two apart.
      expect(valueOf(text, 'host_memory_total_bytes')).toBe(Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024);
    } finally {
      await proc.stop(2000);
    }
  });

  test('--cgroup PATH reports another cgroup (the agent outside it)', async () => {
    const a = await startAgentProcess(['--interval', '500ms', '--no-process-metrics', '--cgroup', name, '--cgroup-root', V1]);
    try {
      const text = await waitFor('cgroup limit', async () => {
        const t = await scrape(a.url);
        return valueOf(t, `host_memory_limit_bytes{cgroup="${name}"}`) !== undefined ? t : undefined;
      }, { timeoutMs: 20_000 });
      expect(valueOf(text, `host_memory_limit_bytes{cgroup="${name}"}`)).toBe(256 * MiB);
      // Nobody runs in it.
      expect(valueOf(text, `host_cgroup_memory_working_set_bytes{cgroup="${name}"}`)).toBeLessThan(1 * MiB);
    } finally {
      await a.proc.stop(2000);
    }
  });
});

/** A cgroup v2 tree with one pod cgroup, and a procfs stand-in whose self/cgroup points at it. */
function v2Fixture(memoryMax: string, cpuMax: string): { cgroupRoot: string; procRoot: string; pod: string } {
  const base = makeTempDir('host-metrics-cgroup2-').path;
  const cgroupRoot = join(base, 'cgroup');
  const pod = join(cgroupRoot, 'kubepods/pod1');
  mkdirSync(pod, { recursive: true });
  writeFileSync(join(cgroupRoot, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  writeFileSync(join(pod, 'memory.max'), `${memoryMax}\n`);
  writeFileSync(join(pod, 'memory.current'), `${300 * MiB}\n`);
  writeFileSync(join(pod, 'memory.stat'), `anon ${200 * MiB}\nfile ${100 * MiB}\nactive_file ${40 * MiB}\ninactive_file ${60 * MiB}\n`);
  writeFileSync(join(pod, 'cpu.max'), `${cpuMax}\n`);
  writeFileSync(join(pod, 'cpu.stat'), 'usage_usec 12500000\nuser_usec 10000000\nsystem_usec 2500000\n');
  const procRoot = join(base, 'proc');
  mkdirSync(join(procRoot, 'self'), { recursive: true });
  for (const f of ['stat', 'meminfo', 'loadavg']) writeFileSync(join(procRoot, f), readFileSync(`/proc/${f}`));
  writeFileSync(join(procRoot, 'self/cgroup'), '0::/kubepods/pod1\n');
  return { cgroupRoot, procRoot, pod };
}

describe('cgroup v2 (fixture tree)', () => {
  test('limits from memory.max and cpu.max, the working set without inactive files', async () => {
    const f = v2Fixture(String(512 * MiB), '150000 100000');
    const a = await startAgent({ host: '127.0.0.1', port: 0, interval: '200ms', processMetrics: false, procRoot: f.procRoot, cgroupRoot: f.cgroupRoot });
    try {
      const text = await waitFor('cgroup CPU ratio', async () => {
        const t = await scrape(a.url);
        return valueOf(t, 'host_cgroup_cpu_usage_ratio{cgroup="/kubepods/pod1"}') !== undefined ? t : undefined;
      }, { timeoutMs: 10_000 });
      expect(valueOf(text, 'host_cgroup_info{cgroup="/kubepods/pod1",version="2"}')).toBe(1);
      expect(valueOf(text, 'host_memory_limit_bytes{cgroup="/kubepods/pod1"}')).toBe(512 * MiB);
      expect(valueOf(text, 'host_cpu_quota_cores{cgroup="/kubepods/pod1"}')).toBe(1.5);
      expect(valueOf(text, 'host_cgroup_memory_working_set_bytes{cgroup="/kubepods/pod1"}')).toBe(240 * MiB);
      expect(valueOf(text, 'host_cgroup_memory_usage_ratio{cgroup="/kubepods/pod1"}')).toBeCloseTo(240 / 512, 10);
      expect(valueOf(text, 'host_cgroup_cpu_seconds_total{cgroup="/kubepods/pod1"}')).toBe(12.5);
      // The fixture's counter does not move: no CPU used over the interval.
      expect(valueOf(text, 'host_cgroup_cpu_usage_ratio{cgroup="/kubepods/pod1"}')).toBe(0);
    } finally {
      await a.stop();
    }
  });

  test('"max" means no limit: limits and ratios absent, usage still reported', async () => {
    const f = v2Fixture('max', 'max 100000');
    const a = await startAgent({ host: '127.0.0.1', port: 0, interval: '200ms', processMetrics: false, procRoot: f.procRoot, cgroupRoot: f.cgroupRoot });
    try {
      const text = await waitFor('cgroup series', async () => {
        const t = await scrape(a.url);
        return valueOf(t, 'host_cgroup_memory_working_set_bytes{cgroup="/kubepods/pod1"}') !== undefined ? t : undefined;
      }, { timeoutMs: 10_000 });
      expect(text).not.toMatch(/^host_memory_limit_bytes\{/m);
      expect(text).not.toMatch(/^host_cpu_quota_cores\{/m);
      expect(text).not.toMatch(/^host_cgroup_memory_usage_ratio\{/m);
      expect(text).not.toMatch(/^host_cgroup_cpu_usage_ratio\{/m);
    } finally {
      await a.stop();
    }
  });

  test('a FIFO in the cgroup tree marks the cgroup collector down, not the agent', async () => {
    const f = v2Fixture(String(512 * MiB), 'max 100000');
    rmSync(join(f.pod, 'memory.current'));
    execFileSync('mkfifo', [join(f.pod, 'memory.current')]);
    const a = await startAgent({ host: '127.0.0.1', port: 0, interval: '200ms', processMetrics: false, procRoot: f.procRoot, cgroupRoot: f.cgroupRoot });
    try {
      await waitFor('cgroup down', async () => valueOf(await scrape(a.url), 'host_collector_up{collector="cgroup"}') === 0, { timeoutMs: 10_000 });
      // Not a required collector.
      await waitFor('ready', async () => (await fetch(`${a.url}/readyz`)).status === 200, { timeoutMs: 10_000 });
    } finally {
      await a.stop();
    }
  });
});
