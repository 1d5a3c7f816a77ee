import { PassThrough } from 'node:stream';
import { AbortError, createLogger, hasCode } from '@ops/core';
import { freePort } from '@ops/testkit';
import { fault } from '@ops/testkit/fault-http';
import { useFaultServer } from '@ops/testkit/use-fault-server';
import { Client } from 'undici';
import type {
  HttpNetworkError} from '../src/index.js';
import {
  AttemptTimeoutError,
  CircuitOpenError,
  HttpStatusError,
  RetryAfterTooLongError,
  RetryBudgetError,
  RetryError,
  createCircuitBreaker,
  createHttpClient,
  createRetryBudget,
  type HttpClientOptions,
  type RetryClock,
} from '../src/index.js';

/** Waits are recorded and skipped, so backoff and Retry-After are asserted without sleeping. */
function fakeClock(): RetryClock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

function captureLogger() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { logger: createLogger({ stream, format: 'json', level: 'debug' }), lines };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const server = useFaultServer();

function client(options: HttpClientOptions = {}, clock = fakeClock()) {
  return createHttpClient({ baseUrl: server.url, logger: false, breaker: false, budget: false, ...options, retry: options.retry === false ? false : { clock, jitter: 'none', ...options.retry } });
}

describe('retries on a real socket', () => {
  test('5xx then success: one log line per retry, bodies drained so one keep-alive connection serves all attempts', async () => {
    server.script('/flaky', [fault.times(2, fault.status(503, 'busy '.repeat(2000))), fault.json(200, { ok: true })]);
    const clock = fakeClock();
    const { logger, lines } = captureLogger();
    const dispatcher = new Client(server.url, { pipelining: 1 });
    const connectionsBefore = server.connections();
    const http = client({ logger, dispatcher }, clock);
    await expect(http.getJson('/flaky')).resolves.toEqual({ ok: true });
    expect(server.hits('/flaky')).toBe(3);
    expect(server.connections() - connectionsBefore).toBe(1);
    expect(clock.sleeps).toEqual([1000, 2000]);
    await new Promise((r) => setImmediate(r));
    const retries = lines.filter((l) => String(l.message).startsWith('retrying'));
    expect(retries.map((l) => [l.attempt, l.waitMs, l.reason])).toEqual([
      [1, 1000, 'status 503'],
      [2, 2000, 'status 503'],
    ]);
    expect(retries[0]!.message).toBe(`retrying GET ${server.url}/flaky`);
    await dispatcher.close();
  });

  test('gives up with RetryError; the cause carries status, method, URL, excerpt and history', async () => {
    server.script('/down', fault.status(502, 'x'.repeat(5000)));
    const error = (await caught(client({ retry: { retries: 2 }, maxErrorBody: 100 }).request('GET', '/down'))) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.attempts).toHaveLength(3);
    const last = error.cause as HttpStatusError;
    expect(last).toBeInstanceOf(HttpStatusError);
    expect([last.status, last.method, last.url, last.body.length, last.bodyTruncated, last.attempt]).toEqual([502, 'GET', `${server.url}/down`, 100, true, 3]);
    expect(last.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(server.hits('/down')).toBe(3);
  });

  test.each([
    ['seconds', () => fault.retryAfter(3), 3000, 3000],
    ['an HTTP date', () => fault.retryAfter(new Date(Date.now() + 20_000)), 17_000, 20_000],
  ])('429 with Retry-After as %s is honoured', async (_kind, step, min, max) => {
    server.script('/limited', [step(), fault.status(200, 'done')]);
    const clock = fakeClock();
    const res = await client({}, clock).request('GET', '/limited');
    expect(res.text()).toBe('done');
    expect(res.attempts).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(min);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(max);
  });

  test('Retry-After beyond maxRetryAfter fails at once saying so', async () => {
    server.script('/later', fault.retryAfter(3600, 503));
    const error = await caught(client({ retry: { maxRetryAfter: '1m' } }).request('GET', '/later'));
    expect(error).toBeInstanceOf(RetryAfterTooLongError);
    expect((error as Error).message).toMatch(/Retry-After 60m, more than maxRetryAfter 1m; not waiting/);
    expect(server.hits('/later')).toBe(1);
  });

  test('a connection reset is retried', async () => {
    server.script('/reset', [fault.reset(), fault.close(), fault.status(200, 'fine')]);
    const res = await client().request('GET', '/reset');
    expect([res.text(), res.attempts]).toEqual(['fine', 3]);
  });

  test('stalled headers and a stalled body time out per attempt and are retried', async () => {
    server.script('/stall', [fault.stallHeaders(), fault.stallBody(200, 'half'), fault.status(200, 'whole')]);
    const res = await client({ timeout: '1s', idleTimeout: '500ms' }).request('GET', '/stall');
    expect([res.text(), res.attempts]).toEqual(['whole', 3]);
  });

  test('a timed-out attempt frees its connection: a single-connection dispatcher serves the retry', async () => {
    server.script('/stall-once', [fault.stallHeaders(), fault.status(200, 'second')]);
    const dispatcher = new Client(server.url, { pipelining: 1, headersTimeout: 600_000 });
    const res = await client({ dispatcher, timeout: '200ms' }).request('GET', '/stall-once');
    expect([res.text(), res.attempts]).toEqual(['second', 2]);
    await dispatcher.close();
  });

  test('a request that always stalls ends in RetryError caused by the attempt timeout', async () => {
    server.script('/never', fault.stallHeaders());
    const error = (await caught(client({ timeout: 100, retry: { retries: 1 } }).request('GET', '/never'))) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.cause).toBeInstanceOf(AttemptTimeoutError);
    expect(server.hits('/never')).toBe(2);
  });

  test('POST is not retried without an Idempotency-Key; the error is the status error itself', async () => {
    server.script('POST /deploy', fault.status(503));
    const error = await caught(client().postJson('/deploy', { v: 1 }));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).attempts).toHaveLength(1);
    expect(server.hits('/deploy')).toBe(1);
  });

  test('POST with an idempotency key is retried and sends the same key and body each time', async () => {
    server.script('POST /deploy', [fault.times(2, fault.status(503)), fault.echo(201)]);
    const echoed = await client().postJson<{ headers: Record<string, string>; body: string }>('/deploy', { v: 1 }, { idempotencyKey: 'deploy-42' });
    expect(echoed.headers['idempotency-key']).toBe('deploy-42');
    const sent = server.requests('/deploy');
    expect(sent).toHaveLength(3);
    expect(sent.map((r) => [r.body, r.headers['idempotency-key'], r.headers['content-type']])).toEqual(Array(3).fill(['{"v":1}', 'deploy-42', 'application/json']));
  });

  test('POST with retryNonIdempotent is retried', async () => {
    server.script('POST /hook', [fault.status(500), fault.status(204)]);
    const res = await client({ retry: { retryNonIdempotent: true } }).request('POST', '/hook', { body: 'x' });
    expect([res.status, server.hits('/hook')]).toEqual([204, 2]);
  });

  test('connection refused is retried even for POST (nothing was sent) and ends in RetryError', async () => {
    const port = await freePort();
    const http = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, logger: false, retry: { retries: 2, clock: fakeClock() } });
    const error = (await caught(http.postJson('/x', {}))) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.attempts).toHaveLength(3);
    expect((error.cause as HttpNetworkError).errorCode).toBe('ECONNREFUSED');
  });

  test('a 404 is not retried; URL credentials go into Authorization and never into the message', async () => {
    server.script('/missing', fault.status(404, 'no such thing'));
    const http = createHttpClient({ logger: false, retry: { clock: fakeClock() } });
    const url = `http://deployer:s3cr3t-pw@127.0.0.1:${server.port}/missing?token=abcd1234`;
    const error = (await caught(http.request('GET', url))) as HttpStatusError;
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.status).toBe(404);
    expect(error.message).toContain('answered 404: no such thing');
    expect(`${error.message} ${error.url} ${JSON.stringify(error)}`).not.toMatch(/s3cr3t-pw|abcd1234/);
    expect(server.hits('/missing')).toBe(1);
    const auth = server.requests('/missing')[0]!.headers.authorization;
    expect(Buffer.from(String(auth).slice(6), 'base64').toString()).toBe('deployer:s3cr3t-pw');
  });

  test('query, headers and JSON reach the server as sent', async () => {
    const http = client({ headers: { 'X-Team': 'ops' } });
    const echoed = await http.putJson<{ method: string; query: Record<string, string>; headers: Record<string, string>; body: string }>('/items/7', { name: 'a' }, { query: { dry: true, skip: undefined }, headers: { 'x-trace': 't1' } });
    expect(echoed).toMatchObject({ method: 'PUT', query: { dry: 'true' }, body: '{"name":"a"}' });
    expect(echoed.headers).toMatchObject({ 'x-team': 'ops', 'x-trace': 't1', accept: 'application/json', 'user-agent': '@ops/resilient-http' });
    const del = await http.delete('/items/7');
    expect(del.json()).toMatchObject({ method: 'DELETE', path: '/items/7' });
  });
});

