import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import { setOwn } from '../plain/set-own.js';
import { resolveAlias } from './resolve-alias.js';

/** Why a document could not become plain data: alias budget, a cycle, a bad merge, too deep. */
export class PlainError extends Error {
  constructor(readonly node: Node, readonly kind: 'alias-limit' | 'syntax' | 'depth', message: string) {
    super(message);
  }
}

/** How `!!binary` values come out. */
export type BinaryMode = 'base64' | 'buffer';

/** Options of `toPlain`. */
export interface PlainOptions {
  readonly maxAliasNodes: number;
  readonly maxDepth: number;
  readonly binary: BinaryMode;
}

interface Task {
  readonly node: unknown;
  readonly assign: (value: unknown) => void;
  readonly depth: number;
  /** Inside an alias expansion: values made count against the budget. */
  readonly copied: boolean;
  /** Ends the expansion of this anchor target (cycle detection). */
  readonly leave?: Node;
  /** Applies merge sources after the explicit keys of a mapping. */
  readonly merge?: { readonly out: Record<string, unknown>; readonly sources: unknown[] };
}

/**
 * Turns a YAML document into plain data, without recursion (any depth up to `maxDepth`).
 * Objects have the normal prototype and `__proto__` is an ordinary key. Each alias is expanded
 * into a copy; values made by expansion count against `maxAliasNodes` ("billion laughs").
 * Merge keys (`<<: *base`, `<<: [*a, *b]`) follow YAML 1.1 as docker-compose reads them: keys
 * written in the mapping win over merged ones, and an earlier source wins over a later one.
 */
export function toPlain(doc: Document, options: PlainOptions): unknown {
  const { maxAliasNodes, maxDepth, binary } = options;
  let budget = maxAliasNodes;
  const expanding = new Set<Node>();
  const result = { value: null as unknown };
  const stack: Task[] = [{ node: doc.contents, assign: (v) => (result.value = v), depth: 0, copied: false }];
  let outerAlias: Node | null = null;
  while (stack.length) {
    const task = stack.pop()!;
    if (task.leave) {
      expanding.delete(task.leave);
      continue;
    }
    if (task.merge) {
      const { out, sources } = task.merge;
      for (const source of sources) for (const key of Object.keys(source as object)) if (!Object.hasOwn(out, key)) setOwn(out, key, (source as Record<string, unknown>)[key]);
      continue;
    }
    const { node, depth, copied } = task;
    if (copied && --budget < 0) {
      throw new PlainError(outerAlias ?? (node as Node), 'alias-limit', `aliases expand to more than ${maxAliasNodes} values (the limit); a file like this is a "billion laughs" attack`);
    }
    if (depth > maxDepth) throw new PlainError(node as Node, 'depth', `nesting deeper than ${maxDepth} levels (the limit, maxDepth / --max-depth)`);
    if (node === null || node === undefined) task.assign(null);
    else if (isScalar(node)) task.assign(scalar(node, binary));
    else if (isSeq(node)) {
      const out: unknown[] = new Array(node.items.length);
      task.assign(out);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], assign: (v) => (out[i] = v), depth: depth + 1, copied });
    } else if (isMap(node)) {
      const out: Record<string, unknown> = {};
      task.assign(out);
      const merges = node.items.filter((pair) => isPair(pair) && isMergeKey(pair.key));
      if (merges.length) {
        const sources: unknown[] = [];
        stack.push({ node: null, assign: () => undefined, depth, copied, merge: { out, sources } });
        for (const pair of merges) {
          for (const source of mergeSources(pair.value, doc)) {
            const at = sources.length;
            sources.push({});
            stack.push({ node: source, assign: (v) => (sources[at] = v), depth: depth + 1, copied });
          }
        }
      }
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        if (!isPair(pair) || isMergeKey(pair.key)) continue;
        const key = keyString(pair.key, doc);
        stack.push({ node: pair.value, assign: (v) => setOwn(out, key, v), depth: depth + 1, copied });
      }
    } else if (isAlias(node)) {
      const target = resolveAlias(node, doc);
      if (!target) throw new PlainError(node, 'alias-limit', `alias *${node.source} has no anchor &${node.source} before it`);
      if (expanding.has(target)) throw new PlainError(node, 'alias-limit', `alias *${node.source} refers to its own anchor (a cycle)`);
      expanding.add(target);
      if (!copied) outerAlias = node;
      stack.push({ node: null, assign: () => undefined, depth, copied, leave: target });
      stack.push({ node: target, assign: task.assign, depth, copied: true });
    } else task.assign(null);
  }
  return result.value;
}

function scalar(node: Scalar, binary: BinaryMode): unknown {
  const value = node.value;
  if (value === undefined) return null;
  if (value instanceof Uint8Array) return binary === 'buffer' ? Buffer.from(value) : Buffer.from(value).toString('base64');
  return value;
}

/** A plain (unquoted, untagged) `<<` key: the YAML 1.1 merge key. A quoted `"<<"` is an ordinary key. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && key.type === Scalar.PLAIN && !key.tag;
}

/** The mappings a merge key brings in: one mapping (or alias of one), or a list of them. */
export function mergeSources(value: unknown, doc: Document): Node[] {
  const resolved = isAlias(value) ? resolveAlias(value, doc) : value;
  const list = isSeq(resolved) ? resolved.items : [value];
  for (const item of list) {
    const target = isAlias(item) ? resolveAlias(item, doc) : item;
    if (!isMap(target)) {
      throw new PlainError((item ?? value) as Node, 'syntax', `the merge key << takes a mapping, an alias of one, or a list of them (YAML 1.1 merge); quote it ("<<") for a key named <<`);
    }
  }
  return list as Node[];
}

/** The string form of a mapping key: scalars by value, null as '', collections as flow YAML. */
export function keyString(key: unknown, doc?: Document): string {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  if (isAlias(key) && doc) return keyString(resolveAlias(key, doc), doc);
  if (key === null || key === undefined) return '';
  return String(key);
}
