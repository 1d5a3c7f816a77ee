import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** What the OCI labels take from a repository: HEAD's commit and `remote.origin.url`. */
export interface GitFacts {
  readonly revision: string | undefined;
  readonly remote: string | undefined;
}

/**
 * HEAD's commit and `remote.origin.url` of the repository holding `dir`, read from its files
 * (a git process start costs ~10-25 ms, most of a cached build's client time): `null` when
 * there is no repository (no `.git` up to the root); `'ask git'` when the layout is not the
 * plain one read here (a `.git` file of a worktree or submodule, `GIT_DIR`, reftable, config
 * includes, a ref in neither its file nor packed-refs), for the caller to run git.
 */
export function readGitFiles(dir: string, env: NodeJS.ProcessEnv): GitFacts | null | 'ask git' {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_CEILING_DIRECTORIES) return 'ask git';
  const gitDir = findGitDir(resolve(dir));
  if (gitDir === null || gitDir === 'ask git') return gitDir;
  try {
    const config = readFileSync(join(gitDir, 'config'), 'utf8');
    if (/^\s*\[\s*include/im.test(config) || /^\s*refstorage\s*=/im.test(config)) return 'ask git';
    const revision = headCommit(gitDir);
    if (revision === 'ask git') return revision;
    const remote = originUrl(config);
    if (remote === 'ask git') return remote;
    return { revision, remote };
  } catch {
    return 'ask git';
  }
}

// The `.git` directory of the nearest repository up from `dir`.
function findGitDir(dir: string): string | null | 'ask git' {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, '.git');
    let isDir: boolean | undefined;
    try {
      isDir = statSync(candidate).isDirectory();
    } catch {
      isDir = undefined;
    }
    if (isDir === true) return candidate;
    if (isDir === false) return 'ask git'; // a worktree's or submodule's `.git` file
    if (dirname(at) === at) return null;
  }
}

function headCommit(gitDir: string): string | undefined | 'ask git' {
  const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)) return head; // detached
  const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
  if (!ref) return 'ask git';
  try {
    const loose = readFileSync(join(gitDir, ref), 'utf8').trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(loose) ? loose : 'ask git';
  } catch {
    // Not a loose ref: packed, or a branch with no commit yet (an unborn HEAD has no revision).
  }
  let packed: string;
  try {
    packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of packed.split('\n')) {
    const m = /^([0-9a-f]{40}(?:[0-9a-f]{24})?) (\S+)$/.exec(line);
    if (m && m[2] === ref) return m[1];
  }
  return undefined;
}

// `url` of `[remote "origin"]` (the last one given, as `git config --get` reads it); a value
// with quotes, escapes or comments, or the old `[remote.origin]` form, is left to git.
function originUrl(config: string): string | undefined | 'ask git' {
  let inOrigin = false;
  let url: string | undefined;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"([^"\\]*)")?\s*\]\s*$/.exec(line);
      if (!section || section[1]!.toLowerCase().startsWith('remote.')) return 'ask git';
      inOrigin = section[1]!.toLowerCase() === 'remote' && section[2] === 'origin';
      continue;
    }
    const m = inOrigin ? /^url\s*=\s*(.*?)\s*$/i.exec(line) : null;
    if (m) {
      if (/["\\#;]/.test(m[1]!)) return 'ask git';
      url = m[1]!;
    }
  }
  return url;
}
