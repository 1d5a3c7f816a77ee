import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNetworkRemote, ociLabels, stripUrlCredentials } from './oci-labels.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-oci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OCI labels', () => {
  test.each<[string, NodeJS.ProcessEnv, Record<string, string>]>([
    ['GitHub Actions', { GITHUB_SHA: 'abc123', GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://github.com' }, { 'org.opencontainers.image.revision': 'abc123', 'org.opencontainers.image.source': 'https://github.com/o/r' }],
    ['GitLab CI', { CI_COMMIT_SHA: 'def456', CI_PROJECT_URL: 'https://gitlab.com/g/p' }, { 'org.opencontainers.image.revision': 'def456', 'org.opencontainers.image.source': 'https://gitlab.com/g/p' }],
    ['nothing known (not a git checkout)', {}, {}],
  ])('%s', async (_name, env, expected) => {
    expect(await ociLabels(dir, env)).toEqual(expected);
  });

  test('SOURCE_DATE_EPOCH sets created', async () => {
    expect((await ociLabels(dir, { SOURCE_DATE_EPOCH: '0' }))['org.opencontainers.image.created']).toBe('1970-01-01T00:00:00.000Z');
  });

  test.each([
    ['https://user:ghp_token@github.com/o/r.git', 'https://github.com/o/r.git'],
    ['https://oauth2@gitlab.com/g/p.git', 'https://gitlab.com/g/p.git'],
    ['git@github.com:o/r.git', 'git@github.com:o/r.git'],
  ])('credentials are stripped from %s', (url, expected) => {
    expect(stripUrlCredentials(url)).toBe(expected);
  });
});

describe('source from the git remote', () => {
  test.each<[string, string | undefined]>([
    ['https://ci:tok3n@github.com/o/r.git', 'https://github.com/o/r.git'],
    ['ssh://git@gitlab.example/g/p.git', 'ssh://gitlab.example/g/p.git'],
    ['git@github.com:o/r.git', 'git@github.com:o/r.git'],
    ['/work/main', undefined],
    ['../sibling-repo', undefined],
    ['file:///srv/git/r.git', undefined],
  ])('%s -> %s', async (remote, source) => {
    const repo = mkdtempSync(join(tmpdir(), 'ib-oci-git-'));
    try {
      execFileSync('git', ['init', '-q', repo]);
      execFileSync('git', ['-C', repo, 'remote', 'add', 'origin', remote]);
      expect((await ociLabels(repo, {}))['org.opencontainers.image.source']).toBe(source);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  test.each([['https://h/x', true], ['git@h:x', true], ['/x', false], ['file:///x', false], ['x', false]])('isNetworkRemote(%s) = %s', (remote, expected) =>
    expect(isNetworkRemote(remote)).toBe(expected));
});
