import { parseDocument, visit, type Alias } from 'yaml';
import { resolveAlias } from './resolve-alias.js';

describe('resolveAlias', () => {
  test('each alias gets the last node anchored with its name before it, as yaml resolves it', () => {
    const doc = parseDocument('a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: [&y 3, *y, *x]\nf: *z\n', { logLevel: 'silent' });
    const aliases: Alias[] = [];
    visit(doc, { Alias: (_key, node) => void aliases.push(node) });
    expect(aliases.map((a) => (resolveAlias(a, doc) as { value?: unknown } | undefined)?.value)).toEqual([1, 2, 3, 2, undefined]);
    for (const alias of aliases) expect(resolveAlias(alias, doc)).toBe(alias.resolve(doc));
  });
});
