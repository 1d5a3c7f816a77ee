import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onCleanup } from './cleanup.js';
import { ensureDebianPackages } from './debian-packages.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';
import { makeTempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';
import { which } from './which.js';

export { startRegistry, type RegistryOptions, type TestRegistry } from './registry.js';

const run = promisify(execFile);

/** Applets linked into the base image next to /bin/busybox. */
const BUSYBOX_APPLETS = ['sh', 'echo', 'cat', 'sleep', 'ls', 'true', 'false', 'test', 'find', 'wc', 'mkdir', 'rm', 'cp', 'env', 'grep', 'touch', 'stat', 'head', 'tail', 'sort'];

export interface DockerdOptions {
  /** Storage drivers tried in order until one starts. Defaults to overlay2, fuse-overlayfs, vfs. */
  readonly storageDrivers?: readonly string[];
  /** Tag of the base image made with `docker import`. Defaults to ops-test/busybox:latest. */
  readonly baseImage?: string;
  /** How long to wait for the daemon. Defaults to 60s. */
  readonly startTimeoutMs?: number;
}

export interface TestDockerd {
  /** Path of the daemon's unix socket. */
  readonly socketPath: string;
  /** `unix://<socketPath>`, for DOCKER_HOST. */
  readonly dockerHost: string;
  /** A busybox image made with `docker import` (sh, echo, cat, sleep...). */
  readonly baseImage: string;
  /** The storage driver that started. */
  readonly storageDriver: string;
  /** Path of the docker CLI, when installed. */
  readonly dockerCli: string | undefined;
  /** Daemon output so far (last 64 KiB). */
  output(): string;
  stop(): Promise<void>;
}

const DEFAULTS = {
  storageDrivers: ['overlay2', 'fuse-overlayfs', 'vfs'],
  baseImage: 'ops-test/busybox:latest',
  startTimeoutMs: 60_000,
} as const;

/** GET `path` on the daemon's socket; resolves the status code and body. */
export function dockerApi(socketPath: string, method: string, path: string, body?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: body ? { 'content-type': 'application/x-tar', 'content-length': body.length } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Builds a tar of a busybox-static root file system with tar(1). */
async function busyboxTar(dir: string): Promise<string> {
  const busybox = which('busybox') ?? '/bin/busybox';
  const { stdout } = await run('file', ['-L', busybox]).catch(() => ({ stdout: 'statically linked' }));
  if (!stdout.includes('statically linked') && !stdout.includes('static-pie')) {
    throw new Error(`${busybox} is not static: install busybox-static (apt-get install -y busybox-static)`);
  }
  const root = join(dir, 'rootfs');
  for (const sub of ['bin', 'tmp', 'etc', 'root']) mkdirSync(join(root, sub), { recursive: true });
  copyFileSync(busybox, join(root, 'bin/busybox'));
  for (const applet of BUSYBOX_APPLETS) symlinkSync('busybox', join(root, 'bin', applet));
  const tarPath = join(dir, 'busybox-rootfs.tar');
  await run('tar', ['-C', root, '-cf', tarPath, '.']);
  return tarPath;
}

async function startWithDriver(dir: string, driver: string, timeoutMs: number): Promise<{ svc: ServiceProcess; socketPath: string }> {
  const base = join(dir, driver);
  mkdirSync(base, { recursive: true });
  const socketPath = join(base, 'docker.sock');
  const dockerd = which('dockerd') ?? '/usr/sbin/dockerd';
  // TMPDIR of its own, removed with the rest: containerd writes containerd.<pid>.stacks.log there
  // when dockerd asks it for its stacks (SIGUSR1, before killing it at a slow shutdown).
  const tmp = join(base, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const svc = startServiceProcess({
    name: `dockerd (${driver})`,
    command: dockerd,
    env: { ...process.env, TMPDIR: tmp },
    args: [
      '--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-masq=false',
      `--storage-driver=${driver}`,
      '--exec-opt', 'native.cgroupdriver=cgroupfs',
      '--data-root', join(base, 'data'), '--exec-root', join(base, 'exec'),
      '--pidfile', join(base, 'docker.pid'), '-H', `unix://${socketPath}`,
      '--config-file', join(base, 'daemon.json'), '--log-level', 'warn',
    ],
  });
  try {
    await waitFor(`dockerd with storage driver ${driver}`, async () => {
      const res = await dockerApi(socketPath, 'GET', '/_ping');
      return res.status === 200;
    }, { timeoutMs, intervalMs: 100, failIf: svc.exited });
    return { svc, socketPath };
  } catch (error) {
    await svc.stop();
    throw error;
  }
}

/**
 * Starts a private dockerd (no bridge, no iptables, own data root, exec root and unix socket in a
 * temporary directory; it runs its own containerd) and imports a busybox base image. Installs
 * docker.io and busybox-static when missing (as root).
 */
export async function startDockerd(options: DockerdOptions = {}): Promise<TestDockerd> {
  const opts = { ...DEFAULTS, ...options };
  if (!which('dockerd') || !which('busybox')) await ensureDebianPackages(['docker.io', 'busybox-static']);
  // Short path: unix socket paths are limited to 108 bytes and containerd nests sockets deep.
  const tmp = makeTempDir('ops-dockerd-');
  const writeConfig = (driver: string) => {
    mkdirSync(join(tmp.path, driver), { recursive: true });
    // An empty daemon.json keeps /etc/docker/daemon.json (the host's own settings) out.
    writeFileSync(join(tmp.path, driver, 'daemon.json'), '{}\n');
  };
  // dockerd's containerd and the container shims outlive a SIGKILLed dockerd: kill them by pid.
  const unregisterReaper = onCleanup(() => killProcessesUnder(tmp.path));
  const failures: string[] = [];
  let started: { svc: ServiceProcess; socketPath: string; driver: string } | undefined;
  for (const driver of opts.storageDrivers) {
    try {
      writeConfig(driver);
      const { svc, socketPath } = await startWithDriver(tmp.path, driver, opts.startTimeoutMs);
      started = { svc, socketPath, driver };
      break;
    } catch (error) {
      failures.push(`${driver}: ${(error as Error).message.slice(0, 500)}`);
    }
  }
  if (!started) {
    tmp.remove();
    throw new Error(`dockerd did not start with any storage driver:\n${failures.join('\n')}`);
  }
  const { svc, socketPath, driver } = started;
  const stop = async () => {
    await svc.stop(15_000);
    killProcessesUnder(tmp.path);
    unregisterReaper();
    // Leftover mounts (overlay) would make the removal fail; unmount what is under the temp dir.
    await run('sh', ['-c', `grep -o ' ${tmp.path}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`]).catch(() => undefined);
    tmp.remove();
  };
  try {
    const tarPath = await busyboxTar(tmp.path);
    const [repo, tag = 'latest'] = splitTag(opts.baseImage);
    const res = await dockerApi(socketPath, 'POST', `/images/create?fromSrc=-&repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`, readFileSync(tarPath));
    if (res.status !== 200 || res.body.includes('"error"')) throw new Error(`docker import of the busybox base image failed: ${res.status} ${res.body.slice(0, 500)}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    baseImage: opts.baseImage,
    storageDriver: driver,
    dockerCli: which('docker'),
    output: svc.output,
    stop,
  };
}

/** SIGKILLs every process whose command line mentions `dir` (containerd, shims of this daemon). */
function killProcessesUnder(dir: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(dir)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

function splitTag(ref: string): [string, string | undefined] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, undefined];
}
