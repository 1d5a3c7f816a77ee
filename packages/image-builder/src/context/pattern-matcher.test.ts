import { createPatternMatcher } from './pattern-matcher.js';
import { parseDockerignore } from './read-dockerignore.js';

// Whether the docker CLI leaves `path` out of the context for these .dockerignore lines
// (examples from the Dockerfile reference, "dockerignore file", and moby/patternmatcher's tests).
const excluded = (lines: string, path: string) => createPatternMatcher(parseDockerignore(lines)).matches(path).excluded;

describe('.dockerignore matching, as the docker CLI does it', () => {
  test.each([
    // documented examples
    ['*/temp*', 'somedir/temporary.txt', true],
    ['*/temp*', 'somedir/temp', true],
    ['*/temp*', 'somedir/temp/inner.txt', true],
    ['*/temp*', 'temp.txt', false],
    ['*/*/temp*', 'somedir/subdir/temporary.txt', true],
    ['*/*/temp*', 'somedir/temporary.txt', false],
    ['temp?', 'tempa', true],
    ['temp?', 'temp', false],
    ['temp?', 'tempab', false],
    ['**/*.go', 'main.go', true],
    ['**/*.go', 'a/b/c/main.go', true],
    ['**/*.go', 'a/b/main.gox', false],
    ['*.md\n!README.md', 'README.md', false],
    ['*.md\n!README.md', 'CHANGES.md', true],
    ['*.md\n!README*.md\nREADME-secret.md', 'README-secret.md', true],
    ['*.md\n!README*.md\nREADME-secret.md', 'README-public.md', false],
    ['*.md\nREADME-secret.md\n!README*.md', 'README-secret.md', false],
    // a bare name only matches at the root of the context, and everything below it
    ['node_modules', 'node_modules', true],
    ['node_modules', 'node_modules/x/index.js', true],
    ['node_modules', 'packages/a/node_modules/x.js', false],
    ['**/node_modules', 'packages/a/node_modules/x.js', true],
    // cleaning: leading slash, trailing slash, ./, ..
    ['/build', 'build/out.o', true],
    ['build/', 'build/out.o', true],
    ['./build', 'build', true],
    ['a/../b', 'b/file', true],
    // exceptions inside an excluded directory
    ['docs\n!docs/keep.md', 'docs/keep.md', false],
    ['docs\n!docs/keep.md', 'docs/other.md', true],
    ['docs/**\n!docs/keep.md', 'docs/keep.md', false],
    // ** forms
    ['**', 'anything/at/all', true],
    ['foo/**', 'foo/x/y', true],
    ['foo/**', 'foo', false],
    ['foo/**/bar', 'foo/bar', true],
    ['foo/**/bar', 'foo/a/b/bar', true],
    ['foo/**/bar', 'foo/a/b/baz', false],
    ['**/foo', 'foo', true],
    ['**/foo', 'x/foo/y', true],
    // case-sensitive, character classes, escapes and regexp characters taken literally
    ['*.MD', 'README.md', false],
    ['[a-c].txt', 'b.txt', true],
    ['[a-c].txt', 'd.txt', false],
    ['[!a].txt', 'b.txt', false],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'a.txt', false],
    ['a+b', 'a+b', true],
    ['a+b', 'aab', false],
    ['file(1).txt', 'file(1).txt', true],
    ['*.log', 'dir/x.log', false],
    ['*.log', 'x.log', true],
    // comments and blank lines
    ['# node_modules\n\n', 'node_modules', false],
    ['  *.tmp  ', 'x.tmp', true],
    ['!  keep.txt\n*', 'keep.txt', true],
    ['*\n! keep.txt', 'keep.txt', false],
  ])('%j on %s -> excluded %s', (lines, path, expected) => {
    expect(excluded(lines, path)).toBe(expected);
  });

  test('parsing drops comments, blank lines and a BOM, and cleans paths', () => {
    expect(parseDockerignore('\uFEFF# comment\n\n  /a/b/  \n!./c\n  # not a comment\r\nd//e\n')).toEqual(['a/b', '!c', '# not a comment', 'd/e']);
  });

  test('an excluded directory is walked only when an exception may match inside it', () => {
    const m = createPatternMatcher(['docs', '!docs/keep.md', 'build']);
    expect(m.mustWalkExcludedDir('docs')).toBe(true);
    expect(m.mustWalkExcludedDir('build')).toBe(false);
    expect(createPatternMatcher(['build']).mustWalkExcludedDir('build')).toBe(false);
    // docker quirk: an exception that starts with ** does not make it walk into the directory
    expect(createPatternMatcher(['docs', '!**/keep.md']).mustWalkExcludedDir('docs')).toBe(false);
  });

  test('a lone ! is rejected', () => {
    expect(() => createPatternMatcher(['!'])).toThrow(/illegal exclusion pattern/);
  });
});
