// `top --watch` against a Prometheus API that goes away and comes back (a scripted HTTP server
// at the network boundary: connection resets, then real answers): the breaker opens, and the
// first refresh after the server is back shows the fleet again (not after a 30 s cool-down).
import { spawn } from 'node:child_process';
import { afterEach, expect, test } from '@jest/globals';
import { waitFor } from '@ops/testkit';
import { fault, startFaultServer, type FaultServer } from '@ops/testkit/fault-http';
import { CLI } from './run-cli.js';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.stop();
});

const vector = (value: string) => ({ status: 'success', data: { resultType: 'vector', result: [{ metric: { instance: 'web-1:9100', job: 'host-metrics' }, value: [Date.now() / 1000, value] }] } });

test('top --watch recovers on the first refresh after Prometheus is back', async () => {
  let down = true;
  server = await startFaultServer({
    routes: { '/api/v1/query': (req) => (down ? fault.reset() : fault.json(200, vector(req.query.query?.startsWith('up') ? '1' : '0.25'))) },
  });
  const child = spawn(process.execPath, [CLI, 'top', '--prometheus', server.url, '--watch', '--interval', '300ms', '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  try {
    // Enough failed refreshes for the breaker to open.
    await waitFor('the circuit open', () => /circuit/i.test(err), { timeoutMs: 30_000 });
    down = false;
    const recoveredAt = Date.now();
    const hitsAtRecovery = server.hits('/api/v1/query');
    await waitFor('the fleet shown again', () => /web-1:9100\s+up/.test(out), { timeoutMs: 10_000 });
    // At most the refresh already under way when the server came back failed: the next one probed and succeeded.
    // Warnings are counted by their own timestamps: one logged before the recovery may reach this
    // process after it (a loaded machine delays the pipe), and is not a refresh that failed later.
    const warnedAfter = err
      .split('\n')
      .slice(0, -1) // complete lines only
      .filter((line) => line.includes('Prometheus unreachable'))
      .map((line) => Date.parse((JSON.parse(line) as { timestamp: string }).timestamp))
      .filter((at) => at >= recoveredAt);
    expect(warnedAfter.length).toBeLessThanOrEqual(1);
    expect(server.hits('/api/v1/query')).toBeGreaterThan(hitsAtRecovery);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
