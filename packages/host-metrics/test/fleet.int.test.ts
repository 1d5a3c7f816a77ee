import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { makeTempDir, waitFor, which } from '@ops/testkit';
import { startPrometheus, type StartedPrometheus } from '@ops/testkit/prometheus';
import { runCli, startAgentProcess, type AgentProcess } from './run-cli.js';

// Two agents on two ports, a Prometheus started from the configuration the CLI generates.
let agents: AgentProcess[] = [];
let prometheus: StartedPrometheus;
let dir: string;
let targets: string[];

beforeAll(async () => {
  agents = await Promise.all([startAgentProcess(['--interval', '1s']), startAgentProcess(['--interval', '1s'])]);
  targets = agents.map((a) => `127.0.0.1:${a.port}`);
  dir = makeTempDir().path;
  writeFileSync(join(dir, 'hosts.txt'), `# two agents\n${targets.join('\n')}\n`);
  const generated = await runCli(['prometheus-config', '--inventory', join(dir, 'hosts.txt'), '--agent-interval', '1s', '--rules-file', join(dir, 'fleet.rules.yml'), '--output', join(dir, 'prometheus.yml')]);
  expect(generated).toMatchObject({ code: 0 });
  prometheus = await startPrometheus({ configFile: join(dir, 'prometheus.yml') });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(agents.map((a) => a.proc.stop()));
});

test('promtool accepts the generated config and rules', async () => {
  const promtool = which('promtool');
  // Debian's prometheus package ships promtool; the launcher installed it.
  expect(promtool).toBeDefined();
  const { stdout } = await promisify(execFile)(promtool!, ['check', 'config', join(dir, 'prometheus.yml')]);
  expect(stdout).toContain('1 rule files found');
});

test('Prometheus scrapes both agents: up, CPU and memory ratio for each', async () => {
  await waitFor('both agents up with a CPU ratio', async () => {
    const cpu = await prometheus.query('host_cpu_usage_ratio{job="host-metrics"}');
    return cpu.length === 2 ? cpu : undefined;
  }, { timeoutMs: 30_000, intervalMs: 250 });
  const up = await prometheus.query('up{job="host-metrics"}');
  expect(up.map((s) => [s.metric.instance, s.value]).sort()).toEqual(targets.map((t) => [t, 1]).sort());
  const cpu = await prometheus.query('host_cpu_usage_ratio');
  expect(cpu.map((s) => s.metric.instance).sort()).toEqual([...targets].sort());
  for (const s of cpu) {
    expect(s.value).toBeGreaterThanOrEqual(0);
    expect(s.value).toBeLessThanOrEqual(1);
  }
  const memory = await prometheus.query('host_memory_usage_ratio');
  expect(memory).toHaveLength(2);
  const health = await prometheus.targets();
  expect(health.map((t) => t.health)).toEqual(['up', 'up']);
});

test('recording rules are evaluated: fleet aggregates', async () => {
  const hostsUp = await waitFor('fleet:hosts_up:count = 2', async () => {
    const r = await prometheus.query('fleet:hosts_up:count');
    return r[0]?.value === 2 ? r : undefined;
  }, { timeoutMs: 30_000, intervalMs: 250 });
  expect(hostsUp).toHaveLength(1);
  const avg = await waitFor('fleet CPU average', async () => (await prometheus.query('fleet:host_cpu_usage_ratio:avg'))[0], { timeoutMs: 30_000, intervalMs: 250 });
  expect(avg.value).toBeGreaterThanOrEqual(0);
  expect(avg.value).toBeLessThanOrEqual(1);
  const memMax = await waitFor('fleet memory max', async () => (await prometheus.query('fleet:host_memory_usage_ratio:max'))[0], { timeoutMs: 30_000, intervalMs: 250 });
  expect(memMax.value).toBeGreaterThan(0);
  const above = await prometheus.query('fleet:hosts_memory_above_threshold:count');
  expect(above).toHaveLength(1);
  expect(readFileSync(join(dir, 'prometheus.yml'), 'utf8')).toContain(join(dir, 'fleet.rules.yml'));
});

