import { contentBytes, fault } from '@ops/testkit/fault-http';
import { useFaultServer } from '@ops/testkit/use-fault-server';
import type { HttpNetworkError} from '../src/index.js';
import { AttemptTimeoutError, RetryBudgetError, RetryError, createHttpClient, createRetryBudget, type HttpClientOptions, type RetryClock } from '../src/index.js';

const instant: RetryClock = { now: () => 0, sleep: async () => {} };

const server = useFaultServer();

const client = (options: HttpClientOptions = {}) =>
  createHttpClient({ baseUrl: server.url, logger: false, breaker: false, budget: false, ...options, retry: { clock: instant, ...(options.retry || {}) } });
const failure = (p: Promise<unknown>) => p.then(() => new Error('expected a failure'), (e: unknown) => e as Error);

describe('timeouts that match how HTTP fails', () => {
  test('a slow but healthy body longer than `timeout` is not cut: timeout ends at the headers, idleTimeout bounds pauses', async () => {
    // 60 KB in 20 chunks 100ms apart (~2s), with a 1s timeout and a 1.5s idle limit.
    server.script('/slow', fault.content({ size: 60_000, chunkSize: 3000, intervalMs: 100 }));
    const res = await client({ timeout: '1s', idleTimeout: '1500ms' }).request('GET', '/slow');
    expect([res.status, res.attempts, res.body.equals(contentBytes(0, 60_000))]).toEqual([200, 1, true]);
  });

  test('a stalled body fails with the idle timeout named, is retried, and the retry gets it whole', async () => {
    server.script('/stall', [fault.content({ size: 50_000, stallAfter: 10_000 }), fault.content({ size: 50_000 })]);
    const seen: string[] = [];
    const res = await client({ idleTimeout: '200ms', hooks: { onRetry: ({ reason }) => seen.push(reason) } }).request('GET', '/stall');
    expect([res.attempts, res.body.length]).toEqual([2, 50_000]);
    expect(seen).toEqual(['UND_ERR_BODY_TIMEOUT']);
  });

  test('a body that always stalls ends in RetryError whose cause names idleTimeout', async () => {
    server.script('/never-ends', fault.content({ size: 50_000, stallAfter: 100 }));
    const error = (await failure(client({ idleTimeout: '150ms', retry: { retries: 1 } }).request('GET', '/never-ends'))) as RetryError;
    expect(error).toBeInstanceOf(RetryError);
    expect((error.cause as HttpNetworkError).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/never-ends failed: the response body stalled: no data for 150ms \(idleTimeout, --idle-timeout\)/);
  });

  test('a stalled POST is not retried; the timeout names method, URL and why it was not retried', async () => {
    server.script('POST /jobs', fault.stallHeaders());
    const error = await failure(client({ timeout: '200ms' }).request('POST', '/jobs', { body: '{}' }));
    expect(error).toBeInstanceOf(AttemptTimeoutError);
    expect(error.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/jobs: no response headers within 200ms \(timeout\) on attempt 1 \(not retried: POST without Idempotency-Key/);
    expect(server.hits('/jobs')).toBe(1);
  });

  test('the attempt summary has real offsets: the last attempt is later than the one before', async () => {
    server.script('/late', fault.stallHeaders());
    const error = (await failure(client({ timeout: '100ms', retry: { retries: 1, clock: undefined, minDelay: 1, maxDelay: 1 } }).request('GET', '/late'))) as RetryError;
    const [first, last] = error.attempts;
    expect(first!.elapsedMs).toBeGreaterThanOrEqual(100);
    expect(last!.elapsedMs).toBeGreaterThanOrEqual(first!.elapsedMs + 100);
  });

  test('the budget error says the request was retried before the budget ran out', async () => {
    server.script('/storm', fault.status(503));
    const budget = createRetryBudget({ ratio: 0, minRetries: 1, window: '1m' });
    const error = (await failure(client({ budget }).request('GET', '/storm'))) as RetryBudgetError;
    expect(error).toBeInstanceOf(RetryBudgetError);
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/storm failed on all 2 attempts and was not retried again: the retry budget is spent/);
    const second = (await failure(client({ budget }).request('GET', '/storm'))) as RetryBudgetError;
    expect(second.message).toMatch(/\/storm failed and was not retried: the retry budget is spent/);
  });

  test.each([['timeout', 0], ['idleTimeout', -1], ['connectTimeout', 'soon']])('a bad %s is a usage error naming it', (name, value) => {
    expect(() => createHttpClient({ [name]: value } as HttpClientOptions)).toThrow(new RegExp(`\`${name}\``));
  });
});
