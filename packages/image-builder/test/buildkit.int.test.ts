import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDockerd, type TestDockerd } from '@ops/testkit/docker';
import { startRegistry, type TestRegistry } from '@ops/testkit/registry';
import { buildImage, createEngine, inspectImage, type BuildEvent, type BuildImageOptions } from '../src/index.js';
import type { BuildError } from '../src/index.js';
import { docker, dockerConfigFor, removeTempDirs, tempDir, writeTree } from './helpers.js';

const run = promisify(execFile);
const password = `bk-pw-${randomBytes(8).toString('hex')}`;
let dockerd: TestDockerd;
let secured: TestRegistry;
let engine: ReturnType<typeof createEngine>;
let privateBase: string;

// The test daemon runs with --bridge=none: BuildKit's RUN steps use no network.
const bk = { builder: 'buildkit', network: 'none', ociLabels: false } as const satisfies Partial<BuildImageOptions>;

beforeAll(async () => {
  dockerd = await startDockerd();
  secured = await startRegistry({ htpasswd: { user: 'ci', password } });
  engine = createEngine({ dockerHost: dockerd.dockerHost });
  // A private base image: pushed with the docker CLI, then removed locally so the build must pull it.
  privateBase = `${secured.address}/team/base:1.4.2`;
  const config = dockerConfigFor(secured.address, 'ci', password);
  await docker(dockerd, ['tag', dockerd.baseImage, privateBase]);
  await run(dockerd.dockerCli ?? 'docker', ['push', '-q', privateBase], { env: { ...process.env, DOCKER_HOST: dockerd.dockerHost, DOCKER_CONFIG: config } });
  await docker(dockerd, ['rmi', privateBase]);
}, 180_000);

afterAll(async () => {
  await secured?.stop();
  await dockerd?.stop();
  removeTempDirs();
}, 60_000);

const steps = (events: BuildEvent[]) => events.filter((e): e is Extract<BuildEvent, { type: 'step' }> => e.type === 'step').map((e) => e.step);

