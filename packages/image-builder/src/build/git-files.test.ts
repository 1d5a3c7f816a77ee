import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGitFiles } from './git-files.js';
import { ociLabels } from './oci-labels.js';

const root = mkdtempSync(join(tmpdir(), 'ib-git-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } }).trim();
let n = 0;
function repo(remote?: string): string {
  const dir = join(root, `r${n++}`);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  if (remote) git(dir, 'remote', 'add', 'origin', remote);
  return dir;
}
function commit(dir: string, name = 'f'): string {
  writeFileSync(join(dir, name), String(Math.random()));
  git(dir, 'add', name);
  git(dir, 'commit', '-q', '-m', name);
  return git(dir, 'rev-parse', 'HEAD');
}

describe('HEAD and origin read from the repository files, as git reads them', () => {
  test('a branch with commits (loose ref), from a subdirectory of the checkout', () => {
    const dir = repo('https://github.com/o/r.git');
    const head = commit(dir);
    mkdirSync(join(dir, 'app'));
    expect(readGitFiles(join(dir, 'app'), {})).toEqual({ revision: head, remote: 'https://github.com/o/r.git' });
  });

  test('packed refs, a detached HEAD, a branch with no commit yet', () => {
    const dir = repo();
    const first = commit(dir, 'a');
    git(dir, 'pack-refs', '--all');
    expect(readGitFiles(dir, {})).toEqual({ revision: first, remote: undefined });
    const second = commit(dir, 'b');
    git(dir, 'checkout', '-q', first);
    expect(readGitFiles(dir, {})).toEqual({ revision: first, remote: undefined });
    git(dir, 'checkout', '-q', '--orphan', 'empty');
    expect(readGitFiles(dir, {})).toEqual({ revision: undefined, remote: undefined });
    expect(second).not.toBe(first);
  });

  test('no repository up to the root: nothing, and no git run', () => {
    const dir = join(root, 'plain');
    mkdirSync(dir);
    expect(readGitFiles(dir, {})).toBeNull();
  });

  test.each([
    ['a linked worktree (.git is a file)', (dir: string) => { commit(dir); const wt = join(root, `wt${n++}`); git(dir, 'worktree', 'add', '-q', wt); return wt; }],
    ['a config with an include', (dir: string) => { commit(dir); git(dir, 'config', 'include.path', 'extra.inc'); return dir; }],
    ['an origin url with a comment character', (dir: string) => { commit(dir); git(dir, 'config', 'remote.origin.url', 'https://h/x#frag'); return dir; }],
  ])('%s: left to git, and the labels are still git\'s', async (_name, setup) => {
    const dir = setup(repo('https://gitlab.example/g/p.git'));
    expect(readGitFiles(dir, {})).toBe('ask git');
    const labels = await ociLabels(dir, {});
    expect(labels['org.opencontainers.image.revision']).toBe(git(dir, 'rev-parse', 'HEAD'));
    expect(labels['org.opencontainers.image.source']).toBe(git(dir, 'config', '--get', 'remote.origin.url'));
  });

  test('GIT_DIR and friends: left to git', () => {
    expect(readGitFiles(root, { GIT_DIR: '/elsewhere/.git' })).toBe('ask git');
  });

  test('ociLabels from the files match git in a plain checkout', async () => {
    const dir = repo('git@github.com:o/r.git');
    const head = commit(dir);
    expect(await ociLabels(dir, {})).toEqual({ 'org.opencontainers.image.revision': head, 'org.opencontainers.image.source': 'git@github.com:o/r.git' });
  });
});
