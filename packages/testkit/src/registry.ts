import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { startServiceProcess } from './service-process.js';
import { makeTempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';
import { requireCommand } from './which.js';

const run = promisify(execFile);

export interface RegistryOptions {
  /** Require HTTP basic auth with this user (bcrypt htpasswd file). Defaults to no auth. */
  readonly htpasswd?: { readonly user: string; readonly password: string };
  /** How long to wait for the registry. Defaults to 30s. */
  readonly startTimeoutMs?: number;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  readonly address: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
  /** Directory holding the registry's blobs and manifests. */
  readonly storageDir: string;
  /** Registry output so far (last 64 KiB). */
  output(): string;
  stop(): Promise<void>;
}

/** Status of GET /v2/ (200 without auth, 401 with auth): proves the registry answers. */
function pingV2(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v2/`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts Debian's `docker-registry` (distribution v2) on 127.0.0.1 with filesystem storage in a
 * temporary directory, optionally behind htpasswd auth. dockerd trusts 127.0.0.0/8 registries over
 * plain HTTP. Installs docker-registry (and apache2-utils for auth) when missing (as root).
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const registry = await requireCommand('docker-registry', 'docker-registry');
  const dir = makeTempDir('ops-registry-');
  const port = await freePort();
  const storageDir = join(dir.path, 'storage');
  let auth = '';
  if (options.htpasswd) {
    const htpasswd = await requireCommand('htpasswd', 'apache2-utils');
    const { stdout } = await run(htpasswd, ['-Bbn', options.htpasswd.user, options.htpasswd.password]);
    writeFileSync(join(dir.path, 'htpasswd'), stdout);
    auth = `auth:\n  htpasswd:\n    realm: ops-test\n    path: ${join(dir.path, 'htpasswd')}\n`;
  }
  const config = join(dir.path, 'config.yml');
  writeFileSync(config, [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: ops-test-registry',
    auth,
  ].join('\n'));
  const svc = startServiceProcess({ name: 'docker-registry', command: registry, args: ['serve', config] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('docker-registry', async () => [200, 401].includes(await pingV2(url)), { timeoutMs: options.startTimeoutMs ?? 30_000, failIf: svc.exited });
  } catch (error) {
    await svc.stop();
    dir.remove();
    throw error;
  }
  return {
    address: `127.0.0.1:${port}`,
    url,
    ...(options.htpasswd ? { user: options.htpasswd.user, password: options.htpasswd.password } : {}),
    storageDir,
    output: svc.output,
    async stop() {
      await svc.stop();
      dir.remove();
    },
  };
}
