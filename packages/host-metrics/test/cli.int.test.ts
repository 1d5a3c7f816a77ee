import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { freePort, makeTempDir } from '@ops/testkit';
import { parse } from 'yaml';
import { runCli, startAgentProcess } from './run-cli.js';
import { scrape, valueOf } from './scrape.js';

test('serve: scraped over HTTP, then exits 0 on SIGTERM', async () => {
  const agent = await startAgentProcess(['--interval', '300ms']);
  try {
    const text = await scrape(agent.url);
    expect(valueOf(text, 'host_memory_total_bytes')).toBeGreaterThan(0);
    expect(valueOf(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect((await fetch(`${agent.url}/healthz`)).status).toBe(200);
  } finally {
    const exited = new Promise<number | null>((resolve) => agent.proc.child.once('exit', (code) => resolve(code)));
    agent.proc.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  expect(agent.proc.output()).toContain('stopped');
});

test('serve: a port in use exits 3 naming the port', async () => {
  const agent = await startAgentProcess();
  try {
    const result = await runCli(['serve', '--listen', '127.0.0.1', '--port', String(agent.port)]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${agent.port}: EADDRINUSE`);
  } finally {
    await agent.proc.stop();
  }
});

test('prometheus-config: prints a config, writes file_sd targets and rules', async () => {
  const dir = makeTempDir().path;
  writeFileSync(join(dir, 'hosts.txt'), '# fleet\nweb-1\nweb-2:9200\n');
  const result = await runCli(['prometheus-config', '--inventory', join(dir, 'hosts.txt'), '--file-sd', join(dir, 'targets.json'), '--rules-file', join(dir, 'rules.yml'), '--scrape-interval', '5s']);
  expect(result.code).toBe(0);
  const config = parse(result.stdout);
  expect(config.rule_files).toEqual([join(dir, 'rules.yml')]);
  expect(config.scrape_configs[0].file_sd_configs[0].files).toEqual([join(dir, 'targets.json')]);
  expect(config.global.scrape_interval).toBe('5s');
  const { readFileSync } = await import('node:fs');
  expect(JSON.parse(readFileSync(join(dir, 'targets.json'), 'utf8'))).toEqual([{ targets: ['web-1:9100', 'web-2:9200'], labels: {} }]);
  expect(readFileSync(join(dir, 'rules.yml'), 'utf8')).toContain('record: fleet:host_cpu_usage_ratio:avg');
});

test.each([
  ['no command', 2, [], /Usage: host-metrics <command>/],
  ['unknown command', 2, ['frobnicate'], /unknown command "frobnicate"/],
  ['unknown flag', 2, ['serve', '--bogus'], /bogus/],
  ['bad interval', 2, ['serve', '--interval', 'soon', '--port', '0'], /`--interval` to be a duration/],
  ['too short interval', 2, ['serve', '--interval', '10ms', '--port', '0'], /`interval` to be at least 100ms/],
  ['missing inventory flag', 2, ['prometheus-config'], /--inventory. is required/],
  ['missing inventory file', 2, ['prometheus-config', '--inventory', '/nonexistent/hosts.txt'], /cannot read the inventory .*ENOENT/],
  ['missing --prometheus', 2, ['top'], /--prometheus. is required/],
  ['bad --prometheus', 2, ['top', '--prometheus', 'ftp://x'], /http\(s\) URL/],
  ['bad --format', 2, ['top', '--prometheus', 'http://127.0.0.1:1', '--format', 'xml'], /--format/],
])('%s exits %d', async (_name, code, args, message) => {
  const result = await runCli(args);
  expect(result.code).toBe(code);
  expect(result.stdout + result.stderr).toMatch(message);
});

test('an invalid inventory line exits 2 naming the line', async () => {
  const dir = makeTempDir().path;
  writeFileSync(join(dir, 'hosts.txt'), 'web-1\nhttp://web-2\n');
  const result = await runCli(['prometheus-config', '--inventory', join(dir, 'hosts.txt')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('line 2: expected host[:port], got "http://web-2"');
});

test('top against a closed port exits 3 (Prometheus unreachable)', async () => {
  const port = await freePort();
  const result = await runCli(['top', '--prometheus', `http://127.0.0.1:${port}`]);
  expect(result.code).toBe(3);
  expect(result.stderr).toContain(`cannot query Prometheus at http://127.0.0.1:${port}`);
});

test('top against a server that is not Prometheus exits 1 (query rejected)', async () => {
  const agent = await startAgentProcess();
  try {
    const result = await runCli(['top', '--prometheus', agent.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Prometheus at ${agent.url} rejected the query`);
  } finally {
    await agent.proc.stop();
  }
});

test('the example systemd unit starts serve with flags the CLI accepts', async () => {
  const { readFileSync } = await import('node:fs');
  const unit = readFileSync(new URL('../deploy/host-metrics.service', import.meta.url), 'utf8');
  const execStart = /^ExecStart=.*?host-metrics (serve .*)$/m.exec(unit)?.[1];
  expect(execStart).toBeDefined();
  const result = await runCli([...execStart!.split(/\s+/), '--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Usage: host-metrics serve/);
  expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  // Documentation= points somewhere real, in a scheme systemd accepts.
  const docs = [...unit.matchAll(/^Documentation=(.*)$/gm)].map((m) => m[1]!);
  expect(docs.length).toBeGreaterThan(0);
  for (const d of docs) {
    expect(d).toMatch(/^(https:|man:|file:)/);
    expect(d).not.toMatch(/\.invalid|example\./);
  }
});

test('--port -1 and a collector timeout above the interval are usage errors naming the flag', async () => {
  const port = await runCli(['serve', '--port', '-1']);
  expect(port.code).toBe(2);
  expect(port.stderr).toContain('Expected `--port` to be a number from 0 to 65535, got "-1"');
  const timeout = await runCli(['serve', '--port', '0', '--interval', '1s', '--collector-timeout', '3s']);
  expect(timeout.code).toBe(2);
  expect(timeout.stderr).toContain('Expected `--collector-timeout` to be at most the interval (1000ms), got "3s"');
});

test.each(['', 'serve', 'prometheus-config', 'top'])('host-metrics %s --help prints usage and exits 0', async (command) => {
  const result = await runCli([command, '--help'].filter(Boolean));
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^Usage: host-metrics/);
});
