// The quick path against the full parser on generated YAML full of anchors, aliases and merge
// keys (fixed seeds, so a failure is reproducible): the same data, or the full parser's verdict,
// and never one object reachable twice.
import { expect, test } from '@jest/globals';
import { isDeepStrictEqual } from 'node:util';
import { fastParse } from './fast-parse.js';
import { parseSource } from './parse-source.js';
import { toPlain } from './to-plain.js';

function generator(seed: number): () => string {
  let state = seed;
  const rnd = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  return () => {
    const anchors: string[] = [];
    let next = 0;
    const value = (depth: number, indent: string): string => {
      const r = rnd(10);
      if (depth > 3 || r < 3) return ` ${['1', 'x', 'true', '"s"', '~', '2.5'][rnd(6)]}`;
      if (r < 5 && anchors.length) return ` *${anchors[rnd(anchors.length)]}`;
      const anchor = rnd(3) === 0 ? `a${next++}` : undefined;
      const lines: string[] = [];
      if (r < 8) {
        if (anchors.length && rnd(3) === 0) lines.push(rnd(2) ? `${indent}<<: *${anchors[rnd(anchors.length)]}` : `${indent}<<: [*${anchors[rnd(anchors.length)]}, *${anchors[rnd(anchors.length)]}]`);
        const keys = new Set<string>();
        for (let i = 1 + rnd(4); i > 0; i--) {
          const key = `k${rnd(6)}`;
          if (!keys.has(key)) lines.push(`${indent}${key}:${value(depth + 1, `${indent}  `)}`);
          keys.add(key);
        }
      } else for (let i = 1 + rnd(3); i > 0; i--) lines.push(`${indent}-${value(depth + 1, `${indent}  `)}`);
      if (anchor) anchors.push(anchor);
      return `${anchor ? ` &${anchor}` : ''}\n${lines.join('\n')}`;
    };
    const tops: string[] = [];
    for (let i = 1 + rnd(5); i > 0; i--) tops.push(`top${i}:${value(0, '  ')}`);
    return `${tops.join('\n')}\n`;
  };
}

function reachableTwice(root: unknown): boolean {
  const met = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (met.has(value)) return true;
    met.add(value);
    stack.push(...Object.values(value));
  }
  return false;
}

test.each([1, 2, 3])('generated anchors, aliases and merges (seed %i): the quick path gives the full parser\'s data or defers', (seed) => {
  const next = generator(seed);
  let quickOnes = 0;
  for (let i = 0; i < 400; i++) {
    const text = next();
    const parsed = parseSource('x', text, 'yaml');
    if (parsed.problems.length) continue;
    const quick = fastParse(text, 'yaml', 1000)?.documents;
    let reference: unknown;
    try {
      reference = parsed.docs.length ? toPlain(parsed.docs[0]!, { maxAliasNodes: 10_000, maxDepth: 1000, binary: 'base64' }) : null;
    } catch {
      // The full parser refuses it (say, a merge of a list): the quick path must not accept it.
      if (quick) throw new Error(`the quick path accepted what the full parser refuses:\n${text}`);
      continue;
    }
    if (!quick) continue;
    quickOnes++;
    if (!isDeepStrictEqual(quick[0] ?? null, reference) || reachableTwice(quick[0])) throw new Error(`the quick path differs from the full parser:\n${text}`);
  }
  expect(quickOnes).toBeGreaterThan(300);
});
