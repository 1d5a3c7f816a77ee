import { PassThrough } from 'node:stream';
import { createLogger } from '@ops/core';
import { fault } from '@ops/testkit/fault-http';
import { useFaultServer } from '@ops/testkit/use-fault-server';
import { createHttpClient, type RetryClock } from '../src/index.js';

const instant: RetryClock = { now: () => 0, sleep: async () => {} };

const server = useFaultServer();

const SECRETS = ['SIGV4SIGNATURE0a1b', 'STSSESSIONTOKEN9z', 'AZURESASSIG77', 'GCSSIGNATURE55', 'glpat-GITLAB12', 'OAUTHCODE99', 'CLIENTSECRET11', 'HEADERTOKEN42', 'COOKIEVALUE13'];
const QUERIES: ReadonlyArray<readonly [string, string]> = [
  ['AWS SigV4', '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20250101&X-Amz-Security-Token=STSSESSIONTOKEN9z&X-Amz-Signature=SIGV4SIGNATURE0a1b'],
  ['Azure SAS', '?sv=2022-11-02&sp=r&sig=AZURESASSIG77'],
  ['GCS V4', '?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=GCSSIGNATURE55'],
  ['GitLab', '?private_token=glpat-GITLAB12&page=2'],
  ['OAuth', '/callback?code=OAUTHCODE99&state=s1&client_secret=CLIENTSECRET11'],
];

describe('signed URLs and credential headers never reach logs, messages or toJSON', () => {
  test.each(QUERIES)('%s: retry log lines, the error message and its JSON', async (_name, query) => {
    const path = query.startsWith('/') ? query : `/object${query}`;
    server.script(path.split('?')[0]!, fault.status(503, 'busy'));
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (c: Buffer) => lines.push(c.toString()));
    const http = createHttpClient({ logger: createLogger({ stream, format: 'json', level: 'debug' }), breaker: false, budget: false, retry: { retries: 1, clock: instant } });
    const error = await http.request('GET', `${server.url}${path}`, { headers: { 'X-Auth-Token': 'HEADERTOKEN42', Cookie: 'sid=COOKIEVALUE13' } }).then(() => new Error('expected a failure'), (e: unknown) => e as Error);
    await new Promise((r) => setImmediate(r));
    expect(server.hits()).toBe(2);
    expect(lines.join('')).toContain('retrying GET');
    expect(lines.join('')).toContain('[REDACTED]');
    const everything = `${lines.join('')} ${error.message} ${JSON.stringify(error)} ${(error.cause as Error).message} ${JSON.stringify(error.cause)}`;
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(everything).toContain(server.url.replace('http://', ''));
  });
});
