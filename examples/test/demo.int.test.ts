import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, test } from '@jest/globals';
import { which } from '@ops/testkit';
import { dockerApi, startDockerd } from '@ops/testkit/docker';
import { jsonLines, runScript } from './run-script.js';

const PACKAGES = ['log-scan', 'ssh-probe', 'resilient-http', 'config-schema', 'image-builder', 'host-metrics'];
const isRoot = process.getuid?.() === 0;
const demoTempDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('ops-demo-'));

describe('pnpm demo (node --import tsx demo.ts)', () => {
  test('runs the six jobs under headings naming their packages and exits 0', async () => {
    const before = new Set(demoTempDirs());
    const run = await runScript('demo.ts', [], { DEMO_LOG_SIZE: '48MiB' }, 170_000);
    const { stdout, stderr } = run;
    expect({ code: run.code, stderr: run.code === 0 ? '' : stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });

    const headings = [...stdout.matchAll(/^━━ (\d)\/6 @ops\/([a-z-]+): /gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual(PACKAGES.map((pkg, i) => `${i + 1} ${pkg}`));
    expect(stdout).toMatch(/demo finished in [\d.]+m?s: 6\/6 jobs ran\n$/);
    const part = (pkg: string) => stdout.slice(stdout.indexOf(`@ops/${pkg}: `), stdout.indexOf(`(@ops/${pkg} done in `));

    // log-scan: the sample's top offender, the generated log scanned by the CLI with its progress bar
    const scan = part('log-scan');
    expect(scan).toMatch(/\n {2}203\.0\.113\.7 +12 +admin,root /);
    // 34: the sample's pre-auth disconnects are suspicious, not failures (counted with --suspicious).
    expect(scan).toContain('34 failures from 11 IPs (IPv4 and IPv6) in 41 lines');
    expect(scan).toMatch(/generated 48\.\d MiB of auth\.log/);
    expect(scan).toMatch(/\n {2}203\.0\.113\.1 +\d+ /);
    expect(scan).toMatch(/\d+ failures/);
    expect(stderr).toMatch(/100%/);

    // ssh-probe: the throwaway sshd (as root) and each local failure classified
    const ssh = part('ssh-probe');
    if (isRoot && which('sshd')) expect(ssh).toMatch(/127\.0\.0\.1 +\d+ +\S+ +reachable +\d+ +SSH-2\.0-OpenSSH/);
    expect(ssh).toMatch(/unreachable +refused +connect/);
    expect(ssh).toMatch(/web1\.example\.invalid +22 +deploy +unreachable +dns +resolve/);
    expect(ssh).toMatch(/unreachable +timeout +banner/);

    // resilient-http: the retries, with their backoff, in the log
    expect(part('resilient-http')).toContain('-> 200 {"items":42} after 5 attempts');
    expect(part('resilient-http')).toContain('-> HTTP_RETRY_EXHAUSTED: POST');
    const retries = jsonLines(stderr).filter((l) => String(l.message).startsWith('retrying GET'));
    expect(retries.map((l) => l.reason)).toEqual(['status 503', 'ECONNRESET', 'status 502', 'status 429 (Retry-After 1s)']);
    expect(retries.every((l) => typeof l.waitMs === 'number')).toBe(true);
    expect(retries[3]!.waitMs).toBe(1000);

    // config-schema: the valid config standardized, the invalid one's problems at their lines
    const config = part('config-schema');
    expect(config).toContain('fixtures/deploy.yaml: valid');
    expect(config).toContain('fixtures/deploy-invalid.yaml: 6 problems');
    expect(config).toMatch(/ {2}4 \| replicas: three\n +\| {11}\^ replicas: must be an integer/);

    // image-builder: built and pushed on a private dockerd as root, else how to set DOCKER_HOST
    const image = part('image-builder');
    if (isRoot && which('dockerd') && which('busybox')) {
      expect(image).toMatch(/built 127\.0\.0\.1:\d+\/ops-demo\/shop-api:1\.4\.2: sha256:/);
      expect(image).toContain('digest verified against the registry');
    } else {
      expect(image).toContain('DOCKER_HOST=');
    }

    // host-metrics: one scrape
    expect(part('host-metrics')).toMatch(/GET \/metrics -> 200, \d+ metric families/);
    expect(part('host-metrics')).toMatch(/host_cpu_cores \d+\n/);

    // cleanup: no temp dir of the demo left behind
    expect(demoTempDirs().filter((d) => !before.has(d))).toEqual([]);
  }, 180_000);

  test('builds on the engine DOCKER_HOST names, then removes the image it built', async () => {
    const engine = await startDockerd();
    try {
      const tags = async () => (JSON.parse((await dockerApi(engine.socketPath, 'GET', '/images/json')).body) as Array<{ RepoTags: string[] | null }>).flatMap((i) => i.RepoTags ?? []).sort();
      // an engine without network and without the base image: the build fails, the demo goes on
      const offline = await runScript('demo.ts', [], { DEMO_ONLY: 'image-builder', DOCKER_HOST: engine.dockerHost });
      expect(offline.code).toBe(0);
      expect(offline.stdout).toContain(`engine: ${engine.dockerHost}\n`);
      // BuildKit (the daemon has it) fails where the docker CLI does: resolving the base image
      expect(offline.stdout).toMatch(/the build on \S+ failed: build failed at \[internal\] load metadata for docker\.io\/library\/busybox:1\.36: /);
      // with busybox:1.36 there (as after a pull) it builds, and leaves the engine as it found it
      expect((await dockerApi(engine.socketPath, 'POST', `/images/${encodeURIComponent(engine.baseImage)}/tag?repo=busybox&tag=1.36`)).status).toBe(201);
      const before = await tags();
      const run = await runScript('demo.ts', [], { DEMO_ONLY: 'image-builder', DOCKER_HOST: engine.dockerHost });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/built ops-demo\/shop-api:1\.4\.2: sha256:[0-9a-f]{12}\.\.\. in /);
      expect(run.stdout).toContain('(no push: the demo pushes only to a throwaway local registry)');
      expect(await tags()).toEqual(before);
    } finally {
      await engine.stop();
    }
  }, 120_000);

  test('without root, Docker or sshd it explains what is missing and still exits 0', async () => {
    // DEMO_DAEMONS=0: what a machine without root sees (the demo starts no sshd, dockerd or registry)
    const env = { DEMO_ONLY: 'ssh-probe,image-builder', DOCKER_HOST: 'unix:///nonexistent/docker.sock', DEMO_DAEMONS: '0' };
    const run = await runScript('demo.ts', [], env, 60_000);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('━━ 1/2 @ops/ssh-probe: ');
    expect(run.stdout).toContain('━━ 2/2 @ops/image-builder: ');
    expect(run.stdout).toContain('no throwaway sshd here (it needs root, openssh-server and DEMO_DAEMONS unset)');
    expect(run.stdout).toMatch(/unreachable +refused +connect/);
    expect(run.stdout).toContain('the Docker engine at unix:///nonexistent/docker.sock does not answer');
    expect(run.stdout).toContain('DOCKER_HOST=unix:///var/run/docker.sock pnpm demo');
    expect(run.stdout).toContain('2/2 jobs ran');
  }, 70_000);
});
