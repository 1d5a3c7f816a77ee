import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '@ops/testkit';
import { startDockerd, type TestDockerd } from '@ops/testkit/docker';
import { startRegistry, type TestRegistry } from '@ops/testkit/registry';
import { BuildError, buildImage, createEngine, inspectImage, pushImage, type BuildEvent, type PushEvent } from '../src/index.js';
import { containersLeft, docker, dockerConfigFor, manifestDigest, removeTempDirs, writeTree } from './helpers.js';

const password = `pw-${randomBytes(8).toString('hex')}`;
let dockerd: TestDockerd;
let secured: TestRegistry;
let engine: ReturnType<typeof createEngine>;

beforeAll(async () => {
  dockerd = await startDockerd();
  secured = await startRegistry({ htpasswd: { user: 'ci', password } });
  engine = createEngine({ dockerHost: dockerd.dockerHost });
}, 120_000);

afterAll(async () => {
  await secured?.stop();
  await dockerd?.stop();
  removeTempDirs();
}, 60_000);

describe('buildImage against a real dockerd', () => {
  test('ignore rules, build args, labels and several tags', async () => {
    const context = writeTree({
      'Dockerfile': `FROM ${dockerd.baseImage}\nARG GREETING=unset\nCOPY . /ctx\nRUN echo "$GREETING" > /greeting\n`,
      '.dockerignore': 'node_modules\n*.log\ndocs\n!docs/keep.md\n**/*.tmp\n',
      'app.js': 'console.log(1)',
      'debug.log': 'x',
      'src/deep/nested.tmp': 'x',
      'src/deep/kept.js': 'x',
      'node_modules/big/index.js': 'x',
      'docs/keep.md': 'x',
      'docs/drop.md': 'x',
    });
    const events: BuildEvent[] = [];
    const result = await buildImage({
      context,
      tags: ['ops-test/app:1', 'ops-test/app:latest'],
      buildArgs: { GREETING: 'hello from CI' },
      labels: { team: 'platform', 'org.opencontainers.image.source': 'https://example.invalid/override' },
      env: { GITHUB_SHA: 'c0ffee', GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://github.com' },
      docker: engine,
      builder: 'classic',
      onEvent: (e) => events.push(e),
    });
    expect(result.imageId).toMatch(/^sha256:[a-f0-9]{64}$/);
    const files = (await docker(dockerd, ['run', '--rm', 'ops-test/app:1', 'find', '/ctx'])).trim().split('\n').sort();
    expect(files).toEqual(['/ctx', '/ctx/.dockerignore', '/ctx/Dockerfile', '/ctx/app.js', '/ctx/docs', '/ctx/docs/keep.md', '/ctx/src', '/ctx/src/deep', '/ctx/src/deep/kept.js']);
    expect((await docker(dockerd, ['run', '--rm', 'ops-test/app:latest', 'cat', '/greeting'])).trim()).toBe('hello from CI');
    const inspect = await inspectImage(engine, 'ops-test/app:latest');
    expect(inspect.Id).toBe(result.imageId);
    expect(inspect.RepoTags.sort()).toEqual(['ops-test/app:1', 'ops-test/app:latest']);
    expect(inspect.Config.Labels).toMatchObject({
      team: 'platform',
      'org.opencontainers.image.revision': 'c0ffee',
      'org.opencontainers.image.source': 'https://example.invalid/override',
    });
    // no wall-clock date without SOURCE_DATE_EPOCH: the same inputs give the same image
    expect(inspect.Config.Labels).not.toHaveProperty(['org.opencontainers.image.created']);
    const steps = events.filter((e): e is Extract<BuildEvent, { type: 'step' }> => e.type === 'step');
    // 4 Dockerfile steps, then the daemon adds one LABEL step per label
    expect(steps.map((e) => e.index)).toEqual(Array.from({ length: steps[0]!.total! }, (_, i) => i + 1));
    expect(steps.slice(0, 4).map((e) => e.step.replace(/^Step \d+\/\d+ : /, '').split(' ')[0])).toEqual(['FROM', 'ARG', 'COPY', 'RUN']);
    expect(events).toContainEqual({ type: 'built', imageId: result.imageId });
    // .dockerignore, Dockerfile, app.js, docs/keep.md (not docs/ itself: excluded, walked for the exception), src/, src/deep/, kept.js
    expect(result.context.entries).toBe(7);
  });

  test('the same files reach the image as with the docker CLI, for tricky .dockerignore rules', async () => {
    const files: Record<string, string> = {
      '.dockerignore': '# comment\n**/*.tmp\n/build/\ndocs\n!docs/keep/**\n*.md\n!README*.md\nREADME-secret.md\nsrc/**/generated\n[ab].txt\n!b.txt\nDockerfile\n',
      'Dockerfile': `FROM ${dockerd.baseImage}\nCOPY . /ctx\n`,
      'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'x.tmp': 'x', 'deep/er/y.tmp': 'y', 'deep/er/z.js': 'z',
      'build/out.o': 'o', 'sub/build/out.o': 'o', 'docs/keep/one.md': '1', 'docs/keep/two/three.txt': '3', 'docs/drop.md': 'd',
      'README.md': 'r', 'README-secret.md': 's', 'CHANGES.md': 'c', 'sub/notes.md': 'n',
      'src/app/generated/g.js': 'g', 'src/app/main.js': 'm', 'src/generated/h.js': 'h',
    };
    const context = writeTree(files);
    await docker(dockerd, ['build', '-q', '-t', 'ops-test/ignore-cli:1', context]);
    await buildImage({ context, tags: ['ops-test/ignore-lib:1'], docker: engine, ociLabels: false, builder: 'classic' });
    const list = async (image: string) => (await docker(dockerd, ['run', '--rm', image, 'find', '/ctx'])).trim().split('\n').sort();
    const viaCli = await list('ops-test/ignore-cli:1');
    expect(await list('ops-test/ignore-lib:1')).toEqual(viaCli);
    expect(viaCli).toContain('/ctx/b.txt');
    expect(viaCli).not.toContain('/ctx/a.txt');
  });

  test('a Dockerfile outside the context and a target stage', async () => {
    const context = writeTree({ 'a.txt': 'A' });
    const elsewhere = writeTree({ 'build.Dockerfile': `FROM ${dockerd.baseImage} AS first\nCOPY . /ctx\nFROM first AS second\nRUN touch /second\n` });
    const result = await buildImage({ context, dockerfile: join(elsewhere, 'build.Dockerfile'), target: 'first', tags: ['ops-test/outside:1'], docker: engine, ociLabels: false, builder: 'classic' });
    const files = (await docker(dockerd, ['run', '--rm', result.imageId, 'sh', '-c', 'ls -A /ctx; ls /second 2>&1 || true'])).trim();
    // the generated Dockerfile name and .dockerignore are removed by the daemon, as with the docker CLI
    expect(files.split('\n')).toEqual(['a.txt', expect.stringMatching(/No such file/)]);
  });

  test('a failing RUN step is a BuildError with the step and its last output lines', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN echo preparing && echo about-to-fail >&2 && exit 7\n` });
    const error = await buildImage({ context, tags: ['ops-test/failing:1'], docker: engine, builder: 'classic' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect(error).toMatchObject({
      code: 'IMAGE_BUILD_FAILED',
      exitCode: 7,
      line: 2,
      step: expect.stringMatching(/^Step 2\/\d+ : RUN echo preparing && echo about-to-fail >&2 && exit 7$/),
      exitStatus: 7,
      lastLines: expect.arrayContaining(['preparing', 'about-to-fail']),
    });
    expect((error as Error).message).toMatch(/returned a non-zero code: 7/);
    expect((error as Error).message).toContain('about-to-fail');
  });

  test('a hung build ends at the timeout and its container is removed', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN echo started && sleep 600\n` });
    const error = await buildImage({ context, tags: ['ops-test/hung:1'], docker: engine, timeoutMs: 3000, builder: 'classic' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_BUILD_TIMEOUT', exitCode: 1, step: expect.stringMatching(/^Step 2\/\d+ : RUN echo started && sleep 600$/) });
    // the daemon cancels the build when the request is aborted: nothing keeps running, nothing is left
    expect(await containersLeft(dockerd)).toBe('');
  }, 40_000);

  test('an engine that is not there is IMAGE_ENGINE_UNREACHABLE (exit 3)', async () => {
    const context = writeTree({ 'Dockerfile': 'FROM scratch\n' });
    await expect(buildImage({ context, tags: ['x:1'], docker: createEngine({ dockerHost: 'unix:///nonexistent/docker.sock' }) })).rejects.toMatchObject({ code: 'IMAGE_ENGINE_UNREACHABLE', exitCode: 3 });
  });
});

