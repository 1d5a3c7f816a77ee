// The first ten minutes, proven on a fresh copy of the repository (its tracked files, as a clone
// has them): `pnpm install` links every CLI before anything is built, a CLI run before the build
// says how to build, and after `pnpm build` all six run with `pnpm exec` from the root and from
// inside each package, on the README's commands. Then a real release: changesets version and
// publish to a private registry (verdaccio on loopback), and a project outside the workspace
// installs the published package from there and uses its CLI and its API.
import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTempDir } from '@ops/testkit';
import { startNpmRegistry, type NpmRegistryHandle } from '@ops/testkit/npm-registry';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest { name: string; version: string; private?: boolean; bin?: Record<string, string>; dependencies?: Record<string, string> }
interface Run { code: number; stdout: string; stderr: string }

/** The environment of the commands: none of the npm/pnpm settings of the pnpm that started jest. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)));
  return { ...env, CI: 'true', NO_COLOR: '1', ...extra };
}

async function run(command: string, args: string[], cwd: string, env = cleanEnv()): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function ok(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  return result;
}

/** Copies the files git tracks (and new files it would track) as they are in the work tree. */
async function copyTrackedFiles(from: string, to: string): Promise<void> {
  const { stdout } = await execFileAsync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: from, maxBuffer: 64 * 1024 * 1024 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    const source = join(from, file);
    if (!existsSync(source)) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(source, join(to, file));
  }
}

const manifests = readdirSync(join(root, 'packages')).map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest }));
const clis = manifests.flatMap(({ dir, manifest }) => Object.keys(manifest.bin ?? {}).map((bin) => ({ dir, bin })));
const publishable = manifests.filter(({ manifest }) => !manifest.private);

