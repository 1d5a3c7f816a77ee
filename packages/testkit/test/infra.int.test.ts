import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { freePort, makeTempDir, startServiceProcess, waitFor, canConnect, which, ensureDebianPackages } from '../src/index.js';

describe('testkit infrastructure', () => {
  test('freePort gives a port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    await new Promise((r) => server.close(r));
    expect(await canConnect('127.0.0.1', port)).toBe(false);
  });

  test('a service process is started, reported when it dies, and stopped', async () => {
    const port = await freePort();
    const svc = startServiceProcess({ name: 'listener', command: process.execPath, args: ['-e', `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('ready'))`] });
    await waitFor('listener', () => canConnect('127.0.0.1', port), { failIf: svc.exited });
    // Its output arrives through a pipe, possibly after the port already answers.
    await waitFor('listener output', () => svc.output().includes('ready'), { failIf: svc.exited, timeoutMs: 10_000 });
    await svc.stop();
    expect(svc.exited()).toMatch(/exited with SIGTERM/);
    const dead = startServiceProcess({ name: 'crasher', command: process.execPath, args: ['-e', 'console.error("bad config"); process.exit(4)'] });
    await expect(waitFor('crasher', () => false, { failIf: dead.exited, timeoutMs: 10_000 })).rejects.toThrow(/crasher exited with code 4: bad config/);
  });

  test('temp dirs are removable', () => {
    const dir = makeTempDir();
    expect(existsSync(dir.path)).toBe(true);
    dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });

  test('installed Debian packages are detected without apt', async () => {
    await expect(ensureDebianPackages(['coreutils'])).resolves.toBeUndefined();
    expect(which('ls')).toBeDefined();
    expect(which('definitely-not-a-command-xyz')).toBeUndefined();
  });
});
