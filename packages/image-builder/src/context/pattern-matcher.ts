import { compilePattern, type IgnorePattern } from './ignore-pattern.js';

/** Which patterns matched a directory, handed down to its children (patternmatcher's MatchInfo). */
export type ParentMatches = readonly boolean[] | undefined;

export interface PatternMatcher {
  readonly patterns: readonly IgnorePattern[];
  /** True when some pattern is an exception (`!`). */
  readonly hasExclusions: boolean;
  /**
   * Whether `path` is excluded from the context: the last pattern matching the path or one of its
   * parent directories wins. Pass the parent directory's `matches` to skip re-testing parents.
   */
  matches(path: string, parent?: ParentMatches): { excluded: boolean; matches: boolean[] };
  /** True when an excluded directory must still be walked because an exception may match inside it. */
  mustWalkExcludedDir(dir: string): boolean;
}

/**
 * A port of moby/patternmatcher's `MatchesUsingParentResults`, the matcher the docker CLI uses to
 * pack a build context.
 */
export function createPatternMatcher(lines: readonly string[]): PatternMatcher {
  const patterns = lines.map(compilePattern).filter((p): p is IgnorePattern => p !== undefined);
  const hasExclusions = patterns.some((p) => p.exclusion);
  return {
    patterns,
    hasExclusions,
    matches(path, parent) {
      let excluded = false;
      const matches = new Array<boolean>(patterns.length).fill(false);
      patterns.forEach((pattern, i) => {
        let match = parent?.[i] ?? false;
        if (!match) {
          // An inclusion cannot change an excluded path, nor an exception a kept one.
          if (pattern.exclusion !== excluded) return;
          match = pattern.match(path);
          if (!match && parent === undefined) match = parentMatches(pattern, path);
        }
        matches[i] = match;
        if (match) excluded = !pattern.exclusion;
      });
      return { excluded, matches };
    },
    mustWalkExcludedDir(dir) {
      if (!hasExclusions) return false;
      const dirSlash = `${dir}/`;
      return patterns.some((p) => p.exclusion && `${p.pattern}/`.startsWith(dirSlash));
    },
  };
}

function parentMatches(pattern: IgnorePattern, path: string): boolean {
  let at = path.indexOf('/');
  while (at !== -1) {
    if (pattern.match(path.slice(0, at))) return true;
    at = path.indexOf('/', at + 1);
  }
  return false;
}
