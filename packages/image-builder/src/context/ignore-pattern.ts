import { posix } from 'node:path';

/** One compiled `.dockerignore` line, as moby/patternmatcher compiles it. */
export interface IgnorePattern {
  /** The pattern after cleaning, without the leading `!`. */
  readonly pattern: string;
  /** True for `!` lines: files matching them are sent after all. */
  readonly exclusion: boolean;
  /** Whether `path` (slash-separated, relative to the context) matches the pattern itself. */
  match(path: string): boolean;
}

/** Go's `filepath.Clean` on slash paths: `a//b/../c/` -> `a/c`, `` -> `.`. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

// Regexp characters that have no meaning in Go's filepath.Match and are escaped (patternmatcher's shouldEscape).
const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

/**
 * Compiles one pattern exactly as moby/patternmatcher does: `*` any run of non-slash characters,
 * `?` one non-slash character, `**` any number of directories (also none), `[...]` classes,
 * `\` escapes; plain patterns compare as strings.
 */
export function compilePattern(line: string): IgnorePattern | undefined {
  let p = line.trim();
  if (p === '') return undefined;
  p = cleanPath(p);
  let exclusion = false;
  if (p.startsWith('!')) {
    if (p.length === 1) throw new Error('illegal exclusion pattern: "!"');
    exclusion = true;
    p = p.slice(1);
  }
  const chars = [...p];
  let re = '^';
  let type: MatchType = 'exact';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        const first = i === 0;
        i++;
        if (chars[i + 1] === '/') i++;
        if (i + 1 >= chars.length) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (first) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (i + 1 < chars.length) {
        re += `\\${chars[++i]!}`;
        type = 'regexp';
      } else {
        re += '\\\\';
      }
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  const match = matcherFor(type, p, re);
  return { pattern: p, exclusion, match };
}

function matcherFor(type: MatchType, pattern: string, source: string): (path: string) => boolean {
  switch (type) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    default: {
      let regexp: RegExp;
      try {
        regexp = new RegExp(`${source}$`);
      } catch (error) {
        throw new Error(`syntax error in pattern ${pattern}: ${(error as Error).message}`);
      }
      return (path) => regexp.test(path);
    }
  }
}
