import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { waitFor, which } from '@ops/testkit';
import { createCollector, createMetricsServer, startAgent, type Agent, type HostCollector } from '@ops/host-metrics';
import { scrape, scrapeWhenUp, seriesOf, valueOf } from './scrape.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function agent(options: Parameters<typeof startAgent>[0] = {}): Promise<Agent> {
  const a = await startAgent({ port: 0, host: '127.0.0.1', ...options });
  cleanups.push(() => a.stop());
  await waitFor('agent ready', async () => (await fetch(`${a.url}/readyz`)).status === 200, { timeoutMs: 10_000 });
  return a;
}

describe('one agent, scraped over HTTP', () => {
  let a: Agent;
  beforeAll(async () => {
    // 1s (a timeout of 1s) so a loaded CI machine does not push a collector past its deadline.
    a = await startAgent({ port: 0, host: '127.0.0.1', interval: '1s', disk: true, network: true });
    await waitFor('two samples', async () => valueOf(await scrape(a.url), 'host_cpu_usage_ratio') !== undefined, { timeoutMs: 10_000 });
  });
  afterAll(() => a.stop());

  test('serves the relied-on metric names with their types', async () => {
    const res = await fetch(`${a.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const [name, type] of [
      ['host_cpu_usage_ratio', 'gauge'],
      ['host_cpu_core_usage_ratio', 'gauge'],
      ['host_cpu_seconds_total', 'counter'],
      ['host_memory_total_bytes', 'gauge'],
      ['host_memory_available_bytes', 'gauge'],
      ['host_memory_usage_ratio', 'gauge'],
      ['host_swap_total_bytes', 'gauge'],
      ['host_load1', 'gauge'],
      ['host_load15', 'gauge'],
      ['host_metrics_collect_errors_total', 'counter'],
      ['host_metrics_last_sample_timestamp_seconds', 'gauge'],
      ['host_filesystem_size_bytes', 'gauge'],
      ['host_network_receive_bytes_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['process_cpu_seconds_total', 'counter'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    // No static host label: the scrape adds instance and job.
    expect(text).not.toMatch(/host_cpu_usage_ratio\{/);
  });

  test('promtool check metrics accepts the default exposition (process metrics included)', async () => {
    const text = await scrapeWhenUp(a.url);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('host_metrics_build_info{version="');
    const promtool = which('promtool');
    expect(promtool).toBeDefined();
    const result = spawnSync(promtool!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: result.status, problems: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, problems: '' });
  });

  test('memory total equals MemTotal of /proc/meminfo, usage is 1 - available/total', async () => {
    const memTotalKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
    const text = await scrapeWhenUp(a.url);
    const total = valueOf(text, 'host_memory_total_bytes')!;
    const available = valueOf(text, 'host_memory_available_bytes')!;
    expect(total).toBe(memTotalKb * 1024);
    expect(available).toBeGreaterThan(0);
    expect(available).toBeLessThanOrEqual(total);
    expect(valueOf(text, 'host_memory_usage_ratio')).toBeCloseTo(1 - available / total, 10);
  });

  test('per-core ratios and per-mode seconds for every core of /proc/stat', async () => {
    const cores = readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
    const text = await scrapeWhenUp(a.url);
    expect(seriesOf(text, 'host_cpu_core_usage_ratio')).toHaveLength(cores);
    expect(seriesOf(text, 'host_cpu_seconds_total')).toHaveLength(cores * 8);
    for (const mode of ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal']) {
      expect(valueOf(text, `host_cpu_seconds_total{cpu="0",mode="${mode}"}`)).toBeGreaterThanOrEqual(0);
    }
    const ratio = valueOf(text, 'host_cpu_usage_ratio')!;
    expect(ratio).toBeGreaterThanOrEqual(0);
    expect(ratio).toBeLessThanOrEqual(1);
  });

  test('the last-sample timestamp moves with the sampler, not with scrapes', async () => {
    const first = valueOf(await scrape(a.url), 'host_metrics_last_sample_timestamp_seconds')!;
    expect(first).toBeGreaterThan(Date.now() / 1000 - 60);
    await waitFor('a newer sample', async () => valueOf(await scrape(a.url), 'host_metrics_last_sample_timestamp_seconds')! > first, { timeoutMs: 10_000 });
  });

  test('healthz, readyz, 404 and 405', async () => {
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    await scrapeWhenUp(a.url);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${a.url}/nope`)).status).toBe(404);
    expect((await fetch(`${a.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

test('/readyz answers 503 until the first sample, then 200', async () => {
  const collector = createCollector({ interval: '5s', processMetrics: false });
  const server = await createMetricsServer({ registry: collector.registry, port: 0, host: '127.0.0.1', isReady: collector.isReady, generation: collector.sampleCount });
  cleanups.push(() => server.close());
  expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
  // Before a sample, no made-up zeros: the series are absent.
  const before = await scrape(server.url);
  expect(valueOf(before, 'host_memory_total_bytes')).toBeUndefined();
  expect(valueOf(before, 'host_metrics_last_sample_timestamp_seconds')).toBeUndefined();
  await collector.sampleOnce();
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  const after = await scrape(server.url);
  expect(valueOf(after, 'host_memory_total_bytes')).toBeGreaterThan(0);
  // One sample gives no CPU interval yet.
  expect(valueOf(after, 'host_cpu_usage_ratio')).toBeUndefined();
});

/** Seconds all CPUs spent busy (every mode but idle and iowait) by the agent's counters. */
function busySeconds(text: string): number {
  return text.split('\n').filter((l) => l.startsWith('host_cpu_seconds_total{') && !/mode="(idle|iowait)"/.test(l)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

test('CPU usage follows a load the test creates', async () => {
  const a = await agent({ interval: '500ms', processMetrics: false });
  const read = async () => valueOf(await scrapeWhenUp(a.url, ['cpu']), 'host_cpu_usage_ratio');
  const sampledAt = async () => valueOf(await scrape(a.url), 'host_metrics_last_sample_timestamp_seconds') ?? 0;
  await waitFor('a CPU ratio', async () => (await read()) !== undefined, { timeoutMs: 10_000 });
  // Idle reading: the lowest of a few samples (other work on the machine only adds to it).
  let idle = 1;
  for (let i = 0; i < 6; i++) {
    idle = Math.min(idle, (await read()) ?? 1);
    await new Promise((r) => setTimeout(r, 510));
  }
  const busyBefore = busySeconds(await scrapeWhenUp(a.url, ['cpu']));
  const cpuBefore = process.cpuUsage();
  // One busy-looping thread per core.
  const workers = Array.from({ length: cpus().length }, () => new Worker('const end = Date.now() + 60000; while (Date.now() < end) {}', { eval: true }));
  let loaded: number;
  try {
    const target = Math.min(idle + 0.3, 0.95);
    loaded = await waitFor(`CPU ratio at least ${target.toFixed(2)} (idle ${idle.toFixed(2)})`, async () => {
      const r = await read();
      return r !== undefined && r >= target ? r : undefined;
    }, { timeoutMs: 20_000, intervalMs: 100 });
    // Keep the load until this process burnt a clear amount of CPU (several sample intervals' worth).
    await waitFor('1.5 CPU seconds of load', () => {
      const used = process.cpuUsage(cpuBefore);
      return used.user + used.system >= 1.5e6;
    }, { timeoutMs: 40_000, intervalMs: 100 });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const ourSeconds = (cpu.user + cpu.system) / 1e6;
  const stoppedAt = Date.now() / 1000;
  await waitFor('a sample after the load', async () => (await sampledAt()) > stoppedAt, { timeoutMs: 10_000 });
  const busyDelta = busySeconds(await scrapeWhenUp(a.url, ['cpu'])) - busyBefore;

  expect(loaded).toBeGreaterThanOrEqual(Math.min(idle + 0.3, 0.95));
  // Whatever else runs on the machine, the host was busy at least as long as this process was
  // (10ms USER_HZ ticks per core make the counters slightly coarse).
  expect(ourSeconds).toBeGreaterThanOrEqual(1.5);
  expect(busyDelta).toBeGreaterThanOrEqual(ourSeconds * 0.9);
  // Less than the whole machine could have been over the time since the baseline scrape (sanity).
  expect(busyDelta).toBeLessThanOrEqual(cpus().length * 60);
});

test('a failing collector and a stuck one count errors; the rest keeps serving', async () => {
  const broken = (): HostCollector => ({ name: 'broken', collect: () => Promise.reject(new Error('sensor unplugged')) });
  const stuck = (): HostCollector => ({ name: 'stuck', collect: () => new Promise<void>(() => undefined) });
  const errors: string[] = [];
  const a = await agent({ interval: '1s', collectorTimeout: '500ms', collectors: [broken, stuck], onError: (name) => errors.push(name) });
  const text = await waitFor('errors counted for both', async () => {
    const t = await scrape(a.url);
    return (valueOf(t, 'host_metrics_collect_errors_total{collector="broken"}') ?? 0) >= 2 && (valueOf(t, 'host_metrics_collect_errors_total{collector="stuck"}') ?? 0) >= 2 ? t : undefined;
  }, { timeoutMs: 10_000 });
  expect(valueOf(text, 'host_metrics_collect_errors_total{collector="cpu"}')).toBe(0);
  expect(valueOf(text, 'host_metrics_collect_errors_total{collector="memory"}')).toBe(0);
  expect(valueOf(text, 'host_memory_total_bytes')).toBeGreaterThan(0);
  expect(valueOf(text, 'host_cpu_usage_ratio')).toBeGreaterThanOrEqual(0);
  expect(errors).toEqual(expect.arrayContaining(['broken', 'stuck']));
  expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
});

test('stop() does not wait for a collector that ignores its signal', async () => {
  let called = false;
  const stuck = (): HostCollector => ({ name: 'stuck', collect: () => ((called = true), new Promise<void>(() => undefined)) });
  const collector = createCollector({ interval: '60s', collectorTimeout: '50s', processMetrics: false, collectors: [stuck] });
  collector.start();
  await waitFor('the stuck collector running', () => called);
  // Would hang for the 50s timeout (past the test timeout) if stop() waited for it.
  await collector.stop();
  expect(collector.isReady()).toBe(false);
});

test('a port in use fails with METRICS_LISTEN_FAILED', async () => {
  const first = await agent({ processMetrics: false });
  await expect(startAgent({ port: first.port, host: '127.0.0.1', processMetrics: false })).rejects.toMatchObject({ code: 'METRICS_LISTEN_FAILED', exitCode: 3 });
});

test.each([
  [{ interval: '50ms' }, /`interval` to be at least 100ms/],
  [{ interval: 'soon' }, /`interval` to be a duration/],
  [{ port: -1 }, /`port` to be an integer/],
])('rejects %j naming the option', async (options, message) => {
  await expect(startAgent({ host: '127.0.0.1', processMetrics: false, ...options })).rejects.toThrow(message);
});