describe('a private base image in an htpasswd registry', () => {
  test.each([['buildkit'], ['classic']] as const)('%s: credentials from config.json go with the build (X-Registry-Config, session)', async (builder) => {
    const context = writeTree({ 'Dockerfile': `FROM ${privateBase}\nRUN echo built-on-private > /marker\n` });
    const env = { DOCKER_CONFIG: dockerConfigFor(secured.address, 'ci', password) };
    const result = await buildImage({ ...bk, builder, context, tags: [`ops-test/private-${builder}:1`], env, docker: engine });
    expect((await docker(dockerd, ['run', '--rm', result.imageId, 'cat', '/marker'])).trim()).toBe('built-on-private');
    await docker(dockerd, ['rmi', '-f', privateBase]).catch(() => undefined);
  }, 120_000);

  test('REGISTRY_* credentials of the push registry serve its base images too', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${privateBase}\n` });
    const env = { REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: password, DOCKER_CONFIG: tempDir('ib-none-') };
    const result = await buildImage({ ...bk, context, tags: [`${secured.address}/team/app:env`], env, docker: engine });
    expect(result.imageId).toMatch(/^sha256:/);
    await docker(dockerd, ['rmi', '-f', privateBase]).catch(() => undefined);
  }, 120_000);

  test.each([
    ['no credentials', {}, /no credentials were sent/],
    ['wrong REGISTRY_* credentials', { REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 'wrong-password' }, /rejected the credentials from REGISTRY_USERNAME\/REGISTRY_PASSWORD/],
  ])('%s: IMAGE_PULL_UNAUTHORIZED with a hint that fits', async (_name, extra, hint) => {
    const context = writeTree({ 'Dockerfile': `FROM ${privateBase}\n` });
    const env = { DOCKER_CONFIG: tempDir('ib-none-'), ...extra };
    const error = await buildImage({ ...bk, context, tags: [`${secured.address}/team/app:x`], env, docker: engine }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_PULL_UNAUTHORIZED', exitCode: 1 });
    expect((error as BuildError).hint).toMatch(hint);
    expect(JSON.stringify((error as BuildError).toJSON())).not.toContain('wrong-password');
  }, 60_000);
});

describe('BuildKit through the Engine API', () => {
  test('only the stages the target needs, readable steps, no step for labels', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage} AS unused\nRUN exit 9\nFROM ${dockerd.baseImage} AS app\nRUN echo in-app\n` });
    const events: BuildEvent[] = [];
    const result = await buildImage({ ...bk, context, target: 'app', tags: ['ops-test/bk-stages:1'], labels: { team: 'ops' }, env: { SOURCE_DATE_EPOCH: '1700000000' }, ociLabels: true, docker: engine, onEvent: (e) => events.push(e) });
    expect(result.builder).toBe('buildkit');
    expect(steps(events)).toEqual([expect.stringMatching(/^\[app 1\/2\] FROM /), '[app 2/2] RUN echo in-app', 'exporting to image']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'output', line: 'in-app' }));
    const labels = (await inspectImage(engine, result.imageId)).Config.Labels;
    expect(labels).toMatchObject({ team: 'ops', 'org.opencontainers.image.created': '2023-11-14T22:13:20.000Z' });
  }, 60_000);

  test('RUN --mount=type=cache works without anything else; the cache survives between builds', async () => {
    const dockerfile = `FROM ${dockerd.baseImage}\nARG N\nRUN --mount=type=cache,target=/cache echo "$N" >> /cache/runs && wc -l < /cache/runs > /count\n`;
    const context = writeTree({ 'Dockerfile': dockerfile });
    await buildImage({ ...bk, context, tags: ['ops-test/bk-cache:1'], buildArgs: { N: 'one' }, docker: engine });
    const second = await buildImage({ ...bk, context, tags: ['ops-test/bk-cache:2'], buildArgs: { N: 'two' }, docker: engine });
    expect(Number((await docker(dockerd, ['run', '--rm', second.imageId, 'cat', '/count'])).trim())).toBeGreaterThanOrEqual(2);
  }, 90_000);

  test('a session only when the build needs one: none when every base image is in the engine, one for a secret or a base image to pull', async () => {
    const proxy = await recordingProxy(dockerd.dockerHost.replace(/^unix:\/\//, ''));
    try {
      const viaProxy = createEngine({ dockerHost: `unix://${proxy.socket}` });
      const sessions = () => posts(proxy.requests, 'session');
      const env = { DOCKER_CONFIG: tempDir('ib-none-') };
      // The base image is the engine's own: nothing to pull, nothing for a session to serve.
      const local = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN echo no-session > /marker\n` });
      const plain = await buildImage({ ...bk, context: local, tags: ['ops-test/bk-nosession:1'], env, docker: viaProxy });
      expect((await docker(dockerd, ['run', '--rm', plain.imageId, 'cat', '/marker'])).trim()).toBe('no-session');
      expect(proxy.requests).toContainEqual(expect.stringMatching(/^POST (\/v[\d.]+)?\/build$/));
      expect(sessions()).toBe(0);
      // A secret is served over a session.
      const dir = writeTree({ 'token.txt': 'value' });
      const secret = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN --mount=type=secret,id=token cat /run/secrets/token\n` });
      await buildImage({ ...bk, context: secret, tags: ['ops-test/bk-session:1'], secrets: [{ id: 'token', src: join(dir, 'token.txt') }], env, docker: viaProxy });
      expect(sessions()).toBe(1);
      // A base image the engine does not have is pulled with the credentials the session serves.
      const pulled = writeTree({ 'Dockerfile': `FROM ${privateBase}\n` });
      await buildImage({ ...bk, context: pulled, tags: ['ops-test/bk-session:2'], env: { DOCKER_CONFIG: dockerConfigFor(secured.address, 'ci', password) }, docker: viaProxy });
      expect(sessions()).toBe(2);
      await docker(dockerd, ['rmi', '-f', privateBase]).catch(() => undefined);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  test('an engine that says it has the base image but asks for a session anyway gets the build again with one', async () => {
    // The proxy answers that the private base image is in the engine (as an engine on the
    // containerd image store has it, and still resolves it in its registry); the daemon behind it
    // does not have it, so BuildKit pulls it and asks the client session for credentials.
    const said = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;
    const proxy = await recordingProxy(dockerd.dockerHost.replace(/^unix:\/\//, ''), (line) => (line.includes(`/images/${privateBase}/json `) ? said : undefined));
    try {
      const viaProxy = createEngine({ dockerHost: `unix://${proxy.socket}` });
      const events: BuildEvent[] = [];
      const context = writeTree({ 'Dockerfile': `FROM ${privateBase}\nRUN echo retried > /marker\n` });
      const env = { DOCKER_CONFIG: dockerConfigFor(secured.address, 'ci', password) };
      const result = await buildImage({ ...bk, context, tags: ['ops-test/bk-retry:1'], env, docker: viaProxy, onEvent: (e) => events.push(e) });
      expect((await docker(dockerd, ['run', '--rm', result.imageId, 'cat', '/marker'])).trim()).toBe('retried');
      expect(events).toContainEqual({ type: 'warning', message: expect.stringMatching(/no active sessions.*building again with a BuildKit session/) });
      expect(posts(proxy.requests, 'build')).toBe(2);
      expect(posts(proxy.requests, 'session')).toBe(1);
      await docker(dockerd, ['rmi', '-f', privateBase]).catch(() => undefined);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  test('--secret: served over the client session, in the step, never in the image or a log', async () => {
    const value = `s3cr3t-${randomBytes(6).toString('hex')}`;
    const dir = writeTree({ 'token.txt': value });
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN --mount=type=secret,id=token test "$(cat /run/secrets/token)" = "${value}" && echo secret-ok && ls /run/secrets > /seen\n` });
    const events: BuildEvent[] = [];
    const result = await buildImage({ ...bk, context, tags: ['ops-test/bk-secret:1'], secrets: [{ id: 'token', src: join(dir, 'token.txt') }], docker: engine, onEvent: (e) => events.push(e) });
    expect(events).toContainEqual(expect.objectContaining({ type: 'output', line: 'secret-ok' }));
    expect((await docker(dockerd, ['run', '--rm', result.imageId, 'sh', '-c', 'cat /seen; ls /run/secrets 2>/dev/null | wc -l'])).trim().split('\n')).toEqual(['token', '0']);
  }, 60_000);

  test('a secret the Dockerfile needs but the build was not given fails at that step', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN --mount=type=secret,id=missing,required=true cat /run/secrets/missing\n` });
    await expect(buildImage({ ...bk, context, tags: ['ops-test/bk-nosecret:1'], docker: engine })).rejects.toMatchObject({ code: 'IMAGE_BUILD_FAILED', line: 2, step: expect.stringMatching(/RUN --mount=type=secret,id=missing/) });
  }, 60_000);

  test('--ssh default: the agent of SSH_AUTH_SOCK is forwarded to RUN --mount=type=ssh', async () => {
    const dir = tempDir('ib-agent-');
    const sock = join(dir, 'agent.sock');
    const agent = await run('ssh-agent', ['-a', sock]);
    const pid = /SSH_AGENT_PID=(\d+)/.exec(agent.stdout)![1]!;
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'image-builder-test', '-f', join(dir, 'id')]);
      await run('ssh-add', [join(dir, 'id')], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      // busybox has no ssh-add: the step proves the forwarded socket answers by asking for the key list
      // (SSH_AGENTC_REQUEST_IDENTITIES) with printf and reading the reply through nc.
      const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\nRUN --mount=type=ssh test -S "$SSH_AUTH_SOCK" && echo agent-socket-ok\n` });
      const events: BuildEvent[] = [];
      await buildImage({ ...bk, context, tags: ['ops-test/bk-ssh:1'], ssh: ['default'], env: { SSH_AUTH_SOCK: sock }, docker: engine, onEvent: (e) => events.push(e) });
      expect(events).toContainEqual(expect.objectContaining({ type: 'output', line: 'agent-socket-ok' }));
    } finally {
      process.kill(Number(pid));
    }
  }, 60_000);

  test('a failing step: its name, Dockerfile line, output and exit status', async () => {
    const context = writeTree({ 'Dockerfile': `FROM ${dockerd.baseImage}\n\nRUN echo compiling && \\\n    echo 'error: missing semicolon' >&2 && exit 42\n` });
    const error = await buildImage({ ...bk, context, tags: ['ops-test/bk-fail:1'], docker: engine }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_BUILD_FAILED', exitCode: 42, exitStatus: 42, line: 3, step: expect.stringMatching(/^\[2\/2\] RUN echo compiling/) });
    // stdout and stderr of a step reach BuildKit as two streams: their order between them is not kept.
    expect([...(error as { lastLines: string[] }).lastLines].sort()).toEqual(['compiling', 'error: missing semicolon']);
  }, 60_000);

  test.each([
    ['classic', `FROM scratch\nRUN --mount=type=cache,target=/c true\n`, /RUN --mount \(Dockerfile:2\) needs BuildKit, which is not available with --builder classic/],
    ['classic', `FROM scratch\nRUN <<EOF\necho hi\nEOF\n`, /heredoc \(Dockerfile:2\) needs BuildKit/],
    ['buildkit', `FROM scratch\nCOPY <<EOF /x\nhi\nEOF\n`, /heredoc \(Dockerfile:2\) needs Dockerfile frontend 1.4/],
  ] as const)('%s builder: %j is refused before the context is sent, naming the feature', async (builder, dockerfile, message) => {
    const context = writeTree({ 'Dockerfile': dockerfile });
    const error = await buildImage({ ...bk, builder, context, tags: ['ops-test/refused:1'], docker: engine }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_FEATURE_UNSUPPORTED', exitCode: 2 });
    expect((error as Error).message).toMatch(message);
  });

  test('the classic builder says it ignores # syntax=', async () => {
    const context = writeTree({ 'Dockerfile': `# syntax=docker/dockerfile:1\nFROM ${dockerd.baseImage}\n` });
    const events: BuildEvent[] = [];
    await buildImage({ ...bk, builder: 'classic', context, tags: ['ops-test/syntax:1'], docker: engine, onEvent: (e) => events.push(e) });
    expect(events).toContainEqual({ type: 'warning', message: expect.stringMatching(/classic builder ignores the "# syntax=docker\/dockerfile:1" directive/) });
  });
});

// How many of the recorded requests are `POST /<endpoint>` (versioned or not).
function posts(requests: readonly string[], endpoint: string): number {
  return requests.filter((r) => new RegExp(`^POST (/v[\\d.]+)?/${endpoint}$`).test(r)).length;
}

// A Unix socket in front of the test daemon that forwards every byte and records each request
// line (method and path, no query): the client's requests, seen at the network boundary. The
// client sends one request a connection; `answer` may answer a request itself (an engine that
// says something else than the daemon behind it) instead of forwarding it.
async function recordingProxy(target: string, answer?: (requestLine: string) => string | undefined): Promise<{ socket: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const socket = join(tempDir('ib-proxy-'), 'docker.sock');
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('error', () => client.destroy()).on('close', () => open.delete(client));
    client.once('data', (first: Buffer) => {
      const line = /^[A-Z]+ \S+ HTTP\/1\.[01]/.exec(first.toString('latin1'))?.[0] ?? '';
      const canned = answer?.(line);
      if (canned !== undefined) {
        requests.push(line.replace(/^(\S+) (\/[^?\s]*)\S* .*$/, '$1 $2'));
        client.end(canned);
        return;
      }
      const upstream = connect(target);
      open.add(upstream);
      const record = (chunk: Buffer) => {
        for (const m of chunk.toString('latin1').matchAll(/^(GET|HEAD|POST|PUT|DELETE) (\/[^?\s]*)\S* HTTP\/1\.[01]\r$/gm)) requests.push(`${m[1]} ${m[2]}`);
      };
      record(first);
      upstream.write(first);
      client.on('data', record);
      client.pipe(upstream).pipe(client);
      const end = () => { client.destroy(); upstream.destroy(); open.delete(upstream); };
      client.on('close', end);
      upstream.on('error', end).on('close', end);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    socket,
    requests,
    close: () => new Promise<void>((resolve) => { for (const s of open) s.destroy(); server.close(() => resolve()); }),
  };
}
