import { formatDuration, hasCode, messageOf } from '@ops/core';
import { createHttpClient } from '@ops/resilient-http';
import { fault, startFaultServer } from '@ops/testkit/fault-http';
import type { DemoPart } from './ui.js';

export const callFlaky: DemoPart = {
  pkg: '@ops/resilient-http',
  title: 'calls to a flaky local server, with backoff and Retry-After',
  async run({ say, logger, signal }) {
    const server = await startFaultServer({
      routes: {
        'GET /inventory': [fault.status(503, 'upstream busy'), fault.reset(), fault.status(502), fault.retryAfter(1), fault.json(200, { items: 42 })],
        'POST /deployments': fault.status(503, 'maintenance'),
      },
    });
    try {
      const api = createHttpClient({
        baseUrl: server.url,
        timeout: '5s',
        retry: { retries: 5, minDelay: '200ms', factor: 2, maxDelay: '3s' },
        logger: logger.child({ package: 'resilient-http' }),
      });
      say(`GET ${server.url}/inventory answers 503, resets the connection, 502, 429 Retry-After: 1, then 200; one log line per retry:`);
      const started = performance.now();
      const response = await api.request('GET', 'inventory', { signal });
      say(`-> ${response.status} ${response.text()} after ${response.attempts} attempts in ${formatDuration(performance.now() - started)} (the server saw ${server.hits('/inventory')} requests)`);

      say('POST /deployments without an Idempotency-Key is not retried (it might run twice):');
      try {
        await api.request('POST', 'deployments', { json: { image: 'shop/api:1.4.2' }, signal });
        throw new Error('the POST should have failed');
      } catch (error) {
        if (!hasCode(error, 'HTTP_STATUS')) throw error;
        say(`-> ${messageOf(error)} (after ${server.hits('/deployments')} request)`);
      }
      say('the same POST with an Idempotency-Key is retried, then gives up:');
      try {
        await api.request('POST', 'deployments', { json: { image: 'shop/api:1.4.2' }, idempotencyKey: 'deploy-shop-api-1.4.2', retry: { retries: 2 }, signal });
        throw new Error('the POST should have failed');
      } catch (error) {
        say(`-> ${(error as { code?: string }).code}: ${messageOf(error)}`);
      }
    } finally {
      await server.stop();
    }
  },
};
