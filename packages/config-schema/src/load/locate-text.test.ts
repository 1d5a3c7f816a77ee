import { describe, expect, test } from '@jest/globals';
import { locate } from './locate.js';
import { locateInText, positionsOf } from './locate-text.js';
import { parseSource } from './parse-source.js';
import { toPlain } from './to-plain.js';

/** Every path of a value, plus one missing key under each mapping and one missing index under each list. */
function paths(value: unknown, at: string[] = [], out: string[][] = []): string[][] {
  out.push(at);
  if (Array.isArray(value)) {
    value.forEach((item, i) => paths(item, [...at, String(i)], out));
    out.push([...at, String(value.length)]);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) paths((value as Record<string, unknown>)[key], [...at, key], out);
    out.push([...at, 'no-such-key'], [...at, 'no-such-key', 'deeper']);
  }
  return out;
}

const TEXTS: Record<string, string> = {
  'nested block mappings and lists': 'a:\n  b:\n    - c: 1\n      d: [1, 2]\n    - - x\n      - y\n    -\n      e: f\n  g: {h: i}\nj: plain\n',
  'comments, blank lines, a document start': '# head\n---\n\n# about a\na: 1 # one\n\nb:\n  # inside\n  c: 2\n\n  d:\n    - 3\n...\n',
  'a list at the key column': 'list:\n- one\n- two: 2\n  three: 3\n-\n- four\nafter: x\n',
  'quoted keys and values': '"quoted key": 1\n\'single\'\'s\': {a: 1}\n"esc\\"aped": "x: y"\nplain: \'it\'\'s\'\n',
  'block scalars': 'script: |\n  echo a: b\n  - not a list\nfolded: >-\n  text\n  more\nnext:\n  k: v\n',
  'anchors on written values': 'base: &b\n  image: x\n  tags: [a]\nother: &o value\nlist: &l\n  - 1\n',
  'empty values': 'a:\nb: ~\nc:\n  d:\n  e: ""\nf: []\ng: {}\n',
  'numbers and booleans as keys': '1: one\n010: ten\n0x1F: thirty-one\ntrue: yes\nname: x\n',
  'a multi-line plain scalar': 'a: one\n  two\n  three\nb: c\n',
  'a document that is a list': '- a: 1\n  b: [2]\n- c\n- - d\n',
  'windows line ends': 'a:\r\n  b: 1\r\n  c:\r\n    - 2\r\n',
  'a scalar document': 'just text\n',
  'one-line flow collections': 'a: [1, [2, 3], {k: v, "q k": [x, y]}, "s,t", \'u]\']\nb: {c: {d: 1}, e: [], f: , g: "h: i"}\nc:\n  - [ 1 , 2 ]\n  - {x: 1}\n',
};

describe('locateInText finds what the full parser locates', () => {
  test.each(Object.entries(TEXTS))('%s', (_name, text) => {
    const parsed = parseSource('x.yaml', text, 'yaml');
    expect(parsed.problems).toEqual([]);
    const doc = parsed.docs[0]!;
    const value = toPlain(doc, { maxAliasNodes: 10_000, maxDepth: 1000, binary: 'base64' });
    let answered = 0;
    for (const segments of paths(value)) {
      for (const atKey of [false, true]) {
        const offset = locateInText(text, segments, atKey);
        if (offset === undefined) continue;
        answered++;
        const [position] = positionsOf(text, [offset]);
        expect({ segments, atKey, position }).toEqual({ segments, atKey, position: locate(doc, parsed.lineCounter, segments, atKey) });
      }
    }
    expect(answered).toBeGreaterThan(0);
  });

  test.each([
    ['a flow collection over several lines', 'a: {b: {c: 1},\n  d: 2}\n', ['a', 'b', 'c']],
    ['an alias on the way', 'x: &x {c: 1}\na: *x\n', ['a', 'c']],
    ['a key that may come from a merge', 'x: &x {c: 1}\na:\n  <<: *x\n  d: 2\n', ['a', 'c']],
    ['a quoted value over two lines before the key', 'a: "one\n  two"\nb: 1\n', ['b']],
    ['a tab in the indentation', 'a:\n\tb: 1\n', ['a', 'b']],
  ] as const)('%s: left to the full parser', (_name, text, segments) => {
    expect(locateInText(text, segments, false)).toBeUndefined();
  });

  test('a key written beside a merge is found; one not written is left to the full parser', () => {
    const text = 'x: &x {c: 1}\na:\n  <<: *x\n  d: 2\n';
    expect(positionsOf(text, [locateInText(text, ['a', 'd'], false)!])).toEqual([{ line: 4, col: 6 }]);
    expect(locateInText(text, ['a', 'e'], false)).toBeUndefined();
  });

  test('positions of many offsets in one pass, any order', () => {
    const text = 'a\nbc\n\nd\n';
    expect(positionsOf(text, [6, 0, 3, -1, 5])).toEqual([{ line: 4, col: 1 }, { line: 1, col: 1 }, { line: 2, col: 2 }, { line: 1, col: 1 }, { line: 3, col: 1 }]);
  });
});