describe('cancellation and deadlines', () => {
  test('abort during a backoff wait stops at once', async () => {
    server.script('/abort', fault.status(503));
    const controller = new AbortController();
    const http = createHttpClient({ baseUrl: server.url, logger: false, breaker: false, retry: { minDelay: '1h', maxDelay: '1h', jitter: 'none' } });
    const pending = caught(http.request('GET', '/abort', { signal: controller.signal }));
    while (server.hits('/abort') === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect(server.hits('/abort')).toBe(1);
  });

  test('the maxElapsed deadline ends retries with RetryError(reason deadline)', async () => {
    server.script('/slow', fault.stallHeaders());
    const http = createHttpClient({ baseUrl: server.url, logger: false, breaker: false, timeout: '150ms', retry: { retries: 50, minDelay: 10, maxDelay: 10, maxElapsed: '800ms' } });
    const error = (await caught(http.request('GET', '/slow'))) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect(error.reason).toBe('deadline');
    expect(server.hits('/slow')).toBeGreaterThanOrEqual(2);
    expect(server.hits('/slow')).toBeLessThan(50);
  });
});

describe('circuit breaker and retry budget', () => {
  test('opens after consecutive failures, fails fast, lets one half-open trial through, closes on success', async () => {
    let now = 1_000_000;
    const changes: string[] = [];
    const breaker = createCircuitBreaker({ failureThreshold: 2, cooldown: '10s', now: () => now, onStateChange: (_o, from, to) => changes.push(`${from}->${to}`) });
    const http = client({ breaker, retry: false });
    server.script('/svc', fault.status(503));
    for (let i = 0; i < 2; i++) expect(await caught(http.request('GET', '/svc'))).toBeInstanceOf(HttpStatusError);
    expect(breaker.state(server.url)).toBe('open');
    const open = (await caught(http.request('GET', '/svc'))) as CircuitOpenError;
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(open.retryInMs).toBe(10_000);
    expect(server.hits('/svc')).toBe(2);

    now += 10_000;
    expect(breaker.state(server.url)).toBe('half-open');
    expect(await caught(http.request('GET', '/svc'))).toBeInstanceOf(HttpStatusError); // trial fails: open again
    expect(breaker.state(server.url)).toBe('open');
    expect(server.hits('/svc')).toBe(3);

    now += 10_000;
    server.script('/svc', fault.slow(100, fault.status(200, 'back')));
    const trial = http.request('GET', '/svc');
    expect(await caught(http.request('GET', '/svc'))).toBeInstanceOf(CircuitOpenError); // only one trial at a time
    expect((await trial).text()).toBe('back');
    expect(breaker.state(server.url)).toBe('closed');
    expect((await http.request('GET', '/svc')).status).toBe(200);
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->open', 'open->half-open', 'half-open->closed']);
  });

  test('a retry breaker opened mid-retry stops the retries', async () => {
    server.script('/flap', fault.status(500));
    const http = client({ breaker: { failureThreshold: 2 }, retry: { retries: 5 } });
    const error = await caught(http.request('GET', '/flap'));
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(hasCode((error as CircuitOpenError).cause, 'HTTP_STATUS')).toBe(true);
    expect(server.hits('/flap')).toBe(2);
  });

  test('a spent retry budget stops retrying and says so', async () => {
    server.script('/storm', fault.status(503));
    const budget = createRetryBudget({ ratio: 0, minRetries: 1, window: '1m' });
    const exhausted: number[] = [];
    const http = client({ budget, hooks: { onBudgetExhausted: ({ attempt }) => exhausted.push(attempt) } });
    const first = await caught(http.request('GET', '/storm'));
    expect(first).toBeInstanceOf(RetryBudgetError);
    expect((first as RetryBudgetError).cause).toBeInstanceOf(HttpStatusError);
    expect(server.hits('/storm')).toBe(2);
    expect(await caught(http.request('GET', '/storm'))).toBeInstanceOf(RetryBudgetError);
    expect(server.hits('/storm')).toBe(3);
    expect(exhausted).toEqual([2, 1]);
    expect(budget.stats()).toEqual({ requests: 2, retries: 1 });
    expect((first as RetryBudgetError).attempts.map((a) => a.attempt)).toEqual([1, 2]);
  });

  test('metric hooks see every attempt', async () => {
    server.script('/m', [fault.status(500), fault.status(200)]);
    const events: string[] = [];
    const http = client({
      hooks: {
        onRequest: ({ attempt }) => events.push(`request ${attempt}`),
        onResponse: ({ attempt, status }) => events.push(`response ${attempt} ${status}`),
        onRetry: ({ attempt, delayMs, reason }) => events.push(`retry ${attempt} ${delayMs} ${reason}`),
      },
    });
    await http.request('GET', '/m');
    expect(events).toEqual(['request 1', 'response 1 500', 'retry 1 1000 status 500', 'request 2', 'response 2 200']);
  });
});
