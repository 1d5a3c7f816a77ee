import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian packages the whole test suite uses; installed once by the jest global setup. */
export const TEST_DEBIAN_PACKAGES = [
  'openssh-server', 'openssh-client', 'docker.io', 'docker-registry', 'busybox-static', 'apache2-utils',
  'prometheus', 'iptables', 'iproute2', 'python3-yaml', 'librdkafka-dev', 'gcc', 'libc6-dev', 'dnsmasq-base',
] as const;

async function isInstalled(pkg: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status}', pkg]);
    return stdout.includes('install ok installed');
  } catch {
    return false;
  }
}

let updated = false;

/**
 * Installs the Debian packages that are missing (`apt-get install -y`) when running as root;
 * otherwise fails with one line saying what to install. Safe to call from parallel workers:
 * apt waits for its lock.
 */
export async function ensureDebianPackages(packages: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const pkg of packages) if (!(await isInstalled(pkg))) missing.push(pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  if (!updated) {
    await run('apt-get', [...lock, 'update', '-qq'], { env, maxBuffer: 64 * 1024 * 1024 });
    updated = true;
  }
  try {
    await run('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...missing], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`apt-get install ${missing.join(' ')} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}
