import { describe, expect, test } from '@jest/globals';
import { fastParse } from './fast-parse.js';
import { parseSource } from './parse-source.js';
import { toPlain } from './to-plain.js';

/** What the full parser makes of a text (the reference the quick path must match). */
function full(text: string, format: 'yaml' | 'json'): unknown {
  const parsed = parseSource('x', text, format);
  expect(parsed.problems).toEqual([]);
  return parsed.docs.length ? toPlain(parsed.docs[0]!, { maxAliasNodes: 10_000, maxDepth: 1000, binary: 'base64' }) : null;
}

const SCALARS = ['012', '0o17', '0x1F', '0b101', '1_000', '+1', '-0', '.5', '-.5', '1.', '1e3', '1E-3', '1e400', '+.inf', '-.Inf', '.NaN', 'NaN', 'inf',
  'true', 'True', 'TRUE', 'tRue', 'yes', 'no', 'on', 'off', 'y', '~', 'null', 'Null', 'NULL', '', '2001-12-14', '12:30', '+0x1', '-0x1', '+0o7', '0o8',
  '09', '0.', '"quoted"', "'single'", '=', '[a, 1, true]', '{a: 1, b: [x]}', '|\n  block\n  text\n', '>\n  folded\n  text\n', 'a #comment', '" a\\tb"', "'it''s'",
  '123456789012345678901234567890', '"\\u00e9\\n"', 'a:b'];

