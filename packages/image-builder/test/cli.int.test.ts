import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '@ops/testkit';
import { startDockerd, type TestDockerd } from '@ops/testkit/docker';
import { startRegistry, type TestRegistry } from '@ops/testkit/registry';
import { docker, dockerConfigFor, manifestDigest, removeTempDirs, tempDir, writeTree } from './helpers.js';

const CLI = resolve('packages/image-builder/bin/image-builder.js');
const password = `cli-pw-${randomBytes(8).toString('hex')}`;
let dockerd: TestDockerd;
let registry: TestRegistry;

interface CliRun { code: number; stdout: string; stderr: string }

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((done) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|REGISTRY_|DOCKER_|CI$)/.test(k)));
    execFile(process.execPath, [CLI, ...args], { env: { ...clean, DOCKER_HOST: dockerd.dockerHost, DOCKER_CONFIG: join(dir, 'empty-config'), ...env } }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const dir = tempDir('ib-cli-');

beforeAll(async () => {
  dockerd = await startDockerd();
  registry = await startRegistry({ htpasswd: { user: 'ci', password } });
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await dockerd?.stop();
  removeTempDirs();
}, 60_000);

describe('image-builder CLI against a real dockerd and docker-registry', () => {
  test('build --push: JSON summary, iidfile, digest-file, GitHub outputs and log groups, and no password anywhere', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nARG V\nRUN echo "v=$V" > /v\n`, '.dockerignore': '*.log\n', 'x.log': 'x' });
    const githubOutput = join(dir, 'github-output');
    writeFileSync(githubOutput, '');
    const tags = [`${registry.address}/cli/app:1`, `${registry.address}/cli/app:stable`];
    const run = await cli(
      ['build', '--context', context, ...tags.flatMap((t) => ['--tag', t]), '--build-arg', 'V=42', '--label', 'team=ops', '--push', '--format', 'json', '--network', 'none',
        '--iidfile', join(dir, 'iid'), '--digest-file', join(dir, 'digest'), '--log-level', 'debug'],
      { DOCKER_CONFIG: dockerConfigFor(registry.address, 'ci', password), GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: githubOutput },
    );
    expect(run.stderr).not.toMatch(/IMAGE_/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { imageId: string; tags: string[]; digests: Record<string, string>; results: unknown[]; durationMs: number };
    expect(Object.keys(summary).sort()).toEqual(['digests', 'durationMs', 'imageId', 'results', 'tags']);
    expect(summary.tags).toEqual(tags);
    const registryDigest = await manifestDigest(registry.url, 'cli/app', '1', 'ci', password);
    expect(summary.digests).toEqual({ [tags[0]!]: registryDigest, [tags[1]!]: await manifestDigest(registry.url, 'cli/app', 'stable', 'ci', password) });
    expect(readFileSync(join(dir, 'iid'), 'utf8')).toBe(summary.imageId);
    expect(summary.results).toEqual(tags.map((tag) => ({ tag, status: 'pushed', digest: summary.digests[tag], verified: true })));
    expect(readFileSync(join(dir, 'digest'), 'utf8')).toBe(tags.map((t) => `${t}\tpushed\t${summary.digests[t]}\n`).join(''));
    expect((await docker(dockerd, ['run', '--rm', summary.imageId, 'cat', '/v'])).trim()).toBe('v=42');
    const outputs = readFileSync(githubOutput, 'utf8');
    expect(outputs).toMatch(new RegExp(`imageid<<(\\S+)\\n${summary.imageId}\\n\\1\\n`));
    expect(outputs).toMatch(new RegExp(`digest<<(\\S+)\\n${registryDigest}\\n\\1\\n`));
    expect(run.stderr).toMatch(/^::group::\[1\/2\] FROM /m);
    expect(run.stderr).toMatch(/^::group::\[2\/2\] RUN echo "v=42" > \/v\n::endgroup::$/m);
    expect(run.stderr).not.toMatch(/^\{/m);
    expect(run.stderr).toMatch(/^::group::Push /m);
    expect(run.stderr).toMatch(/^::endgroup::$/m);
    for (const text of [run.stdout, run.stderr, outputs, readFileSync(join(dir, 'digest'), 'utf8')]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(Buffer.from(`ci:${password}`).toString('base64'));
    }
  });

  test('a failing RUN step exits with its exit status (as docker build), with the step and its output', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN echo compiling && echo 'error: missing semicolon' && exit 2\n` });
    const run = await cli(['build', '--context', context, '--tag', 'ops-test/cli-fail:1', '--builder', 'classic']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/image-builder: IMAGE_BUILD_FAILED: build failed at Step 2\/\d+ : RUN echo compiling/);
    expect(run.stderr).toMatch(/--- last output lines ---\ncompiling\nerror: missing semicolon/);
    expect(run.stdout).toBe('');
  });

  test('a hung build is ended by --timeout (exit 1)', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN sleep 600\n` });
    const run = await cli(['build', '--context', context, '--tag', 'ops-test/cli-hung:1', '--timeout', '10s', '--network', 'none']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/IMAGE_BUILD_TIMEOUT: build did not finish within \d+ms; it was at \[2\/2\] RUN sleep 600/);
  }, 60_000);

  test('a refused push exits 1 and never prints the password', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\n` });
    const wrong = `wrong-${password}`;
    const run = await cli(['build', '--context', context, '--tag', `${registry.address}/cli/refused:1`, '--push', '--log-level', 'debug'], { REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: wrong });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/IMAGE_PUSH_UNAUTHORIZED: .*\(the registry 127\.0\.0\.1:\d+ rejected the credentials from REGISTRY_USERNAME\/REGISTRY_PASSWORD/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrong);
    expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  });

  test('a registry that is down exits 3', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\n` });
    const run = await cli(['build', '--context', context, '--tag', `127.0.0.1:${await freePort()}/cli/app:1`, '--push', '--retries', '1']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IMAGE_REGISTRY_UNREACHABLE: .*connection refused/);
  });

  test('an engine that is not there exits 3', async () => {
    const context = writeTree({ 'Dockerfile': 'FROM scratch\n' });
    const run = await cli(['build', '--context', context, '--tag', 'x:1'], { DOCKER_HOST: `unix://${join(dir, 'no-such.sock')}` });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IMAGE_ENGINE_UNREACHABLE: the Docker engine at unix:\/\/.*no-such.sock could not be reached/);
  });

  test('a classic build and a push load only what they use (start-up time): no gRPC, node:http, node:crypto or node:child_process, and node-tar\'s codecs from inside the bundle', async () => {
    // Every module the CLI loads: Node's built-in modules (from process.moduleLoadList, as
    // node:<name>), the files it requires (the bin runs a CommonJS bundle) and those it imports
    // (a loader hook: node-tar, resilient-http).
    const log = join(dir, 'imported.txt');
    writeFileSync(join(dir, 'record-imports.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const resolved = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');\n  return resolved;\n}\n`);
    writeFileSync(join(dir, 'register-imports.mjs'), `import { register } from 'node:module';\nregister('./record-imports.mjs', import.meta.url);\n`);
    writeFileSync(join(dir, 'record-requires.cjs'), `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(log)}, [...process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => 'node:' + m.slice(13)), ...Object.keys(require.cache)].join('\\n') + '\\n'));\n`);
    const imported = async (args: string[]) => {
      writeFileSync(log, '');
      const run = await cli(args, { DOCKER_CONFIG: dockerConfigFor(registry.address, 'ci', password), NODE_OPTIONS: `--require ${join(dir, 'record-requires.cjs')} --import ${join(dir, 'register-imports.mjs')}` });
      expect(run.stderr).not.toMatch(/IMAGE_/);
      expect(run.code).toBe(0);
      return readFileSync(log, 'utf8').split('\n').filter(Boolean);
    };
    const tag = `${registry.address}/cli/lean:1`;
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nCMD ["sh"]\n` });
    const built = await imported(['build', '--context', context, '--tag', tag, '--builder', 'classic', '--no-oci-labels']);
    expect(built.some((url) => url.endsWith('dist/cli.cjs'))).toBe(true);
    expect(built).toContain('node:net');
    for (const unused of ['node:http', 'node:crypto', 'node:child_process', 'node:perf_hooks']) expect(built).not.toContain(unused);
    expect(built.filter((url) => url.includes('grpc') || url.includes('/tar/'))).toEqual([]);
    const pushed = await imported(['push', '--tag', tag]);
    for (const unused of ['node:http', 'node:crypto', 'node:child_process', 'node:perf_hooks']) expect(pushed).not.toContain(unused);
    expect(pushed.filter((url) => url.includes('grpc') || url.includes('/tar/'))).toEqual([]);
    // A name that needs a PAX header (not ASCII) is packed by the bundled codecs too.
    const utf8 = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nCMD ["sh"]\n`, 'caf\u00e9.txt': 'x' });
    const withPax = await imported(['build', '--context', utf8, '--tag', tag, '--builder', 'classic', '--no-oci-labels']);
    expect(withPax.filter((url) => url.includes('/tar/'))).toEqual([]);
  });

  test.each([
    [['build', '--context', '.'], /at least one `--tag`/],
    [['build', '--tag', 'x:1'], /--context/],
    [['build', '--context', '.', '--tag', 'Bad Tag'], /image references/],
    [['build', '--context', '.', '--tag', 'x:1', '--format', 'yaml'], /--format/],
    [['build', '--context', '.', '--tag', 'x:1', '--digest-file', 'd'], /needs `--push`/],
    [['deploy'], /unknown command/],
    [['build', '--context', '/nonexistent-ctx', '--tag', 'x:1'], /is not a directory/],
  ])('usage error %j exits 2', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test('--help exits 0 and documents the contract', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--context', '--file', '--tag', '--build-arg', '--label', '--target', '--platform', '--pull', '--no-cache', '--push', '--format', '--timeout', '--iidfile', '--digest-file', '--builder', '--secret', '--ssh', '--stall-timeout', '--request-timeout', '--log-format']) expect(run.stdout).toContain(flag);
  });
});
