import { execFile, spawn, type ChildProcess } from 'node:child_process';
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

/** Waits (up to 20 s) until the daemon has no container, running or stopped; returns the IDs still there. */
export async function containersLeft(dockerd: TestDockerd): Promise<string> {
  const deadline = Date.now() + 20_000;
  let left = '';
  do {
    left = (await docker(dockerd, ['ps', '-aq'])).trim();
    if (left) await new Promise((r) => setTimeout(r, 250));
  } while (left && Date.now() < deadline);
  return left;
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

// The bin users run (it runs dist/cli.cjs, the bundled command).
export const CLI = join(process.cwd(), 'packages/image-builder/bin/image-builder.js');

export interface CliRun { code: number; stdout: string; stderr: string }

/** A running CLI: its process, its result once it exits, and a wait for text on stderr. */
export interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliRun>;
  /** Resolves once stderr matches `pattern` (rejects when the CLI exits first). */
  stderrMatches(pattern: RegExp): Promise<void>;
}

/**
 * Starts the built CLI with a clean environment (no GITHUB_*, REGISTRY_*, DOCKER_*, CI from the
 * outer one) plus `env`.
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv, options: { cwd?: string } = {}): RunningCli {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|REGISTRY_|DOCKER_|CI$|SSH_AUTH_SOCK$)/.test(k)));
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, ...env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(stderr)) w.resolve();
      else waiters.push(w);
    }
  });
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })));
  return {
    child,
    done,
    stderrMatches: (pattern) => new Promise<void>((resolve, reject) => {
      if (pattern.test(stderr)) return resolve();
      waiters.push({ pattern, resolve });
      void done.then((r) => reject(new Error(`the CLI exited (${r.code}) before stderr matched ${pattern}:\n${r.stderr}`)));
    }),
  };
}
