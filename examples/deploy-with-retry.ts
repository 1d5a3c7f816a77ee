/**
 * deploy-with-retry: start a deployment through a flaky deploy API (@ops/resilient-http).
 *
 * Shows `createHttpClient()` with a base URL, a bearer token that never reaches a log line, and
 * retries with exponential backoff and jitter: a POST is retried only because it carries an
 * `Idempotency-Key` (the API runs the deployment once however many attempts reach it); 503s,
 * connection resets and 429 + Retry-After are retried, one log line per retry.
 *
 * Run:  pnpm --filter @ops/examples exec tsx deploy-with-retry.ts [--api URL] [--service NAME] [--image REF]
 *       Token from DEPLOY_TOKEN. Without --api (or DEPLOY_API) a local stand-in started with
 *       @ops/testkit answers 503, then resets the connection, then 429 Retry-After: 1s, then 202.
 *
 * Expected output (stand-in), exit code 0; the retry lines are on stderr:
 *   {"level":"warn","message":"retrying POST http://127.0.0.1:PORT/deployments","attempt":1,"wait":"...","reason":"status 503",...}
 *   {"level":"warn","message":"retrying POST http://127.0.0.1:PORT/deployments","attempt":2,"wait":"...","reason":"ECONNRESET",...}
 *   {"level":"warn","message":"retrying POST http://127.0.0.1:PORT/deployments","attempt":3,"wait":"1s","reason":"status 429 (Retry-After 1s)",...}
 *   deployment dep-1042 queued for shop-api (registry.example.invalid/shop/api:1.4.2) after 4 attempts
 */
import { randomUUID } from 'node:crypto';
import { parseCliArgs, registerSecret, runCli } from '@ops/core';
import { createHttpClient } from '@ops/resilient-http';
import { fault, startFaultServer } from '@ops/testkit/fault-http';

interface Deployment { id: string; status: string }

await runCli(async ({ argv, logger, signal, stdout }) => {
  const { values } = parseCliArgs(argv, {
    api: { type: 'string', default: process.env.DEPLOY_API || undefined },
    service: { type: 'string', default: 'shop-api' },
    image: { type: 'string', default: 'registry.example.invalid/shop/api:1.4.2' },
  } as const);
  const token = process.env.DEPLOY_TOKEN ?? 'example-token';
  registerSecret(token); // redacted from every log line and error message from now on

  // No API given: a local server that fails three times in three different ways, then accepts.
  const standIn = values.api ? undefined : await startFaultServer({
    routes: {
      'POST /deployments': [fault.status(503, 'upstream busy'), fault.reset(), fault.retryAfter(1), fault.json(202, { id: 'dep-1042', status: 'queued' })],
    },
  });
  try {
    const api = createHttpClient({
      baseUrl: values.api ?? standIn!.url,
      headers: { authorization: `Bearer ${token}` },
      timeout: '10s',
      retry: { retries: 5, minDelay: '200ms', maxDelay: '5s', maxElapsed: '60s' },
      logger,
    });
    const response = await api.request('POST', 'deployments', {
      json: { service: values.service, image: values.image },
      idempotencyKey: randomUUID(),
      signal,
    });
    const deployment = response.json<Deployment>();
    stdout.write(`deployment ${deployment.id} ${deployment.status} for ${values.service} (${values.image}) after ${response.attempts} attempts\n`);
  } finally {
    await standIn?.stop();
  }
}, { name: 'deploy-with-retry' });
