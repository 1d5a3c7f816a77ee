import { describe, expect, test } from '@jest/globals';
import { isCollection, isPair, isScalar, parseDocument, type Node } from 'yaml';
import { pathFinder, segmentsAt } from './segments-at.js';

/** The plain scan (the reference): the first item whose range holds the offset, at each level. */
function scanned(root: Node, offset: number): string[] {
  const out: string[] = [];
  let node: unknown = root;
  while (isCollection(node)) {
    const items = node.items as unknown[];
    const at = items.findIndex((item) => {
      if (isPair(item)) {
        const key = item.key as Node | null;
        const value = item.value as Node | null;
        const start = key?.range?.[0] ?? value?.range?.[0];
        return start !== undefined && offset >= start && offset <= Math.max(value?.range?.[1] ?? -1, key?.range?.[1] ?? -1);
      }
      const range = (item as Node).range;
      return range !== undefined && range !== null && offset >= range[0] && offset <= range[1];
    });
    if (at < 0) break;
    const item = items[at];
    out.push(isPair(item) ? (isScalar(item.key) ? String(item.key.value ?? '') : String(item.key)) : String(at));
    node = isPair(item) ? item.value : item;
  }
  return out;
}

const WIDE = [
  ['block mapping', Array.from({ length: 80 }, (_, i) => `k${i}: ${i % 7 === 0 ? `|\n  text ${i}` : i % 5 === 0 ? `\n  a: [${i}, x]\n  b: {c: ${i}}` : `v${i}`}`).join('\n') + '\n'],
  ['block sequence', Array.from({ length: 80 }, (_, i) => (i % 3 === 0 ? `- a: ${i}\n  b: [1, 2]` : `- v${i}`)).join('\n') + '\n'],
  ['flow mapping', `{${Array.from({ length: 80 }, (_, i) => `k${i}: [${i}, {x: ${i}}]`).join(', ')}}\n`],
  ['collection keys and empty values', Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? `? [a${i}, b]\n: ${i}` : `k${i}:`)).join('\n') + '\n'],
] as const;

describe('pathFinder', () => {
  test.each(WIDE)('%s: every offset gives the path a scan gives', (_name, text) => {
    const doc = parseDocument(text, { uniqueKeys: false });
    const root = doc.contents as Node;
    const find = pathFinder(root);
    let placed = 0;
    for (let offset = 0; offset <= text.length; offset++) {
      const path = find(offset);
      expect([offset, path]).toEqual([offset, scanned(root, offset)]);
      if (path.length) placed++;
    }
    expect(placed).toBeGreaterThan(text.length / 2);
  });

  test('items out of order (a document changed by hand) are scanned', () => {
    const doc = parseDocument(Array.from({ length: 40 }, (_, i) => `k${i}: v${i}`).join('\n'));
    const root = doc.contents as { items: unknown[] } & Node;
    root.items.reverse();
    const offset = 'k0: v0\nk1: v1\n'.length;
    expect(pathFinder(root)(offset)).toEqual(['k2']);
    expect(segmentsAt(root, offset)).toEqual(scanned(root, offset));
  });
});
