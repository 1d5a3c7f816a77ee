import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { stringifyConfig } from './standardize.js';

// js-yaml 3 reads YAML 1.1 types (yes/no/on/off, 0b, sexagesimal, 1_000, timestamps) like PyYAML.
const jsyaml3 = createRequire(import.meta.url)('js-yaml-3') as { safeLoad(text: string): unknown };

/** Strings that YAML 1.1 or 1.2 readers would take for something else if written plain. */
const TRICKY = [
  'NO', 'no', 'No', 'yes', 'Yes', 'YES', 'y', 'Y', 'n', 'N', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'FALSE',
  '~', 'null', 'Null', 'NULL', '', '12:30', '190:20:30', '1_000', '0b101', '+0b1', '010', '0x1F', '0o17', '.5', '+.5', '1.', '1e3', '1.0e+3',
  '6.8523015e+5', '685.230_15e+03', '.inf', '-.Inf', '.NaN', '+1', '-1', '-0', '2001-12-14', '2001-12-14 21:59:43.10 -5', '2001-12-14t21:59:43.10-05:00',
  '=', '<<', ' lead', 'trail ', 'a: b', 'a:', 'a #b', '#c', '- x', '-', '? x', '[a]', '{a}', '!tag', '&a', '*a', '|', '>', '%x', '@x', '`x',
  '"quoted"', "'single'", "it's", 'nginx:1.25', 'http://x.example/z?q=1#frag', 'a, b', 'yes please', 'é', 'Zürich', 'a\u2028b', 'a\u0085b',
  'multi\nline', 'multi\nline\n', 'keep\n\n', 'x\n ', ' indented\nfirst', '\n\nlead', 'tab\there', 'cr\r\nlf', 'bell\u0007', '\ufeffbom', 'del\u007f',
  'ends with colon:', 'a\\b', 'C:\\path', '0', '00', '0.0', '1e400', 'Infinity', 'NaN',
];

const NUMBERS = [0, 1, -1, 0.1, 1.5e-7, 1e21, -2.5e+300, 123456789012345680000, 2 ** 60, Number.MAX_SAFE_INTEGER, 5e-324];

function document(): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  TRICKY.forEach((value, i) => {
    doc[`v${i}`] = value;
    doc[value] = i;
  });
  NUMBERS.forEach((value, i) => (doc[`n${i}`] = value));
  doc.list = [...TRICKY, { nested: ['yes', { NO: 'off' }] }, [[1, 'y'], []], {}];
  doc.flags = { true: true, false: false, none: null };
  return doc;
}

describe('standardized YAML reads the same in YAML 1.1 and 1.2', () => {
  const text = stringifyConfig([document()], 'yaml');

  test('YAML 1.2 (yaml, core schema) reads back the same data', () => {
    expect(parse(text, { version: '1.2', schema: 'core' })).toEqual(document());
  });

  test('YAML 1.1 (js-yaml 3) reads back the same data', () => {
    expect(jsyaml3.safeLoad(text)).toEqual(document());
  });

  test('YAML 1.1 (PyYAML safe_load) reads back the same data', () => {
    const script = 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin.read()), sys.stdout, ensure_ascii=False)';
    const read = JSON.parse(execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' })) as unknown;
    // PyYAML reads floats such as 1.0e+21 as floats: JSON carries them as numbers all the same.
    expect(read).toEqual(document());
  });

  test.each([
    ['NO', '"NO"'], ['yes', '"yes"'], ['12:30', '"12:30"'], ['1_000', '"1_000"'], ['0b101', '"0b101"'], ['010', '"010"'], ['2001-12-14', '"2001-12-14"'],
    ['nginx:1.25', 'nginx:1.25'], ['web', 'web'], ['hello world', 'hello world'], ['a\u2028b', '"a\\u2028b"'],
  ])('%p is written %s', (value, written) => {
    expect(stringifyConfig([{ k: value }], 'yaml')).toBe(`k: ${written}\n`);
  });

  test.each([[1e21, '1.0e+21'], [1.5e-7, '1.5e-7'], [0.5, '0.5'], [3, '3']])('the number %p is written %s (a dot before the exponent, for 1.1)', (value, written) => {
    expect(stringifyConfig([{ k: value }], 'yaml')).toBe(`k: ${written}\n`);
  });

  test('multi-line strings are literal blocks', () => {
    expect(stringifyConfig([{ script: 'set -e\nmake\n', list: ['a\nb'] }], 'yaml')).toBe('script: |\n  set -e\n  make\nlist:\n  - |-\n    a\n    b\n');
  });

  test('random strings from tricky characters round-trip in both versions', () => {
    const alphabet = ['a', 'Y', 'n', '0', '1', '_', ':', ' ', '#', '-', '.', '+', 'e', '"', "'", '\n', '\\', '~', '[', '{', ',', '!', '&', '*', '|', '>', '?', '%', '@', '\t', 'é', 'x'];
    let seed = 42;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const values: string[] = [];
    for (let i = 0; i < 2000; i++) values.push(Array.from({ length: 1 + random(8) }, () => alphabet[random(alphabet.length)]).join(''));
    const doc = Object.fromEntries(values.map((v, i) => [`k${i}`, v]));
    const written = stringifyConfig([doc, Object.fromEntries(values.map((v, i) => [v, i]))], 'yaml', true);
    const [again, keys] = written.split(/^---\n/m).slice(1);
    expect(jsyaml3.safeLoad(again!)).toEqual(doc);
    expect(parse(again!, { version: '1.2', schema: 'core' })).toEqual(doc);
    expect(jsyaml3.safeLoad(keys!)).toEqual(Object.fromEntries(values.map((v, i) => [v, i])));
  });
});
