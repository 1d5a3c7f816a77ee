import type { Dirent, Stats } from 'node:fs';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ParentMatches, PatternMatcher } from './pattern-matcher.js';

/** A file system entry that goes into the build context. */
export interface ContextEntry {
  /** Slash-separated path relative to the context root. */
  readonly path: string;
  readonly absolute: string;
  readonly stats: Stats;
}

interface WalkOptions {
  readonly matcher: PatternMatcher;
  /** Paths always sent even when a pattern excludes them (the docker CLI's "include"). */
  readonly always?: ReadonlySet<string>;
  /** Paths never sent (handled by the caller). */
  readonly never?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Walks `root` in lexical order like the docker CLI's archiver: an excluded file is left out, an
 * excluded directory is skipped whole unless an exception (`!`) pattern may match inside it (then
 * it is walked but its own entry left out). Symlinks are not followed.
 */
export function* walkContext(root: string, options: WalkOptions): Generator<ContextEntry> {
  const { matcher, signal } = options;
  const usePatterns = matcher.patterns.length > 0;
  function* walkDir(dir: string, rel: string, parent: ParentMatches): Generator<ContextEntry> {
    signal?.throwIfAborted();
    // Synchronous calls: one directory at a time is short, and much faster than a thread-pool
    // round trip per entry (20,000 lstat calls).
    const dirents = readdirSync(dir, { withFileTypes: true }).sort(byName);
    const kept: Array<{ dirent: Dirent; path: string; excluded: boolean; matches: ParentMatches }> = [];
    for (const dirent of dirents) {
      const path = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
      if (options.never?.has(path)) continue;
      let excluded = false;
      let matches: ParentMatches;
      if (usePatterns && !options.always?.has(path)) {
        const result = matcher.matches(path, parent);
        excluded = result.excluded;
        matches = result.matches;
      }
      if (excluded && (!dirent.isDirectory() || !matcher.mustWalkExcludedDir(path))) continue;
      kept.push({ dirent, path, excluded, matches });
    }
    const stats = kept.map((k) => lstatSync(join(dir, k.dirent.name)));
    for (let i = 0; i < kept.length; i++) {
      const { dirent, path, excluded, matches } = kept[i]!;
      const st = stats[i]!;
      const absolute = join(dir, dirent.name);
      if (!excluded) yield { path, absolute, stats: st };
      if (st.isDirectory()) yield* walkDir(absolute, path, usePatterns ? matches : undefined);
    }
  }
  yield* walkDir(root, '', undefined);
}
