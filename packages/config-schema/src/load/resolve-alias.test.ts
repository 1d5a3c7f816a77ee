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

describe('resolveAlias, later anchors', () => {
  test('an alias not in the document gets the last node anchored with its name', () => {
    const doc = parseDocument('a: &x 1\nb: &x 2\n', { logLevel: 'silent' });
    const stray = parseDocument('*x', { logLevel: 'silent' }).contents as Alias;
    expect((resolveAlias(stray, doc) as { value?: unknown } | undefined)?.value).toBe(2);
  });

  test('an alias inside the node it names refers to that node (a cycle, refused later)', () => {
    const doc = parseDocument('a: &x [1, *x]\n', { logLevel: 'silent' });
    const aliases: Alias[] = [];
    visit(doc, { Alias: (_key, node) => void aliases.push(node) });
    expect(resolveAlias(aliases[0]!, doc)).toBe(aliases[0]!.resolve(doc));
    expect(resolveAlias(aliases[0]!, doc)).toBe((doc.contents as { items: { value: unknown }[] }).items[0]!.value);
  });
});
