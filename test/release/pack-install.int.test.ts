// Proof that each publishable package installs and works on its own: pack every package with
// `pnpm pack` (workspace: ranges replaced), install the tarballs with npm into a temporary
// project outside the workspace, import each library and run each CLI's --help.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTempDir } from '@ops/testkit';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest { name: string; private?: boolean; bin?: Record<string, string>; dependencies?: Record<string, string> }

const publishable = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest }))
  .filter(({ manifest }) => !manifest.private);

describe('packed packages install and run outside the workspace', () => {
  const work = makeTempDir('ops-pack-');
  const tarballs: string[] = [];

  beforeAll(async () => {
    for (const { dir } of publishable) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', work.path], { cwd: dir });
      tarballs.push(stdout.trim().split('\n').pop()!.trim());
    }
    writeFileSync(join(work.path, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], { cwd: work.path, maxBuffer: 32 * 1024 * 1024 });
  }, 600_000);

  test('every publishable package is packed with its workspace ranges replaced', () => {
    expect(publishable.length).toBeGreaterThanOrEqual(1);
    for (const { manifest } of publishable) {
      const installed = JSON.parse(readFileSync(join(work.path, 'node_modules', manifest.name, 'package.json'), 'utf8')) as Manifest;
      for (const range of Object.values(installed.dependencies ?? {})) expect(range).not.toMatch(/^workspace:/);
      expect(existsSync(join(work.path, 'node_modules', manifest.name, 'dist', 'index.js'))).toBe(true);
    }
  });

  test.each(publishable.map(({ manifest }) => [manifest.name]))('%s imports with a non-empty public API', async (name) => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m)))`], { cwd: work.path });
    expect((JSON.parse(stdout) as string[]).length).toBeGreaterThan(0);
  });

  const bins = publishable.flatMap(({ manifest }) => Object.keys(manifest.bin ?? {}).map((bin) => [bin]));
  test('every library ships a CLI', () => expect(bins.length).toBeGreaterThanOrEqual(publishable.length - 1));

  test.each(bins)('%s --help', async (bin) => {
    const { stdout } = await run(join(work.path, 'node_modules', '.bin', bin), ['--help'], { cwd: work.path });
    expect(stdout).toMatch(/usage/i);
  });

  const binVersions = publishable.flatMap(({ manifest }) => Object.keys(manifest.bin ?? {}).map((bin) => [bin, manifest.name]));
  test.each(binVersions)('%s --version prints the version of the installed %s', async (bin, name) => {
    const installed = JSON.parse(readFileSync(join(work.path, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
    const { stdout } = await run(join(work.path, 'node_modules', '.bin', bin), ['--version'], { cwd: work.path });
    expect(stdout).toBe(`${installed.version}\n`);
  });
});