test('top prints both hosts (table and JSON)', async () => {
  await waitFor('CPU for both', async () => (await prometheus.query('host_cpu_usage_ratio')).length === 2, { timeoutMs: 30_000 });
  const table = await runCli(['top', '--prometheus', prometheus.url]);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^HOST\s+STATUS\s+CPU\s+MEMORY/);
  for (const t of targets) expect(table.stdout).toMatch(new RegExp(`${t.replace(/\./g, '\\.')}\\s+up\\s+\\d+\\.\\d%\\s+\\d+\\.\\d%`));
  expect(table.stdout).toContain('2 hosts, 2 up, 0 down');

  const json = await runCli(['top', '--prometheus', prometheus.url, '--format', 'json']);
  expect(json.code).toBe(0);
  const rows = JSON.parse(json.stdout) as Array<{ instance: string; up: boolean; cpu: number; memory: number }>;
  expect(rows.map((r) => r.instance).sort()).toEqual([...targets].sort());
  expect(rows.every((r) => r.up && r.cpu >= 0 && r.memory > 0)).toBe(true);
});

test('the scrape interval defaults to the agent interval', () => {
  const config = readFileSync(join(dir, 'prometheus.yml'), 'utf8');
  expect(config).toContain('scrape_interval: 1s');
  expect(config).toContain('evaluation_interval: 1s');
});

test('an agent stops: HostDown fires within two scrape intervals, top exits 1', async () => {
  const intervalS = 1;
  await agents[1]!.proc.stop();
  const stoppedAt = Date.now() / 1000;
  type Alert = { labels: Record<string, string>; state: string; activeAt: string };
  const alert = await waitFor('HostDown firing', async () => {
    const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
    return body.data.alerts.find((a) => a.labels.alertname === 'HostDown' && a.labels.instance === targets[1] && a.state === 'firing');
  }, { timeoutMs: 30_000, intervalMs: 100 });
  // Prometheus's own timestamps: the first failed scrape comes within one interval, the rule
  // evaluation that sees it within the next. The agent that still runs raises nothing.
  expect(Date.parse(alert.activeAt) / 1000 - stoppedAt).toBeLessThanOrEqual(2 * intervalS);
  expect(alert.labels).toMatchObject({ job: 'host-metrics', severity: 'critical' });
  const all = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
  expect(all.data.alerts.filter((a) => a.labels.instance === targets[0] && a.labels.alertname === 'HostDown')).toEqual([]);

  await waitFor('second agent down in Prometheus', async () => (await prometheus.query(`up{instance="${targets[1]}"}`))[0]?.value === 0, { timeoutMs: 30_000, intervalMs: 250 });
  const down = await runCli(['top', '--prometheus', prometheus.url]);
  expect(down.code).toBe(1);
  expect(down.stdout).toMatch(new RegExp(`${targets[1]!.replace(/\./g, '\\.')}\\s+DOWN`));
  expect(down.stdout).toContain('2 hosts, 1 up, 1 down');
});

test('top --watch refreshes until SIGTERM', async () => {
  const { spawn } = await import('node:child_process');
  const { CLI } = await import('./run-cli.js');
  const child = spawn(process.execPath, [CLI, 'top', '--prometheus', prometheus.url, '--watch', '--interval', '300ms'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor('two refreshes', () => (out.match(/^HOST/gm) ?? []).length >= 2, { timeoutMs: 20_000 });
  const code = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  child.kill('SIGTERM');
  expect(await code).toBe(0);
  expect(out).toContain(targets[0]!);
});

test('file_sd: Prometheus discovers the targets from the file the CLI writes', async () => {
  const sd = makeTempDir().path;
  writeFileSync(join(sd, 'hosts.txt'), `${targets[0]}\n`);
  const generated = await runCli(['prometheus-config', '--inventory', join(sd, 'hosts.txt'), '--scrape-interval', '1s', '--file-sd', join(sd, 'targets.json'), '--job', 'sd', '--output', join(sd, 'prometheus.yml')]);
  expect(generated.code).toBe(0);
  const second = await startPrometheus({ configFile: join(sd, 'prometheus.yml') });
  try {
    const up = await waitFor('file_sd target up', async () => {
      const r = await second.query('up{job="sd"}');
      return r[0]?.value === 1 ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect(up[0]!.metric.instance).toBe(targets[0]);
  } finally {
    await second.stop();
  }
});
