import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { makeTempDir, waitFor } from '@ops/testkit';
import { startPrometheus, type StartedPrometheus } from '@ops/testkit/prometheus';

// A tiny exporter: one gauge whose value the test controls.
let exporter: Server;
let exporterPort = 0;
let prometheus: StartedPrometheus;

beforeAll(async () => {
  exporter = createServer((req, res) => {
    res.writeHead(req.url === '/metrics' ? 200 : 404, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('# HELP tiny_answer The answer.\n# TYPE tiny_answer gauge\ntiny_answer 42\n');
  });
  await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
  exporterPort = (exporter.address() as AddressInfo).port;
  const rules = join(makeTempDir().path, 'tiny.rules.yml');
  writeFileSync(rules, 'groups:\n  - name: tiny\n    rules:\n      - record: tiny:answer:doubled\n        expr: tiny_answer * 2\n');
  prometheus = await startPrometheus({
    config: `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: tiny\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
    rulesFiles: [rules],
  });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => exporter?.close(resolve));
});

test('scrapes a local exporter and answers queries through its HTTP API', async () => {
  const samples = await waitFor('tiny_answer in Prometheus', async () => {
    const result = await prometheus.query('tiny_answer');
    return result.length ? result : undefined;
  }, { timeoutMs: 30_000, intervalMs: 250 });
  expect(samples).toEqual([{ metric: { __name__: 'tiny_answer', instance: `127.0.0.1:${exporterPort}`, job: 'tiny' }, value: 42 }]);
  const targets = await prometheus.targets();
  expect(targets).toEqual([expect.objectContaining({ health: 'up', scrapeUrl: `http://127.0.0.1:${exporterPort}/metrics` })]);
});

test('evaluates the rule files it was given', async () => {
  const doubled = await waitFor('tiny:answer:doubled', async () => (await prometheus.query('tiny:answer:doubled'))[0], { timeoutMs: 30_000, intervalMs: 250 });
  expect(doubled.value).toBe(84);
});

test('needs exactly one of config and configFile', async () => {
  await expect(startPrometheus({})).rejects.toThrow(/one of `config` or `configFile`/);
  await expect(startPrometheus({ configFile: '/x.yml', rulesFiles: ['/r.yml'] })).rejects.toThrow(/rulesFiles/);
});

test('rejects a bad query with the API error', async () => {
  await expect(prometheus.query('sum(')).rejects.toThrow(/parse error/);
});
