import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { waitFor } from '@ops/testkit';
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
  prometheus = await startPrometheus({
    config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: tiny\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
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

test('rejects a bad query with the API error', async () => {
  await expect(prometheus.query('sum(')).rejects.toThrow(/parse error/);
});
