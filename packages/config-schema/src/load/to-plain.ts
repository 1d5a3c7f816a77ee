import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/** Alias expansion went over its budget, or an alias refers to its own anchor. */
export class AliasLimitError extends Error {
  constructor(readonly node: Node, message: string) {
    super(message);
  }
}

/**
 * Turns a YAML document into plain data. Mappings become objects without a prototype, so
 * `__proto__`, `constructor` and `prototype` are ordinary keys. Each alias is expanded into a copy;
 * the values made by expansion are counted, and past `maxAliasNodes` the conversion stops
 * ("billion laughs" files fail at once).
 */
export function toPlain(doc: Document, maxAliasNodes: number): unknown {
  const state = { budget: maxAliasNodes, expanding: new Set<Node>(), depth: 0, outer: null as Node | null };

  const convert = (node: unknown): unknown => {
    if (state.depth > 0 && --state.budget < 0) {
      throw new AliasLimitError(state.outer ?? (node as Node), `aliases expand to more than ${maxAliasNodes} values (the limit); a file like this is a "billion laughs" attack`);
    }
    if (node === null || node === undefined) return null;
    if (isScalar(node)) return node.value ?? null;
    if (isMap(node)) {
      const out: Record<string, unknown> = Object.create(null);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        out[keyString(pair.key, doc)] = convert(pair.value);
      }
      return out;
    }
    if (isSeq(node)) return node.items.map(convert);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new AliasLimitError(node, `alias *${node.source} has no anchor &${node.source} before it`);
      if (state.expanding.has(target)) throw new AliasLimitError(node, `alias *${node.source} refers to its own anchor (a cycle)`);
      state.expanding.add(target);
      if (state.depth === 0) state.outer = node;
      state.depth++;
      try {
        return convert(target);
      } finally {
        state.depth--;
        state.expanding.delete(target);
      }
    }
    return null;
  };
  return convert(doc.contents);
}

/** The string form of a mapping key: scalars by value, null as '', collections as flow YAML. */
export function keyString(key: unknown, doc?: Document): string {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  if (isAlias(key) && doc) return keyString(key.resolve(doc), doc);
  if (key === null || key === undefined) return '';
  return String(key);
}
