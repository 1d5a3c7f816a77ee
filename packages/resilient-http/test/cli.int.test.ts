import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, makeTempDir } from '@ops/testkit';
import { fault } from '@ops/testkit/fault-http';
import { useFaultServer } from '@ops/testkit/use-fault-server';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, '--log-format', 'json', ...args], { timeout: 30_000, env: { ...process.env, CI: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const retryLines = (stderr: string) => stderr.split('\n').filter((l) => l.includes('"retrying ')).map((l) => JSON.parse(l) as Record<string, unknown>);

const server = useFaultServer();

describe('resilient-http CLI', () => {
  test('--help prints the usage and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: resilient-http \[options\] URL/);
    for (const flag of ['--method', '--header', '--data', '--retries', '--timeout', '--max-time', '--max-delay', '--log-level']) expect(r.stdout).toContain(flag);
  });

  test('2xx after retries: body on stdout, one line per retry on stderr, exit 0', async () => {
    server.script('/ok', [fault.times(2, fault.status(503)), fault.status(200, 'hello\n')]);
    const r = await cli(['--max-delay', '10ms', `${server.url}/ok`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hello\n');
    expect(retryLines(r.stderr).map((l) => [l.attempt, l.reason])).toEqual([
      [1, 'status 503'],
      [2, 'status 503'],
    ]);
    expect(server.hits('/ok')).toBe(3);
  });

  test('an HTTP error status as the final answer exits 1; its body is written only with --fail-with-body (as curl)', async () => {
    server.script('/gone', fault.status(410, 'it is gone'));
    const quiet = await cli([`${server.url}/gone`]);
    expect([quiet.code, quiet.stdout]).toEqual([1, '']);
    const r = await cli(['--fail-with-body', `${server.url}/gone`]);
    expect([r.code, r.stdout]).toEqual([1, 'it is gone']);
    expect(r.stderr).toMatch(/HTTP_STATUS: GET http:\/\/127\.0\.0\.1:\d+\/gone answered 410/);
    expect(server.hits('/gone')).toBe(2);
  });

  test('retries exhausted on 503 exits 1; --retries sets the number of retries', async () => {
    server.script('/down', fault.status(503, 'down'));
    const r = await cli(['--retries', '2', '--max-delay', '5ms', '--fail-with-body', `${server.url}/down`]);
    expect([r.code, r.stdout]).toEqual([1, 'down']);
    expect(r.stderr).toMatch(/HTTP_RETRY_EXHAUSTED: GET .* failed after 3 attempts/);
    expect(server.hits('/down')).toBe(3);
  });

  test('gave up on network errors (refused) exits 3', async () => {
    const port = await freePort();
    const r = await cli(['--retries', '1', '--max-delay', '5ms', `http://127.0.0.1:${port}/`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/ECONNREFUSED/);
  });

  test('--timeout per attempt on stalled headers, --max-time for everything: exit 3', async () => {
    server.script('/stall', fault.stallHeaders());
    const r = await cli(['--timeout', '100ms', '--max-time', '1s', '--retries', '100', '--max-delay', '10ms', `${server.url}/stall`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/HTTP_RETRY_EXHAUSTED: .*deadline was reached/);
    expect(server.hits('/stall')).toBeGreaterThanOrEqual(2);
    expect(server.hits('/stall')).toBeLessThan(100);
  });

  test('--data @FILE with headers is POSTed once without an Idempotency-Key, retried with one', async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'payload.json');
    writeFileSync(file, '{"deploy":"v2"}');
    server.script('POST /deploy', [fault.status(503), fault.echo(201)]);
    const once = await cli(['--data', `@${file}`, '-H', 'Content-Type: application/json', `${server.url}/deploy`]);
    expect(once.code).toBe(1);
    expect(server.hits('/deploy')).toBe(1);
    server.reset();
    const twice = await cli(['--data', `@${file}`, '--header', 'Idempotency-Key: k-1', '--header', 'Authorization: Bearer tok-secret-99', '--max-delay', '5ms', `${server.url}/deploy`]);
    expect(twice.code).toBe(0);
    expect(JSON.parse(twice.stdout)).toMatchObject({ method: 'POST', body: '{"deploy":"v2"}', headers: { 'idempotency-key': 'k-1', authorization: 'Bearer tok-secret-99' } });
    expect(twice.stderr).not.toContain('tok-secret-99');
    expect(server.hits('/deploy')).toBe(2);
    dir.remove();
  });

  test('--method and an inline --data string', async () => {
    const r = await cli(['--method', 'put', '--data', 'v=1', `${server.url}/thing`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ method: 'PUT', body: 'v=1' });
  });

  test.each([
    [[], /Expected one URL, got 0/],
    [['--retries=-1', 'http://127.0.0.1:1/'], /`--retries`/], [['--retries', 'x', 'http://127.0.0.1:1/'], /non-negative integer/],
    [['--timeout', 'soon', 'http://127.0.0.1:1/'], /`--timeout`/],
    [['--header', 'no-colon', 'http://127.0.0.1:1/'], /`--header` as 'Name: value'/],
    [['--data', '@/nonexistent/file', 'http://127.0.0.1:1/'], /cannot read --data file/],
    [['--bogus', 'http://127.0.0.1:1/'], /bogus/],
    [['ftp://127.0.0.1/'], /http or https URL/],
  ])('usage error %p exits 2', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
