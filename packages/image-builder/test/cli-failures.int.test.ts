import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@ops/testkit';
import { startDockerd, type TestDockerd } from '@ops/testkit/docker';
import { startRegistry, type TestRegistry } from '@ops/testkit/registry';
import { startSilentListener, type FailingEndpoint } from '@ops/testkit/ssh-failures';
import { containersLeft, docker, dockerConfigFor, removeTempDirs, startCli, tempDir, writeTree } from './helpers.js';

const password = `cf-pw-${randomBytes(8).toString('hex')}`;
let dockerd: TestDockerd;
let registry: TestRegistry;
let silent: FailingEndpoint;
let config: string;
const dir = tempDir('ib-cli-f-');

const cli = (args: string[], env: NodeJS.ProcessEnv = {}, options: { cwd?: string } = {}) => startCli(args, { DOCKER_HOST: dockerd.dockerHost, DOCKER_CONFIG: join(dir, 'empty'), ...env }, options);

beforeAll(async () => {
  dockerd = await startDockerd();
  registry = await startRegistry({ htpasswd: { user: 'ci', password } });
  silent = await startSilentListener();
  config = dockerConfigFor(registry.address, 'ci', password);
}, 120_000);

afterAll(async () => {
  await silent?.stop();
  await registry?.stop();
  await dockerd?.stop();
  removeTempDirs();
}, 60_000);

describe('hangs end in --timeout with exit 3 and what was waited for', () => {
  test('an engine that accepts and never answers', async () => {
    const context = writeTree({ 'Dockerfile': 'FROM scratch\n' });
    const run = await cli(['build', '--context', context, '--tag', 'x:1', '--timeout', '2s'], { DOCKER_HOST: `tcp://127.0.0.1:${silent.port}` }).done;
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IMAGE_ENGINE_TIMEOUT: the build did not finish within 2000ms: it was waiting for the engine to answer HEAD \/_ping/);
  }, 30_000);

  test('with --builder classic (whose build request does not wait for the ping), the same engine is still reported by its ping', async () => {
    const context = writeTree({ 'Dockerfile': 'FROM scratch\n' });
    const run = await cli(['build', '--context', context, '--tag', 'x:1', '--timeout', '2s', '--builder', 'classic'], { DOCKER_HOST: `tcp://127.0.0.1:${silent.port}` }).done;
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IMAGE_ENGINE_TIMEOUT: the build did not finish within 2000ms: it was waiting for the engine to answer HEAD \/_ping/);
  }, 30_000);

  test('with --builder classic, an engine that cannot be reached is reported before a missing Dockerfile', async () => {
    const context = writeTree({ 'README': 'no Dockerfile here\n' });
    const run = await cli(['build', '--context', context, '--tag', 'x:1', '--builder', 'classic'], { DOCKER_HOST: `unix://${join(context, 'no-engine.sock')}` }).done;
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IMAGE_ENGINE_UNREACHABLE: .*could not be reached: ENOENT/);
  }, 30_000);

  test('the same engine without --timeout: each call has its own limit', async () => {
    const run = await cli(['push', '--tag', 'x:1', '--request-timeout', '1s'], { DOCKER_HOST: `tcp://127.0.0.1:${silent.port}` }).done;
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IMAGE_ENGINE_TIMEOUT: the Docker engine at http:\/\/127\.0\.0\.1:\d+ did not answer GET \/images\/x:1\/json within 1000ms/);
  }, 30_000);

  test('a registry that accepts and never answers', async () => {
    const tag = `127.0.0.1:${silent.port}/team/app:1`;
    await docker(dockerd, ['tag', dockerd.baseImage, tag]);
    const run = await cli(['push', '--tag', tag, '--timeout', '3s', '--format', 'json']).done;
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IMAGE_PUSH_TIMEOUT: the push did not finish within 3000ms: the push of 127\.0\.0\.1:\d+\/team\/app:1 was waiting for the registry 127\.0\.0\.1:\d+, through the engine/);
    expect(JSON.parse(run.stdout)).toMatchObject({ results: [{ tag, status: 'failed', error: { code: 'IMAGE_PUSH_TIMEOUT' } }] });
  }, 30_000);
});

