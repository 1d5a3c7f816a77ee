import { describe, expect, test } from '@jest/globals';
import { checkConfigText } from '../check-config.js';
import { deeperThan } from './nesting.js';

const json = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const block = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:\n`).join('') + `${' '.repeat(n)}b: 1\n`;

describe('nesting', () => {
  test('a valid 10,000-level JSON fails clearly by default and is read with a higher maxDepth (no stack overflow)', () => {
    const check = checkConfigText(json(10_000), { file: 'deep.json' });
    expect(check.problems).toEqual([expect.objectContaining({ kind: 'depth', line: 1, col: 5001, message: expect.stringMatching(/^nesting deeper than 1000 levels \(the limit, maxDepth/) })]);
    const deep = checkConfigText(json(10_000), { file: 'deep.json', maxDepth: 20_000, schema: { type: 'object' } });
    expect(deep.valid).toBe(true);
  });

  test('800-level YAML is read, and a problem in it is located', () => {
    expect(checkConfigText(block(800)).valid).toBe(true);
    const check = checkConfigText(block(800), { file: 'deep.yaml', schema: { type: 'object', properties: { a: { type: 'string' } } } });
    expect(check.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual(['2:2: a: must be a string, got a mapping']);
  });

  test('deeper than the full parser follows: a clear problem, not a crash', () => {
    const text = `a: \${X}\nb: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const check = checkConfigText(text, { file: 'd.yaml', env: { X: '1' }, maxDepth: 5000 });
    expect(check.problems).toEqual([expect.objectContaining({ kind: 'depth', line: 2, message: expect.stringMatching(/^nesting deeper than 1000 levels, the most the full YAML parser follows/) })]);
  });

  test.each([
    ['json', '[[[]]]', 2, 2],
    ['json', '["[[[[", [1]]', 2, -1],
    ['yaml', 'a:\n  b:\n    c: 1\n', 3, 12],
    ['yaml', 'a:\n  b:\n    c: 1\n', 4, -1],
    ['yaml', '- - - x\n', 3, 6],
    ['yaml', 'a: "[[[[[["\n', 2, -1],
  ] as const)('deeperThan(%p, %p, %p) = %p', (format, text, limit, offset) => {
    expect(deeperThan(text, format, limit)).toBe(offset);
  });
});
