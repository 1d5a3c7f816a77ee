import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { makeTempDir } from '../src/index.js';
import { dockerApi, startDockerd, type TestDockerd } from '../src/docker.js';
import { startRegistry, type TestRegistry } from '../src/registry.js';

const run = promisify(execFile);

describe('testkit dockerd + docker-registry', () => {
  let dockerd: TestDockerd;
  const registries: TestRegistry[] = [];
  const config = makeTempDir('ops-docker-config-');
  const contexts: Array<{ remove: () => void }> = [];

  beforeAll(async () => {
    dockerd = await startDockerd();
  }, 120_000);

  afterAll(async () => {
    for (const r of registries) await r.stop();
    await dockerd?.stop();
    config.remove();
    for (const dir of contexts) dir.remove();
  }, 60_000);

  const docker = (args: string[], input?: string) => {
    const child = run(dockerd.dockerCli ?? 'docker', args, { env: { ...process.env, DOCKER_HOST: dockerd.dockerHost, DOCKER_CONFIG: config.path, DOCKER_BUILDKIT: '0' } });
    if (input !== undefined) child.child.stdin?.end(input);
    return child;
  };

  test('the daemon answers on its own socket', async () => {
    const ping = await dockerApi(dockerd.socketPath, 'GET', '/_ping');
    expect(ping).toEqual({ status: 200, body: 'OK' });
    const info = JSON.parse((await dockerApi(dockerd.socketPath, 'GET', '/info')).body) as { Driver: string; DockerRootDir: string };
    expect(info.Driver).toBe(dockerd.storageDriver);
    expect(dockerd.dockerHost).toBe(`unix://${dockerd.socketPath}`);
  });

  test('the imported busybox base image runs echo, and RUN steps work in a build', async () => {
    const { stdout } = await docker(['run', '--rm', '--network', 'none', dockerd.baseImage, 'echo', 'hello from busybox']);
    expect(stdout.trim()).toBe('hello from busybox');
    const ctx = makeTempDir('ops-docker-ctx-');
    contexts.push(ctx);
    writeFileSync(`${ctx.path}/Dockerfile`, `FROM ${dockerd.baseImage}\nRUN echo built > /marker\n`);
    await docker(['build', '-q', '-t', 'ops-test/run-step:1', ctx.path]);
    const out = await docker(['run', '--rm', 'ops-test/run-step:1', 'cat', '/marker']);
    expect(out.stdout.trim()).toBe('built');
  }, 60_000);

  test('a registry without auth accepts a push', async () => {
    const registry = await startRegistry();
    registries.push(registry);
    const ref = `${registry.address}/open/busybox:1`;
    await docker(['tag', dockerd.baseImage, ref]);
    const { stdout } = await docker(['push', ref]);
    expect(stdout).toMatch(/1: digest: sha256:[a-f0-9]{64}/);
    const res = await fetch(`${registry.url}/v2/open/busybox/tags/list`);
    expect(await res.json()).toEqual({ name: 'open/busybox', tags: ['1'] });
  }, 60_000);

  test('a registry with htpasswd auth refuses anonymous pushes and accepts a logged-in one', async () => {
    const registry = await startRegistry({ htpasswd: { user: 'ci', password: 's3cret-pw' } });
    registries.push(registry);
    expect(registry.user).toBe('ci');
    const ref = `${registry.address}/private/busybox:1`;
    await docker(['tag', dockerd.baseImage, ref]);
    await expect(docker(['push', ref])).rejects.toThrow(/no basic auth credentials|unauthorized/);
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(401);
    await docker(['login', '-u', 'ci', '--password-stdin', registry.address], 's3cret-pw');
    const { stdout } = await docker(['push', ref]);
    expect(stdout).toMatch(/1: digest: sha256:[a-f0-9]{64}/);
    const auth = Buffer.from('ci:s3cret-pw').toString('base64');
    const res = await fetch(`${registry.url}/v2/private/busybox/tags/list`, { headers: { authorization: `Basic ${auth}` } });
    expect(await res.json()).toEqual({ name: 'private/busybox', tags: ['1'] });
  }, 60_000);
});
