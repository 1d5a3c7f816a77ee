// Runs real CLI processes built on runCli: signals, unhandled rejections and exit codes.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@ops/testkit';

const coreDist = join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'index.js');

function script(body: string): string {
  const dir = makeTempDir('core-cli-');
  const file = join(dir.path, 'cli.mjs');
  writeFileSync(file, `import { runCli, OpsError, ExitCode, sleep } from ${JSON.stringify(coreDist)};\n${body}\n`);
  return file;
}

function runNode(file: string, args: string[] = [], onSpawn?: (pid: number) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('ready') && onSpawn) {
        onSpawn(child.pid!);
        onSpawn = undefined;
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('runCli in a real process', () => {
  test('a reader that stops early (| head) ends the CLI quietly with 141, as SIGPIPE ends other tools', () => {
    const file = script(`runCli(async ({ stdout, signal }) => {
      for (let i = 0; !signal.aborted; i++) {
        if (!stdout.write('line ' + i + '\\n')) await new Promise((r) => stdout.once('drain', r));
      }
    }, { name: 'talker' });`);
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${file}" | head -n 2`], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toBe('line 0\nline 1\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(141);
  });

  test('SIGTERM aborts the signal and the CLI can shut down cleanly with 0', async () => {
    const file = script(`runCli(async ({ signal, stdout }) => {
      const server = setInterval(() => {}, 1000); // stands for a listening server
      stdout.write('ready\\n');
      await new Promise((r) => signal.addEventListener('abort', r));
      clearInterval(server);
      stdout.write('clean shutdown\\n');
      return 0;
    }, { name: 'svc' });`);
    const result = await runNode(file, [], (pid) => process.kill(pid, 'SIGTERM'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('clean shutdown');
  });

  test('SIGINT during an abortable wait exits 130', async () => {
    const file = script(`runCli(async ({ signal, stdout }) => { stdout.write('ready\\n'); await sleep(60000, signal); }, { name: 'waiter' });`);
    const result = await runNode(file, [], (pid) => process.kill(pid, 'SIGINT'));
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('waiter: ABORTED');
  });

  test('SIGTERM while a library rejects with the abort reason itself: exits 143 saying it was interrupted, not a bug', async () => {
    const file = script(`runCli(async ({ signal, stdout }) => {
      const socket = setInterval(() => {}, 1000); // stands for an open connection
      stdout.write('ready\\n');
      await new Promise((_, reject) => signal.addEventListener('abort', () => { clearInterval(socket); reject(signal.reason); }));
    }, { name: 'prober' });`);
    const result = await runNode(file, [], (pid) => process.kill(pid, 'SIGTERM'));
    expect(result.code).toBe(143);
    expect(result.stderr).toBe('prober: interrupted by SIGTERM: stopped before the work was done\n');
  });

  test('a main that can never finish exits 1 instead of 0', async () => {
    const file = script(`runCli(() => new Promise(() => {}), { name: 'stuck' });`);
    const result = await runNode(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stuck: unexpected error: stopped with work unfinished');
  });

  test('an unhandled rejection exits non-zero with one line', async () => {
    const file = script(`runCli(async () => { Promise.reject(new Error('lost promise')); await sleep(5000); }, { name: 'leaky' });`);
    const result = await runNode(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lost promise');
  });

  test('an OpsError maps to its exit code and a JSON log goes to stderr in CI', async () => {
    const file = script(`runCli(async ({ logger }) => {
      logger.info('connecting', { password: 'hunter22' });
      throw new OpsError('DEMO_DOWN', 'daemon unreachable at /run/x.sock', { exitCode: ExitCode.ENVIRONMENT, hint: 'start it' });
    }, { name: 'demo' });`);
    const result = await runNode(file, ['--log-level', 'info']);
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'connecting', cli: 'demo', password: '[REDACTED]' });
    expect(lines[1]).toBe('demo: DEMO_DOWN: daemon unreachable at /run/x.sock (start it)');
    expect(result.stderr).not.toContain('hunter22');
  });

  test('usage errors exit 2', async () => {
    const file = script(`runCli(() => 0, { name: 'u' });`);
    const result = await runNode(file, ['--log-format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^u: USAGE: Expected `--log-format`/);
  });
});
