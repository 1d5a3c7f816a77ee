import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '@ops/testkit';
import type { TestDockerd } from '@ops/testkit/docker';

const run = promisify(execFile);

const removers: Array<() => void> = [];

/** A temporary directory removed by `removeTempDirs()`. */
export function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  removers.push(dir.remove);
  return dir.path;
}

/** Removes the directories made by `tempDir`, `writeTree` and `dockerConfigFor` (call in afterAll). */
export function removeTempDirs(): void {
  for (const remove of removers.splice(0)) remove();
}

/** Writes a directory tree of small files; returns its path. */
export function writeTree(files: Record<string, string>, prefix = 'ib-ctx-'): string {
  const root = tempDir(prefix);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  return root;
}

/** Runs the docker CLI against the test daemon. */
export async function docker(dockerd: TestDockerd, args: string[]): Promise<string> {
  const { stdout } = await run(dockerd.dockerCli ?? 'docker', args, { env: { ...process.env, DOCKER_HOST: dockerd.dockerHost, DOCKER_BUILDKIT: '0' } });
  return stdout;
}

/** A docker config directory whose config.json holds basic auth for `registry`. */
export function dockerConfigFor(registry: string, user: string, password: string): string {
  const dir = tempDir('ib-docker-config-');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } }));
  return dir;
}

/** The registry's own `Docker-Content-Digest` for repository:tag (asked directly, not through the library). */
export async function manifestDigest(url: string, repository: string, tag: string, user?: string, password?: string): Promise<string | null> {
  const res = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
      ...(user ? { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {}),
    },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}
