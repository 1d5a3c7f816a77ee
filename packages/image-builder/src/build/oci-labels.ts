import { promisify } from 'node:util';
import { readGitFiles } from './git-files.js';

/** Removes `user:password@` from a remote URL (an https token must never reach a label). */
export function stripUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

/**
 * Whether a git remote can serve as the image's source: a network URL or an scp-like
 * `git@host:path`; a local path or `file://` remote says nothing to whoever pulls the image.
 */
export function isNetworkRemote(remote: string): boolean {
  return !/^file:/i.test(remote) && (/^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || /^[^/\s@]+@[^/\s:]+:/.test(remote));
}

async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    // node:child_process is loaded when git is run, not on import (a few ms of start-up).
    const { execFile } = await import('node:child_process');
    const { stdout } = await promisify(execFile)('git', ['-C', dir, ...args], { timeout: 5000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `org.opencontainers.image.revision`, `.created` and `.source`, from the CI environment
 * (GitHub Actions, GitLab CI, generic `GIT_COMMIT`) or else from git in `dir`. Unknown ones are
 * left out. `created` is set only from `SOURCE_DATE_EPOCH` (reproducible builds).
 */
export async function ociLabels(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const labels: Record<string, string> = {};
  const epoch = Number(env.SOURCE_DATE_EPOCH);
  // Only from SOURCE_DATE_EPOCH: a wall-clock date would give every build a new digest.
  if (env.SOURCE_DATE_EPOCH && Number.isFinite(epoch)) labels['org.opencontainers.image.created'] = new Date(epoch * 1000).toISOString();
  const ciSource = env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` : env.CI_PROJECT_URL || undefined;
  const fromCi = env.GITHUB_SHA || env.CI_COMMIT_SHA || env.GIT_COMMIT || env.BUILD_VCS_NUMBER;
  // The repository's files when they are in the plain layout (no process to start), else git:
  // both questions at once, each a process start (~10 ms or more).
  const files = fromCi && ciSource ? null : readGitFiles(dir, env);
  const [revision, remote] = files === 'ask git'
    ? await Promise.all([fromCi || git(dir, ['rev-parse', 'HEAD']), ciSource ? undefined : git(dir, ['config', '--get', 'remote.origin.url'])])
    : [fromCi || files?.revision, ciSource ? undefined : files?.remote];
  if (revision) labels['org.opencontainers.image.revision'] = revision;
  const source = ciSource ?? (remote && isNetworkRemote(remote) ? remote : undefined);
  if (source) labels['org.opencontainers.image.source'] = stripUrlCredentials(source);
  return labels;
}
