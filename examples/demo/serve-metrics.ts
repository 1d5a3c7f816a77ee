import { sleep } from '@ops/core';
import { startAgent } from '@ops/host-metrics';
import { waitFor } from '@ops/testkit';
import { indent, type DemoPart } from './ui.js';

/** Metric families shown from the scrape. */
const SHOWN = /^host_(cpu_usage_ratio|cpu_cores|memory_(total|available)_bytes|memory_usage_ratio|load1) /;

export const serveMetrics: DemoPart = {
  pkg: '@ops/host-metrics',
  title: 'serve host metrics and scrape them once',
  async run({ out, say, signal }) {
    const agent = await startAgent({ port: 0, host: '127.0.0.1', interval: '1s', signal });
    try {
      say(`agent on ${agent.url}/metrics, sampling /proc every second`);
      // The CPU usage ratio needs two samples; /readyz answers 200 after the first.
      await waitFor('the first sample', async () => (await fetch(`${agent.url}/readyz`, { signal })).ok, { timeoutMs: 10_000 });
      await sleep(1200, signal);
      const response = await fetch(`${agent.url}/metrics`, { signal });
      const text = await response.text();
      const families = new Set(text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
      say(`GET /metrics -> ${response.status}, ${families.size} metric families, ${text.length} bytes; a few of them:`);
      out.write(indent(indent(text.split('\n').filter((line) => SHOWN.test(line)).join('\n'))));
    } finally {
      await agent.stop();
    }
  },
};