describe('fastParse gives the same data as the full parser', () => {
  test.each(SCALARS)('YAML value %p', (scalar) => {
    const text = `v: ${scalar}\nw: [${scalar.includes('\n') || scalar.includes(':') || scalar.includes('#') ? '1' : scalar || '~'}]\n`;
    const quick = fastParse(text, 'yaml', 1000);
    expect(quick?.documents).toBeDefined();
    expect(quick!.documents![0] ?? null).toEqual(full(text, 'yaml'));
  });

  test.each([
    ['nested', 'a:\n  b:\n    - c: 1\n      d: [1, 2]\n  e: {f: g}\n'],
    ['comments and document start', '# head\n---\na: 1 # one\n...\n'],
    ['special keys', '__proto__: {x: 1}\nconstructor: 2\n1: one\ntrue: t\n'],
    ['empty', ''],
    ['anchor and alias', 'a: &x 1\nb: *x\nc: &y {p: [1, {q: 2}]}\nd: *y\ne: [*y, *y]\n'],
    ['merge keys in YAML 1.1 order', 'base: &b {image: x, tags: [a], retry: {max: 1}}\nmore: &m {image: y, cache: c}\njob:\n  image: own\n  <<: [*b, *m]\n  stage: s\nlist:\n  - <<: *b\n    image: z\n  - <<: *m\n'],
    ['a quoted "<<" is an ordinary key', 'a:\n  "<<": 1\n  b: 2\n'],
    ['only comments', '# nothing\n'],
  ])('YAML %s', (_name, text) => {
    const quick = fastParse(text, 'yaml', 1000);
    expect(quick?.documents).toBeDefined();
    expect(quick!.documents![0] ?? null).toEqual(full(text, 'yaml'));
  });

  test('aliased values become copies: changing one leaves the others', () => {
    const doc = fastParse('a: &x {p: [1]}\nb: *x\nc:\n  <<: *x\n', 'yaml', 1000)!.documents![0] as Record<string, { p: number[] }>;
    expect(doc.a).not.toBe(doc.b);
    expect(doc.a!.p).not.toBe(doc.c!.p);
    doc.b!.p.push(2);
    expect(doc).toEqual({ a: { p: [1] }, b: { p: [1, 2] }, c: { p: [1] } });
  });

  test.each([
    ['nested anchors, both aliased', 'a: {x: &outer {p: &inner {y: [1]}, q: [2]}}\nb: *inner\nc: *outer\nd: [*inner, *outer]\n'],
    ['a merge of a template holding mappings, then an alias of a part', 't: &t {img: {name: x}, env: [{k: v}]}\nj1:\n  <<: *t\nj2:\n  <<: *t\n  img: {name: y}\nenv: &e [{k: w}]\nj3: {env: *e}\n'],
    ['anchors that are never aliased beside a glob', 'a: &a {b: [1]}\nscript: ls *.txt\n'],
  ])('no object is reachable twice after the quick path: %s', (_name, text) => {
    const doc = fastParse(text, 'yaml', 1000)!.documents![0];
    expect(doc).toEqual(full(text, 'yaml'));
    const met = new Set<object>();
    const stack: unknown[] = [doc];
    while (stack.length) {
      const value = stack.pop();
      if (value === null || typeof value !== 'object') continue;
      expect(met.has(value)).toBe(false);
      met.add(value);
      stack.push(...Object.values(value));
    }
  });

  test('a value copied inside a template that is aliased again is copied once more (no object reachable twice)', () => {
    const text = 'top0:\n  - &a0\n    k0: ~\n  - *a0\ntop1: &a1\n  - ~\n  -\n    - &a2\n      k0: ~\n    - &a3\n      k0: *a0\n    - *a3\n';
    const doc = fastParse(text, 'yaml', 1000)!.documents![0] as { top1: [null, { k0: object }[]] };
    expect(doc).toEqual(full(text, 'yaml'));
    expect(doc.top1[1][1]!.k0).not.toBe(doc.top1[1][2]!.k0);
  });

  test.each([
    ['an alias of a list of lists', 'lst: &l [[1], [2]]\ntop:\n  <<: *l\n'],
    ['an alias of a list holding a list', 'seq: &a0\n  - [1]\n  - {k2: 1}\ntop2:\n  <<: *a0\n  k0: 1\n'],
    ['a list with an alias of a list', 'm: &m {a: 1}\nl: &l [1]\ntop:\n  <<: [*m, *l]\n'],
    ['an alias of a scalar', 's: &s x\ntop:\n  <<: *s\n'],
    ['an inline mapping (left to the full parser, which merges it)', 'top:\n  <<: {a: 1}\n  b: 2\n'],
  ])('a merge key the quick path cannot vouch for goes to the full parser: %s', (_name, text) => {
    expect(fastParse(text, 'yaml', 1000)).toBeUndefined();
  });

  test('merge keys taking aliases of mappings stay on the quick path (with comments)', () => {
    const text = 'a: &a {x: 1}\nb: &b {y: 2}\nj1:\n  <<: *a # defaults\nj2:\n  <<: [*a, *b]\n  z: 3\n';
    expect(fastParse(text, 'yaml', 1000)?.documents?.[0]).toEqual(full(text, 'yaml'));
  });

  test('merged keys count against the budget too', () => {
    const text = `base: &b {${Array.from({ length: 30 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n${Array.from({ length: 10 }, (_, i) => `j${i}:\n  <<: *b\n`).join('')}`;
    expect(fastParse(text, 'yaml', 1000, 100)).toBeUndefined();
    expect(fastParse(text, 'yaml', 1000, 1000)?.documents).toHaveLength(1);
  });

  test('alias copies count against the budget (full parser below it, quick path within it)', () => {
    const text = `a: &a [${'1, '.repeat(20)}1]\nb: [${'*a, '.repeat(20)}*a]\n`;
    expect(fastParse(text, 'yaml', 1000, 100)).toBeUndefined();
    expect(fastParse(text, 'yaml', 1000, 1000)?.documents).toHaveLength(1);
  });

  test.each([
    '{"a": 1, "b": [true, null, 1.5e3, "x:y"], "c": {"__proto__": {"p": 1}, "d\\"e:": "f"}}',
    '[1, 2, {"a": "b"}]',
    '"just a string"',
  ])('JSON %s', (text) => {
    const quick = fastParse(text, 'json', 1000);
    expect(quick?.documents).toBeDefined();
    expect(quick!.documents![0]).toEqual(full(text, 'json'));
  });

  test.each([['json', '{"__proto__": {"polluted": 1}}'], ['yaml', '__proto__: {polluted: 1}\n']] as const)('%s objects are plain; __proto__ is an ordinary key', (format, text) => {
    const value = fastParse(text, format, 1000)!.documents![0] as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect((value as { polluted?: number }).polluted).toBeUndefined();
  });

  test.each([['json', '['.repeat(50) + ']'.repeat(50)], ['yaml', 'a: '.concat('['.repeat(50), ']'.repeat(50), '\n')]] as const)('%s nested deeper than maxDepth is reported with its offset', (format, text) => {
    const result = fastParse(text, format, 20);
    expect(result?.tooDeepAt).toBeGreaterThan(0);
    expect(fastParse(text, format, 100)?.documents).toHaveLength(1);
  });

  test.each([
    ['JSON duplicate key', '{"a": 1, "a": 2}', 'json'],
    ['JSON nested duplicate key', '{"a": {"b": 1, "b": 2}}', 'json'],
    ['JSON syntax error', '{"a": 1,}', 'json'],
    ['YAML duplicate key', 'a: 1\na: 2\n', 'yaml'],
    ['tag', 'a: !!str 1\n', 'yaml'],
    ['two merge keys in one mapping', 'a: &a {x: 1}\nb:\n  <<: *a\n  c: 1\n  <<: {y: 2}\n', 'yaml'],
    ['a merge key in a flow mapping', 'a: &a {x: 1}\nb: {<<: *a}\n', 'yaml'],
    ['an alias of its own anchor (a cycle)', 'a: &a [1, *a]\n', 'yaml'],
    ['aliases copying more values than the budget', `a: &a [${'1, '.repeat(20)}1]\nb: [${'*a, '.repeat(20)}*a]\n`, 'yaml'],
    ['complex key', '? [a]\n: 1\n', 'yaml'],
    ['null key', '~: 1\n', 'yaml'],
    ['several documents', 'a: 1\n---\nb: 2\n', 'yaml'],
    ['env reference', 'a: ${HOME}\n', 'yaml'],
    ['YAML syntax error', 'a: [1\n', 'yaml'],
  ] as const)('%s goes to the full parser', (_name, text, format) => {
    expect(fastParse(text, format, 1000, 100)).toBeUndefined();
  });
});
