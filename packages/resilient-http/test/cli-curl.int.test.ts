import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@ops/testkit';
import { contentBytes, fault } from '@ops/testkit/fault-http';
import { useFaultServer } from '@ops/testkit/use-fault-server';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, '--log-format', 'json', ...args], { timeout: 60_000, env: { ...process.env, CI: '1' }, encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
const logLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

const server = useFaultServer();
const other = useFaultServer();

describe('resilient-http CLI, like curl', () => {
  test('-o FILE: a cut download is resumed into an atomic file; bytes and resumes are reported', async () => {
    const dir = makeTempDir('rh-cli-').path;
    const size = 2_000_000;
    server.script('/big.bin', [fault.content({ size, etag: '"e1"', acceptRanges: true, cutAfter: 700_000 }), fault.content({ size, etag: '"e1"', acceptRanges: true })]);
    const r = await cli(['-o', join(dir, 'big.bin'), `${server.url}/big.bin`]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.code ? r.stderr : '' }).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'big.bin')).equals(contentBytes(0, size))).toBe(true);
    expect(readdirSync(dir)).toEqual(['big.bin']);
    // Resumed from where it was cut; under heavy load undici may drop what it buffered before the
    // cut was read (0 bytes kept), and then starting over is right too: one continuation either way.
    const summary = logLines(r.stderr).find((l) => String(l.message).endsWith('answered 200'))!;
    expect([summary.bytes, Number(summary.resumes) + Number(summary.restarts)]).toEqual([size, 1]);
    const ranges = server.requests('/big.bin').map((q) => q.headers.range ?? null);
    expect(ranges[0]).toBeNull();
    if (summary.resumes === 1) expect(ranges[1]).toMatch(/^bytes=\d+-$/);
  });

  test('streams the body to stdout; -i prints the status line and headers first', async () => {
    server.script('/page', fault.content({ size: 300_000, etag: '"p"' }));
    const r = await cli(['-i', `${server.url}/page`]);
    expect(r.code).toBe(0);
    const [head, ...rest] = r.stdout.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200\r\n/);
    expect(head).toContain('etag: "p"');
    expect(Buffer.from(rest.join('\r\n\r\n'), 'latin1').equals(contentBytes(0, 300_000))).toBe(true);
  });

  test('-L follows redirects up to --max-redirs and drops Authorization and Cookie across origins', async () => {
    server.script('/start', fault.status(302, '', { location: '/same' }));
    server.script('/same', fault.status(307, '', { location: `${other.url}/final` }));
    const r = await cli(['-L', '-H', 'Authorization: Bearer tok-SECRET-1', '-H', 'Cookie: sid=c00kie', `${server.url}/start`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: '/final' });
    expect(server.requests('/same')[0]!.headers.authorization).toBe('Bearer tok-SECRET-1');
    const final = other.requests('/final')[0]!.headers;
    expect([final.authorization, final.cookie]).toEqual([undefined, undefined]);
    const loop = await cli(['-L', '--max-redirs', '1', `${server.url}/start`]);
    expect(loop.code).toBe(1);
    expect(loop.stderr).toMatch(/HTTP_TOO_MANY_REDIRECTS: GET http:\/\/127\.0\.0\.1:\d+\/same redirected more than maxRedirects 1 times/);
  });

  test('-d sends a form, --json JSON; --idempotency-key makes a POST retryable', async () => {
    server.script('POST /form', fault.echo(200));
    const form = await cli(['-d', 'a=1&b=2', `${server.url}/form`]);
    expect(JSON.parse(form.stdout)).toMatchObject({ method: 'POST', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    server.script('POST /api', [fault.status(503), fault.echo(201)]);
    const json = await cli(['--json', '{"v":2}', '--idempotency-key', 'k-7', '--max-delay', '5ms', `${server.url}/api`]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ body: '{"v":2}', headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': 'k-7' } });
    expect(server.hits('/api')).toBe(2);
  });

  test('--retry-non-idempotent retries a POST; --max-delay caps backoff but not Retry-After, which --max-retry-after bounds', async () => {
    server.script('POST /hook', [fault.retryAfter(1, 503), fault.status(204)]);
    const r = await cli(['--retry-non-idempotent', '--max-delay', '5ms', '-d', 'x', `${server.url}/hook`]);
    expect(r.code).toBe(0);
    expect(logLines(r.stderr).filter((l) => String(l.message).startsWith('retrying')).map((l) => l.waitMs)).toEqual([1000]);
    server.script('/later', fault.retryAfter(120, 503));
    const later = await cli(['--max-retry-after', '1m', `${server.url}/later`]);
    expect(later.code).toBe(1);
    expect(later.stderr).toMatch(/Retry-After 2m, more than maxRetryAfter 1m; not waiting/);
    expect(later.stderr).toMatch(/--max-retry-after/);
  });

  test('a POST answered 503 without a key says why it was not retried', async () => {
    server.script('POST /jobs', fault.status(503));
    const r = await cli(['-d', 'x', `${server.url}/jobs`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/jobs answered 503 \(not retried: POST without Idempotency-Key/);
  });

  test('--max-time also bounds a slow body being streamed: exit 3 saying so', async () => {
    server.script('/trickle', fault.content({ size: 200_000, chunkSize: 1000, intervalMs: 100 }));
    const r = await cli(['--max-time', '1s', `${server.url}/trickle`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/HTTP_MAX_TIME: GET http:\/\/127\.0\.0\.1:\d+\/trickle did not finish within --max-time 1s/);
  });
});