describe('pushImage against a real docker-registry with htpasswd auth', () => {
  let imageId: string;
  beforeAll(async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN echo ${randomBytes(4).toString('hex')} > /id\n` });
    const tags = [`${secured.address}/team/app:1`, `${secured.address}/team/app:2`];
    imageId = (await buildImage({ context, tags, docker: engine, ociLabels: false, builder: 'classic' })).imageId;
  }, 60_000);

  test('credentials from config.json; every tag pushed; digests equal the registry\'s', async () => {
    const events: PushEvent[] = [];
    const env = { DOCKER_CONFIG: dockerConfigFor(secured.address, 'ci', password) };
    const tags = [`${secured.address}/team/app:1`, `${secured.address}/team/app:2`];
    const result = await pushImage({ tags, docker: engine, env, onEvent: (e) => events.push(e) });
    expect(imageId).toMatch(/^sha256:/);
    for (const [tag, name] of [[tags[0]!, '1'], [tags[1]!, '2']] as const) {
      expect(result.digests[tag]).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(result.digests[tag]).toBe(await manifestDigest(secured.url, 'team/app', name, 'ci', password));
    }
    expect(result.verified).toEqual(tags);
    expect(events.filter((e) => e.type === 'pushed').map((e) => e.tag)).toEqual(tags);
  });

  test.each([
    ['no credentials', {}],
    ['a wrong password', { REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 'wrong-password' }],
  ])('%s: the push is refused with IMAGE_PUSH_UNAUTHORIZED', async (_name, extra) => {
    const env = { DOCKER_CONFIG: join(secured.storageDir, 'no-config'), ...extra };
    const error = await pushImage({ tags: [`${secured.address}/team/app:1`], docker: engine, env, retries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PushError', code: 'IMAGE_PUSH_UNAUTHORIZED', exitCode: 1 });
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain(password);
  });

  test('a tag that was never built is IMAGE_PUSH_NOT_FOUND', async () => {
    // Valid credentials, so the only thing wrong is the missing image (without them the engine
    // may report the registry's 401 before it looks the tag up).
    const env = { DOCKER_CONFIG: dockerConfigFor(secured.address, 'ci', password) };
    await expect(pushImage({ tags: [`${secured.address}/team/never-built:1`], docker: engine, env, retries: 0 })).rejects.toMatchObject({ code: 'IMAGE_PUSH_NOT_FOUND' });
  });

  test('a registry that is down is retried, then IMAGE_REGISTRY_UNREACHABLE (exit 3)', async () => {
    const port = await freePort();
    const tag = `127.0.0.1:${port}/team/app:1`;
    await docker(dockerd, ['tag', imageId, tag]);
    const events: PushEvent[] = [];
    const error = await pushImage({ tags: [tag], docker: engine, env: {}, retries: 2, minDelayMs: 10, maxDelayMs: 50, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_REGISTRY_UNREACHABLE', exitCode: 3 });
    expect((error as Error).message).toMatch(/connection refused.*gave up after 3 attempts/);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });
});

describe('a dockerode instance as the engine', () => {
  test('builds (context, credentials header, stream) and pushes with its modem', async () => {
    const { default: Docker } = await import('dockerode');
    const dockerode = new Docker({ socketPath: dockerd.dockerHost.replace('unix://', '') });
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nCOPY big.bin /big.bin\n`, 'big.bin': 'b'.repeat(3 * 1024 * 1024 + 1) });
    const tag = `${secured.address}/team/dockerode:1`;
    const built = await buildImage({ context, tags: [tag], docker: dockerode, ociLabels: false, builder: 'classic' });
    expect((await inspectImage(dockerode, tag)).Id).toBe(built.imageId);
    expect((await docker(dockerd, ['run', '--rm', built.imageId, 'wc', '-c', '/big.bin'])).trim()).toMatch(/^3145729 /);
    const env = { DOCKER_CONFIG: dockerConfigFor(secured.address, 'ci', password) };
    const pushed = await pushImage({ tags: [tag], docker: dockerode, env });
    expect(pushed.digests[tag]).toBe(await manifestDigest(secured.url, 'team/dockerode', '1', 'ci', password));
  }, 60_000);
});