describe('the first SIGTERM cancels cleanly and says what happened', () => {
  test('during a build: cancelled on the daemon, no container left, 143', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN echo started && sleep 600\n` });
    const running = cli(['build', '--context', context, '--tag', 'ops-test/term:1', '--builder', 'classic']);
    await running.stderrMatches(/^started$/m);
    running.child.kill('SIGTERM');
    const run = await running.done;
    expect(run.code).toBe(143);
    expect(run.stderr).toMatch(/ABORTED: .*the build was cancelled on the daemon.*after SIGTERM/);
    expect(await containersLeft(dockerd)).toBe('');
  }, 60_000);

  test('during a push: cancelled, the result of every tag written, 143', async () => {
    const good = `${registry.address}/team/term:1`;
    const hung = `127.0.0.1:${silent.port}/team/term:1`;
    for (const t of [good, hung]) await docker(dockerd, ['tag', dockerd.baseImage, t]);
    const running = cli(['push', '--tag', good, '--tag', hung, '--format', 'json', '--digest-file', join(dir, 'term-digests')], { DOCKER_CONFIG: config });
    await running.stderrMatches(/pushed sha256:/);
    await new Promise((r) => setTimeout(r, 500));
    running.child.kill('SIGTERM');
    const run = await running.done;
    expect(run.code).toBe(143);
    expect(run.stderr).toMatch(new RegExp(`ABORTED: .*the push was cancelled on the daemon; pushed: ${good.replace(/\./g, '\\.')}; not pushed: ${hung.replace(/\./g, '\\.')}, after SIGTERM`));
    const summary = JSON.parse(run.stdout) as { results: Array<{ tag: string; status: string }> };
    expect(summary.results.map((r) => [r.tag, r.status])).toEqual([[good, 'pushed'], [hung, 'failed']]);
    expect(readFileSync(join(dir, 'term-digests'), 'utf8')).toMatch(new RegExp(`^${good.replace(/\./g, '\\.')}\\tpushed\\tsha256:[a-f0-9]{64}\\n${hung.replace(/\./g, '\\.')}\\tfailed\\tABORTED: .*\\n$`));
  }, 60_000);
});

test('a partial multi-tag push (second registry down): every tag with pushed/failed in JSON, digest file and GITHUB_OUTPUT; exit 3', async () => {
  const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nLABEL partial=${randomBytes(3).toString('hex')}\n` });
  const good = `${registry.address}/team/partial:1`;
  const down = `127.0.0.1:${await freePort()}/team/partial:1`;
  const githubOutput = join(dir, 'gh-partial');
  writeFileSync(githubOutput, '');
  const run = await cli(['build', '--context', context, '--tag', good, '--tag', down, '--push', '--retries', '0', '--format', 'json', '--digest-file', join(dir, 'partial-digests')],
    { DOCKER_CONFIG: config, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: githubOutput }).done;
  expect(run.code).toBe(3);
  const summary = JSON.parse(run.stdout) as { imageId: string; digests: Record<string, string>; results: Array<Record<string, unknown>> };
  expect(summary.imageId).toMatch(/^sha256:/);
  expect(summary.results).toEqual([
    { tag: good, status: 'pushed', digest: expect.stringMatching(/^sha256:/), verified: true },
    { tag: down, status: 'failed', error: { code: 'IMAGE_REGISTRY_UNREACHABLE', message: expect.stringMatching(/connection refused/) } },
  ]);
  expect(Object.keys(summary.digests)).toEqual([good]);
  const lines = readFileSync(join(dir, 'partial-digests'), 'utf8').trimEnd().split('\n');
  expect(lines).toEqual([`${good}\tpushed\t${summary.digests[good]}`, expect.stringMatching(new RegExp(`^${down.replace(/\./g, '\\.')}\\tfailed\\tIMAGE_REGISTRY_UNREACHABLE: .*connection refused`))]);
  const outputs = readFileSync(githubOutput, 'utf8');
  expect(outputs).toMatch(new RegExp(`digest<<(\\S+)\\n${summary.digests[good]}\\n\\1\\n`));
  expect(outputs).toMatch(new RegExp(`failed-tags<<(\\S+)\\n${down.replace(/\./g, '\\.')}\\n\\1\\n`));
  expect(outputs).toContain('"status":"failed"');
  expect(`${run.stdout}${run.stderr}${outputs}`).not.toContain(password);
}, 90_000);

describe('CI logs', () => {
  const failing = (marker: string) => writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN echo ${marker}-one\nRUN echo ${marker}-two && echo '::warning::not a command' && exit 5\n` });

  test('GitHub Actions: plain lines inside groups, an ::error annotation on the failing line, no JSON', async () => {
    const context = failing('gh');
    const run = await cli(['build', '--context', context, '--tag', 'ops-test/gh:1', '--network', 'none'], { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: context }).done;
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/^::group::\[2\/3\] RUN echo gh-one\ngh-one\n::endgroup::$/m);
    expect(run.stderr).toMatch(/^::group::\[3\/3\] RUN echo gh-two .*\ngh-two\n ::warning::not a command\n::endgroup::$/m);
    expect(run.stderr).toMatch(/^::error file=Dockerfile,line=3,title=IMAGE_BUILD_FAILED::build failed at \[3\/3\] RUN echo gh-two/m);
    expect(run.stderr).not.toMatch(/^\{/m);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/\(fix the failing step/);
  }, 60_000);

  test('--log-format json: JSON lines, the final line too', async () => {
    const context = failing('js');
    const run = await cli(['build', '--context', context, '--tag', 'ops-test/js:1', '--network', 'none', '--log-format', 'json']).done;
    expect(run.code).toBe(5);
    const lines = run.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'js-one', step: '[2/3] RUN echo js-one' }));
    expect(lines.at(-1)).toMatchObject({ level: 'error', code: 'IMAGE_BUILD_FAILED', exitCode: 5, message: expect.stringMatching(/^build failed at \[3\/3\]/) });
  }, 60_000);

  test('plain text by default outside CI logs', async () => {
    const run = await cli(['build', '--context', failing('tx'), '--tag', 'ops-test/tx:1', '--network', 'none']).done;
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/^\[2\/3\] RUN echo tx-one\ntx-one\n/m);
    expect(run.stderr).toMatch(/^image-builder: IMAGE_BUILD_FAILED: build failed at \[3\/3\] RUN echo tx-two .* \(Dockerfile:3\)/m);
  }, 60_000);
});

test('--file is relative to the working directory, as with docker build -f', async () => {
  const work = tempDir('ib-cwd-');
  mkdirSync(join(work, 'docker'));
  writeFileSync(join(work, 'docker', 'app.Dockerfile'), `FROM ${dockerd.baseImage}\nCOPY hello.txt /hello.txt\n`);
  mkdirSync(join(work, 'ctx'));
  writeFileSync(join(work, 'ctx', 'hello.txt'), 'hi from the context');
  const run = await cli(['build', '--context', 'ctx', '--file', 'docker/app.Dockerfile', '--tag', 'ops-test/cwd:1'], {}, { cwd: work }).done;
  expect(run.stderr).not.toMatch(/IMAGE_/);
  expect(run.code).toBe(0);
  expect((await docker(dockerd, ['run', '--rm', 'ops-test/cwd:1', 'cat', '/hello.txt'])).trim()).toBe('hi from the context');
}, 60_000);
