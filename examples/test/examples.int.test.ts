import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { makeTempDir } from '@ops/testkit';
import { startDockerd, startRegistry, type TestDockerd, type TestRegistry } from '@ops/testkit/docker';
import { fault, startFaultServer } from '@ops/testkit/fault-http';
import { closedPort } from '@ops/testkit/ssh-failures';
import { startSshd, type Sshd } from '@ops/testkit/sshd';
import { EXAMPLES_DIR, jsonLines, runScript, startScript } from './run-script.js';

const tmp = makeTempDir('ops-examples-test-');
afterAll(() => tmp.remove());

describe('failed-ips.ts', () => {
  test('prints the top offenders of the sample log, IPv6 included', async () => {
    const run = await runScript('failed-ips.ts', ['--top', '3']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^203\.0\.113\.7\s+12 failures\s+users: admin,root\s/);
    expect(lines[1]).toMatch(/^2001:db8:85a3::8a2e:370:7334\s+5 failures/);
    expect(lines[3]).toBe('34 failures from 11 IPs in 41 lines (1 source)');
  });

  test('scans a directory of logs given on the command line', async () => {
    const dir = join(tmp.path, 'logs');
    mkdirSync(dir);
    copyFileSync(join(EXAMPLES_DIR, 'fixtures/auth.log'), join(dir, 'auth.log'));
    copyFileSync(join(EXAMPLES_DIR, 'fixtures/auth.log'), join(dir, 'auth.log.1'));
    const run = await runScript('failed-ips.ts', ['--top', '1', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^203\.0\.113\.7\s+24 failures/);
    expect(run.stdout).toContain('68 failures from 11 IPs in 82 lines (2 sources)');
  });
});

describe('validate-config.ts', () => {
  test('prints the valid sample config standardized, defaults filled in', async () => {
    const run = await runScript('validate-config.ts', [], { IMAGE_REPOSITORY: '127.0.0.1:5000/shop/api' });
    expect(run.code).toBe(0);
    // Scalars a YAML 1.1 reader could take for something else are quoted (see config-schema's README).
    expect(run.stdout).toMatch(/^service: shop-api\nenvironment: staging\nreplicas: 2\nimage:\n {2}context: "\.\/app"\n {2}repository: "127\.0\.0\.1:5000\/shop\/api"\n/);
    expect(run.stdout).toContain('  timeout: "10s"\n');
  });

  test('reports every problem of the invalid config at its line and exits 1', async () => {
    const run = await runScript('validate-config.ts', ['fixtures/deploy-invalid.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('fixtures/deploy-invalid.yaml:4:11: replicas: must be an integer, got the string "three"');
    expect(run.stderr).toContain('fixtures/deploy-invalid.yaml:8:3: image.contxt: is not an allowed property');
    expect(run.stderr).toContain('fixtures/deploy-invalid.yaml:11:3: deploy.url: is required');
    expect(run.stderr).toContain('6 problems in fixtures/deploy-invalid.yaml');
  });
});

describe('deploy-with-retry.ts', () => {
  test('retries a POST with an Idempotency-Key through 503 and 429, never logging the token', async () => {
    const api = await startFaultServer({
      routes: { 'POST /v1/deployments': [fault.status(503), fault.retryAfter(1), fault.json(202, { id: 'dep-7', status: 'queued' })] },
    });
    try {
      const run = await runScript('deploy-with-retry.ts', ['--api', `${api.url}/v1/`, '--image', 'shop/api:2.0.0'], { DEPLOY_TOKEN: 's3cr3t-deploy-token' });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('deployment dep-7 queued for shop-api (shop/api:2.0.0) after 3 attempts\n');
      const retries = jsonLines(run.stderr).filter((l) => String(l.message).startsWith('retrying POST'));
      expect(retries.map((l) => l.reason)).toEqual(['status 503', 'status 429 (Retry-After 1s)']);
      expect(run.stderr).not.toContain('s3cr3t-deploy-token');
      const requests = api.requests('/v1/deployments');
      expect(requests).toHaveLength(3);
      expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(requests[0]!.headers.authorization).toBe('Bearer s3cr3t-deploy-token');
      expect(JSON.parse(requests[2]!.body)).toEqual({ service: 'shop-api', image: 'shop/api:2.0.0' });
    } finally {
      await api.stop();
    }
  });

  test('runs on its own against the local stand-in', async () => {
    const run = await runScript('deploy-with-retry.ts', [], { DEPLOY_API: '' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('deployment dep-1042 queued for shop-api');
    expect(jsonLines(run.stderr).map((l) => l.reason)).toEqual(['status 503', 'ECONNRESET', 'status 429 (Retry-After 1s)']);
  });
});

describe('metrics-agent.ts', () => {
  test('serves host metrics until SIGTERM, then exits 0', async () => {
    const child = startScript('metrics-agent.ts', ['--port', '0', '--interval', '500ms']);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 30_000);
        child.stdout!.on('data', () => {
          const match = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      // /metrics answers as soon as the port is open; its series have values once /readyz says so.
      const deadline = Date.now() + 30_000;
      while ((await fetch(`${url}/readyz`)).status !== 200) {
        if (Date.now() > deadline) throw new Error('the agent never became ready');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/^host_cpu_cores \d+$/m);
      expect(text).toMatch(/^host_memory_total_bytes \d+/m);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('with a throwaway sshd', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.stop());

  test('check-ssh.ts exits 1 and names the unreachable host and why', async () => {
    const closed = await closedPort();
    const servers = join(tmp.path, 'servers.txt');
    writeFileSync(servers, `# test inventory\n${sshd.user}@127.0.0.1:${sshd.port}\ndeploy@127.0.0.1:${closed.port}\n`);
    // a roomy --timeout: a loaded test machine can be slow to authenticate
    const run = await runScript('check-ssh.ts', [servers, '--check', 'auth', '--timeout', '20s', '--identity', sshd.userKeyPath, '--known-hosts', join(tmp.path, 'known_hosts_1')]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^ok\\s+127\\.0\\.0\\.1:${sshd.port}\\s+\\d+ms\\s+SSH-2\\.0-OpenSSH`));
    expect(lines[1]).toMatch(new RegExp(`^UNREACHABLE\\s+127\\.0\\.0\\.1:${closed.port}\\s+refused at connect`));
    expect(lines[2]).toBe('1/2 reachable');
  });

  test('check-ssh.ts exits 0 when every host is reachable, and 1 on the sample servers.txt', async () => {
    const servers = join(tmp.path, 'servers-ok.txt');
    writeFileSync(servers, `${sshd.user}@127.0.0.1:${sshd.port}\n`);
    const ok = await runScript('check-ssh.ts', [servers, '--check', 'auth', '--timeout', '20s', '--identity', sshd.userKeyPath, '--known-hosts', join(tmp.path, 'known_hosts_2')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1/1 reachable');
    const sample = await runScript('check-ssh.ts', []);
    expect(sample.code).toBe(1);
    expect(sample.stdout).toContain('UNREACHABLE  web1.example.invalid:22  dns at resolve');
    expect(sample.stdout).toContain('0/3 reachable');
  });

  describe('and a private Docker engine and registry', () => {
    let docker: TestDockerd;
    let registry: TestRegistry;
    beforeAll(async () => {
      docker = await startDockerd();
      registry = await startRegistry();
    }, 120_000);
    afterAll(async () => {
      await registry?.stop();
      await docker?.stop();
    }, 60_000);

    test('build-and-push.ts builds the sample context and pushes it, digest verified', async () => {
      const tag = `${registry.address}/shop/api:test`;
      const run = await runScript('build-and-push.ts', ['--tag', tag, '--build-arg', `BASE_IMAGE=${docker.baseImage}`, '--push'], { DOCKER_HOST: docker.dockerHost }, 120_000);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^built sha256:[0-9a-f]{64} as ${tag.replace(/[.]/g, '\\.')} \\(\\d+ files, `));
      expect(run.stdout).toMatch(new RegExp(`\\npushed ${tag.replace(/[.]/g, '\\.')} sha256:[0-9a-f]{64} \\(verified\\)\\n$`));
      // BuildKit (the daemon has it): one step per FROM/COPY/RUN, named as the docker CLI shows them
      const steps = jsonLines(run.stderr).filter((l) => /^\[\d+\/\d+\] /.test(String(l.message)));
      expect(steps[0]!.message).toMatch(/^\[1\/3\] FROM /);
      expect(run.stderr).toContain('"message":"version.txt"');
    }, 150_000);

    test('build-and-push.ts exits 3 when the engine cannot be reached', async () => {
      const run = await runScript('build-and-push.ts', [], { DOCKER_HOST: `unix://${join(tmp.path, 'no-such.sock')}` });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('IMAGE_ENGINE_UNREACHABLE');
    });

    test('preflight.ts runs every step, one JSON line each, and stops at the first failure', async () => {
      const api = await startFaultServer({
        routes: { 'POST /api/deployments': [fault.times(2, fault.status(503)), fault.json(202, { id: 'dep-1042', status: 'queued' })] },
      });
      try {
        const target = `${sshd.user}@127.0.0.1:${sshd.port}`;
        const env = {
          DOCKER_HOST: docker.dockerHost,
          IMAGE_REPOSITORY: `${registry.address}/shop/api`,
          TARGET_1: target,
          TARGET_2: target,
          PROBE_CHECK: 'auth',
          DEPLOY_API: `${api.url}/api/`,
        };
        const args = ['--identity', sshd.userKeyPath, '--known-hosts', join(tmp.path, 'known_hosts_3'), '--set', `image.buildArgs.BASE_IMAGE=${docker.baseImage}`, '--set', 'probe.timeout=20s'];
        const run = await runScript('preflight.ts', args, env, 120_000);
        expect(run.code).toBe(0);
        const lines = jsonLines(run.stderr);
        const steps = lines.filter((l) => l.step && l.ok !== undefined);
        expect(steps.map((l) => `${l.step}:${l.ok}`)).toEqual(['config:true', 'probe:true', 'build:true', 'push:true', 'deploy:true']);
        expect(steps.every((l) => l.tool === 'preflight' && typeof l.ms === 'number')).toBe(true);
        expect(lines.filter((l) => l.level === 'warn' && l.step === 'deploy')).toHaveLength(2);
        const push = steps.find((l) => l.step === 'push')!;
        expect(push.verified).toBe(true);
        expect(run.stdout).toBe(`shop-api 1.4.2 (${String(push.digest)}) deployment dep-1042 queued\n`);
        const requests = api.requests('/api/deployments');
        expect(requests).toHaveLength(3);
        expect(requests[0]!.headers['idempotency-key']).toBe(`shop-api-staging-${String(push.digest)}`);
        expect(JSON.parse(requests[0]!.body)).toMatchObject({ service: 'shop-api', environment: 'staging', replicas: 2, digest: push.digest });

        // the sample as it is: its *.invalid hosts stop the run at the probe step
        const sample = await runScript('preflight.ts', [], { DOCKER_HOST: docker.dockerHost });
        expect(sample.code).toBe(1);
        const sampleSteps = jsonLines(sample.stderr);
        expect(sampleSteps.map((l) => `${l.step}:${l.ok}`)).toEqual(['config:true', 'probe:false']);
        expect(sampleSteps[1]!.code).toBe('PREFLIGHT_HOSTS_UNREACHABLE');
        expect(sampleSteps[1]!.error).toBe('2 of 2 hosts unreachable: web1.example.invalid (dns), web2.example.invalid (dns)');
      } finally {
        await api.stop();
      }
    }, 150_000);

    test('preflight.ts reports an invalid config with its problems and exits 1', async () => {
      const run = await runScript('preflight.ts', ['--config', 'fixtures/deploy-invalid.yaml']);
      expect(run.code).toBe(1);
      const [line] = jsonLines(run.stderr);
      expect(line).toMatchObject({ step: 'config', ok: false, code: 'CONFIG_INVALID', level: 'error' });
      expect(String(line!.error)).toContain('fixtures/deploy-invalid.yaml:4:11: replicas: must be an integer');
    });
  });
});