describe('a fresh clone', () => {
  const clone = makeTempDir('ops-clone-').path;
  let install: Run;

  beforeAll(async () => {
    await copyTrackedFiles(root, clone);
    install = await ok('pnpm', ['install', '--offline', '--frozen-lockfile'], clone);
  }, 300_000);

  test('has six CLIs, one per library', () => {
    expect(clis.map(({ bin }) => bin).sort()).toEqual(['config-schema', 'host-metrics', 'image-builder', 'log-scan', 'resilient-http', 'ssh-probe']);
  });

  test('pnpm install links every CLI, executable, before anything is built', () => {
    expect(install.stdout + install.stderr).not.toMatch(/Failed to create bin/i);
    expect(existsSync(join(clone, 'packages', 'core', 'dist'))).toBe(false);
    for (const { dir, bin } of clis) {
      expect(() => accessSync(join(clone, 'node_modules', '.bin', bin), constants.X_OK)).not.toThrow();
      const manifest = manifests.find((m) => m.dir === dir)!.manifest;
      expect(statSync(join(clone, 'packages', dir, manifest.bin![bin]!)).mode & 0o111).toBe(0o111);
    }
  });

  test('a CLI run before the build says what to do, with exit 3', async () => {
    const result = await run('pnpm', ['exec', 'log-scan', '--help'], clone);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/log-scan: not built .*run `pnpm build` at the repository root/);
  });

  describe('after pnpm build', () => {
    beforeAll(async () => {
      await ok('pnpm', ['build'], clone);
    }, 600_000);

    test.each(clis)('pnpm exec $bin --help works from the root and from inside packages/$dir', async ({ dir, bin }) => {
      for (const cwd of [clone, join(clone, 'packages', dir)]) {
        const { stdout } = await ok('pnpm', ['exec', bin, '--help'], cwd);
        expect(stdout).toMatch(new RegExp(`^Usage: ${bin} `, 'm'));
      }
    });

    // The commands of the README's "Run the tools" section that need no daemon.
    test('log-scan on the demo log lists the attacking addresses', async () => {
      const { stdout } = await ok('pnpm', ['exec', 'log-scan', 'examples/fixtures/auth.log', '--format', 'json'], clone);
      const result = JSON.parse(stdout) as { ips: { ip: string; count: number }[] };
      expect(result.ips.length).toBeGreaterThan(0);
      expect(result.ips[0]!.count).toBeGreaterThan(1);
    });

    test('config-schema points at each error of the invalid demo config', async () => {
      const result = await run('pnpm', ['exec', 'config-schema', 'validate', 'examples/fixtures/deploy-invalid.yaml', '--schema', 'examples/fixtures/deploy.schema.json'], clone);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/deploy-invalid\.yaml:\d+:\d+: /);
    });

    test('ssh-probe reports why each demo host is unreachable', async () => {
      const result = await run('pnpm', ['exec', 'ssh-probe', '--inventory', 'examples/fixtures/servers.txt', '--check', 'banner', '--timeout', '3s', '--format', 'json'], clone);
      expect(result.code).toBe(1);
      const rows = JSON.parse(result.stdout) as { status: string; reason: string }[];
      expect(rows.map(({ status, reason }) => `${status} ${reason}`)).toEqual(['unreachable dns', 'unreachable dns', 'unreachable dns']);
    });

    describe('a release through changesets to a private registry', () => {
      let registry: NpmRegistryHandle;
      let publishEnv: NodeJS.ProcessEnv;
      const versionsBefore = new Map<string, string>();
      const version = (dir: string) => (JSON.parse(readFileSync(join(clone, 'packages', dir, 'package.json'), 'utf8')) as Manifest).version;
      const writeOnlyChangeset = (text: string) => {
        for (const file of readdirSync(join(clone, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) rmSync(join(clone, '.changeset', file));
        writeFileSync(join(clone, '.changeset', 'rehearsal.md'), text);
      };

      beforeAll(async () => {
        registry = await startNpmRegistry();
        writeFileSync(join(clone, '.npmrc'), `${readFileSync(join(clone, '.npmrc'), 'utf8')}${registry.npmrc}`);
        // Explicit, so that no registry setting from elsewhere can send a package anywhere else.
        publishEnv = cleanEnv({ npm_config_registry: registry.url });
        for (const { dir } of publishable) versionsBefore.set(dir, version(dir));
      }, 120_000);
      afterAll(async () => registry?.stop());

      test('the first changeset publish publishes every package at its version', async () => {
        await ok('pnpm', ['changeset', 'publish', '--no-git-tag'], clone, publishEnv);
        for (const { dir, manifest } of publishable) {
          expect(Object.keys((await registry.packument(manifest.name))?.versions ?? {})).toEqual([versionsBefore.get(dir)]);
        }
      }, 600_000);

      test('a patch changeset of one package versions and publishes that package alone', async () => {
        writeOnlyChangeset('---\n"@ops/resilient-http": patch\n---\n\nRelease rehearsal: a patch of resilient-http.\n');
        await ok('pnpm', ['changeset', 'version'], clone, publishEnv);
        const bumped = version('resilient-http');
        expect(bumped).not.toBe(versionsBefore.get('resilient-http'));
        for (const { dir } of publishable.filter(({ dir }) => dir !== 'resilient-http')) expect(version(dir)).toBe(versionsBefore.get(dir));
        expect(readFileSync(join(clone, 'packages', 'resilient-http', 'CHANGELOG.md'), 'utf8')).toContain('Release rehearsal: a patch of resilient-http.');

        await ok('pnpm', ['changeset', 'publish', '--no-git-tag'], clone, publishEnv);
        const packument = await registry.packument('@ops/resilient-http');
        expect(Object.keys(packument!.versions).sort()).toEqual([versionsBefore.get('resilient-http'), bumped].sort());
        // workspace:^ became a real range, and the dependents published before accept the new version.
        const coreRange = packument!.versions[bumped]!.dependencies!['@ops/core']!;
        expect(coreRange).toBe(`^${versionsBefore.get('core')}`);
        for (const { manifest } of publishable.filter(({ dir }) => dir !== 'resilient-http')) {
          const [only, ...more] = Object.values((await registry.packument(manifest.name))!.versions);
          expect(more).toHaveLength(0);
          for (const range of Object.values(only!.dependencies ?? {})) expect(range).not.toMatch(/^workspace:/);
        }
      }, 600_000);

      test('a project outside the workspace installs it from the registry and uses its CLI and API', async () => {
        const consumer = makeTempDir('ops-consumer-').path;
        writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
        // Only @ops comes from the private registry, as a team would set it up.
        writeFileSync(join(consumer, '.npmrc'), `@ops:registry=${registry.url}\n`);
        await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '@ops/resilient-http'], consumer);
        const installed = JSON.parse(readFileSync(join(consumer, 'node_modules', '@ops', 'resilient-http', 'package.json'), 'utf8')) as Manifest;
        expect(installed.version).toBe(version('resilient-http'));

        let hits = 0;
        const server: Server = createServer((_req, res) => {
          hits++;
          if (hits === 1) res.writeHead(503).end('try again');
          else res.writeHead(200, { 'content-type': 'text/plain' }).end('hello from loopback\n');
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
          const cli = await ok(join(consumer, 'node_modules', '.bin', 'resilient-http'), ['--retries', '2', '--max-delay', '50ms', url], consumer);
          expect(cli.stdout).toBe('hello from loopback\n');
          expect(hits).toBe(2);
          const api = await ok(process.execPath, ['--input-type=module', '-e',
            "const { retry } = await import('@ops/resilient-http'); let n = 0; console.log(await retry(async () => { if (++n < 2) throw new Error('flaky'); return n; }, { retries: 2, minDelay: 1 }));"], consumer);
          expect(api.stdout.trim()).toBe('2');
        } finally {
          server.close();
        }
      }, 300_000);

      test('a change that leaves the dependents\' range versions the dependents too, and nothing else', async () => {
        writeOnlyChangeset('---\n"@ops/resilient-http": minor\n---\n\nRelease rehearsal: a minor of resilient-http.\n');
        const before = new Map(publishable.map(({ dir }) => [dir, version(dir)]));
        await ok('pnpm', ['changeset', 'version'], clone, publishEnv);
        const dependents = publishable.filter(({ manifest }) => manifest.dependencies?.['@ops/resilient-http']).map(({ dir }) => dir);
        expect(dependents.length).toBeGreaterThan(0);
        for (const { dir } of publishable) {
          if (dir === 'resilient-http' || dependents.includes(dir)) expect(version(dir)).not.toBe(before.get(dir));
          else expect(version(dir)).toBe(before.get(dir));
        }
      }, 120_000);
    });
  });
});
