import { describe, expect, test } from '@jest/globals';
import { isScalar, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import { checkConfigText } from '../check-config.js';
import { pathOf } from '../problem.js';
import { parseSource } from './parse-source.js';
import { segmentsAt } from './segments-at.js';

/** The duplicate-key problems of a text as `LINE:COL PATH`, through the full parser. */
function duplicates(text: string, format: 'yaml' | 'json' = 'yaml'): string[] {
  return parseSource('x', text, format).problems.filter((p) => p.kind === 'duplicate-key').map((p) => `${p.line}:${p.col} ${p.path}`);
}

/**
 * What `yaml`'s own check reported before (uniqueKeys with this comparison, each key compared
 * with every earlier one), placed as parse-source places parser errors: the reference.
 */
function reference(text: string, format: 'yaml' | 'json' = 'yaml'): string[] {
  const merge = (k: unknown): boolean => isScalar(k) && k.value === '<<' && k.type === Scalar.PLAIN && !k.tag;
  const sameKey = (a: unknown, b: unknown): boolean => a === b || (isScalar(a) && isScalar(b) && a.value === b.value && merge(a) === merge(b));
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { schema: format === 'json' ? 'json' : 'core', version: '1.2', merge: false, uniqueKeys: sameKey, lineCounter, strict: true, logLevel: 'silent' });
  return [docs].flat().flatMap((doc) => doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    return `${line}:${col} ${pathOf(doc.contents ? segmentsAt(doc.contents, e.pos[0]) : [])}`;
  }));
}

describe('duplicate keys are found as yaml found them, in linear time', () => {
  test.each([
    ['top level', 'a: 1\nb: 2\na: 3\n', 1],
    ['deep inside', 'x:\n  y:\n    - z: 1\n      w:\n        k: {q: 1, q: 2}\n      z: 2\n', 2],
    ['several, in order', 'a: 1\na: 2\nb: 1\na: 3\nb: 2\nc:\n  d: 1\n  d: 2\n', 4],
    ['merge key twice', 'base: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n', 1],
    ['merge key beside a quoted "<<"', 'base: &b {x: 1}\nm:\n  <<: *b\n  "<<": 1\n', 0],
    ['quoted "<<" twice', '"<<": 1\n\'<<\': 2\n', 1],
    ['numeric-equal keys', '1: a\n1.0: b\n0x1: c\n0o10: d\n8: e\n-0: f\n0: g\n', 4],
    ['NaN keys are never equal', '.nan: a\n.NaN: b\n', 0],
    ['null, empty and bool keys', '~: a\nnull: b\n"": c\ntrue: d\nTrue: e\n"true": f\n', 2],
    ['empty explicit keys', '? \n: a\n? # c\n  \n: b\n', 1],
    ['empty implicit keys', ': a\n: b\n', 1],
    ['tagged and anchored keys', '&x a: 1\n!!str a: 2\n*x : 3\n', 1],
    ['collection keys', '? [a, b]\n: 1\n? [a, b]\n: 2\n? {k: 1, k: 2}\n: 3\n', 1],
    ['flow mappings and sequences', '[{a: 1, a: 2}, {b: 1}, [{c: 1, c: 2}]]\n', 2],
    ['several documents', 'a: 1\na: 2\n---\nb: 1\nb: 2\n', 2],
    ['beside a syntax error', 'a: 1\nb: [1, 2\nc: 1\nc: 2\n', 1],
  ])('%s', (_name, text, count) => {
    expect(duplicates(text)).toHaveLength(count);
    expect(duplicates(text)).toEqual(reference(text));
  });

  test('JSON', () => {
    const text = '{\n  "a": {"b": 1, "b": 2},\n  "c": [{"d": 1, "d": 2}],\n  "a": 3\n}\n';
    expect(duplicates(text, 'json')).toEqual(['2:17 a.b', '3:18 c[0].d', '4:3 a']);
    expect(duplicates(text, 'json')).toEqual(reference(text, 'json'));
  });

  test('the exact cases', () => {
    expect(duplicates('a: 1\na: 2\nb: 1\na: 3\nb: 2\n')).toEqual(['2:1 a', '4:1 a', '5:1 b']);
    expect(duplicates('base: &b {x: 1}\nm:\n  <<: *b\n  "<<": 1\n  <<: *b\n')).toEqual(['5:3 m["<<"]']);
    expect(duplicates('1: a\n1.0: b\n"1": c\n.nan: d\n.nan: e\n')).toEqual(['2:1 [1]']);
  });

  test('the path is the repeated key, also after a block scalar (yaml placed it in the scalar before)', () => {
    expect(duplicates('a: 1\nb: |\n  text\na: 2\n')).toEqual(['4:1 a']);
  });

  test('reported with the message and kind as before, among the other problems by position', () => {
    const check = checkConfigText('a: 1\nb: [1, 2\na: 2\n', { file: 'f.yaml' });
    expect(check.problems.map((p) => [p.kind, p.line, p.col, p.message])).toEqual([
      ['syntax', 3, 1, 'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'],
      ['duplicate-key', 3, 1, 'a: duplicate key; a key may appear only once in a mapping'],
    ]);
  });

  test('a mapping of 50,000 keys through the full parser, with repeats in the middle and at the end', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `k${i}: \${V}`);
    keys.splice(25_000, 0, 'k7: again');
    keys.push('k49999: last', 'k0: first');
    const check = checkConfigText(`${keys.join('\n')}\n`, { env: { V: 'x' }, file: 'big.yaml' });
    expect(check.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      '25001:1 k7: duplicate key; a key may appear only once in a mapping',
      '50002:1 k49999: duplicate key; a key may appear only once in a mapping',
      '50003:1 k0: duplicate key; a key may appear only once in a mapping',
    ]);
    expect(Object.keys(check.documents[0] as object)).toHaveLength(50_000);
    expect((check.documents[0] as Record<string, string>).k7).toBe('again');
  });

  test('a repeat 900 levels deep is found without recursion', () => {
    const depth = 900;
    const text = `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}n:`).join('\n')}\n${' '.repeat(depth)}a: 1\n${' '.repeat(depth)}a: 2\n`;
    const [found] = duplicates(text);
    expect(found).toBe(`${depth + 2}:${depth + 1} ${Array.from({ length: depth }, () => 'n').join('.')}.a`);
  });
});
