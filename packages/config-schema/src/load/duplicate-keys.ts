import { isCollection, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { isMergeKey } from './to-plain.js';

/** A key that repeats an earlier key of its mapping: where it starts, and its path. */
export interface DuplicateKey {
  /** Offset of the repeated key in the text (its `range[0]`, after the gap for an empty key). */
  readonly offset: number;
  /** Path segments to the repeated key, as `segmentsAt` (segments-at.ts) gives them. */
  readonly segments: string[];
}

/** A path kept as a chain of parents; turned into segments only for a duplicate. */
interface PathLink {
  readonly parent: PathLink | undefined;
  readonly segment: string;
}

type Task =
  | { readonly node: unknown; readonly path: PathLink | undefined; readonly inKey: boolean }
  | { readonly duplicate: DuplicateKey };

/**
 * The repeated keys of a document, in the order `yaml`'s own check (`uniqueKeys`) reports them,
 * with a time linear in the document: that check compares each new key with every earlier key
 * of its mapping (quadratic for wide mappings), this one keeps one Set per mapping. Two keys are
 * the same when both are scalars with `===` values (so `1` and `1.0` are, `NaN` never is) and
 * neither or both are the merge key `<<` (a quoted `"<<"` is an ordinary key); collection and
 * alias keys never repeat one another. Keys that are collections are searched too. The walk is
 * iterative: depth is bounded by the caller's nesting limit, not by the stack.
 */
export function duplicateKeys(doc: Document, text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Task[] = [{ node: doc.contents, path: undefined, inKey: false }];
  for (let task = stack.pop(); task; task = stack.pop()) {
    if ('duplicate' in task) {
      found.push(task.duplicate);
      continue;
    }
    const { node, path, inKey } = task;
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isCollection(item)) stack.push({ node: item, path: inKey ? path : { parent: path, segment: String(i) }, inKey });
      }
    } else if (isMap(node)) {
      const repeated = repeatedPairs(node.items);
      // Pushed in reverse so that they are handled as yaml composes: key, its check, value.
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        if (!isPair(pair)) continue;
        // Scalars hold no keys: only collections are walked, and a path made only where needed.
        const range = (pair.key as Node | null)?.range;
        const duplicate = repeated.has(i) && range;
        if (!duplicate && !isCollection(pair.value) && !isCollection(pair.key)) continue;
        const pairPath = inKey ? path : { parent: path, segment: segmentOf(pair.key) };
        if (isCollection(pair.value)) stack.push({ node: pair.value, path: pairPath, inKey });
        if (duplicate) stack.push({ duplicate: { offset: keyStart(range, text), segments: segmentsOf(pairPath) } });
        if (isCollection(pair.key)) stack.push({ node: pair.key, path: pairPath, inKey: true });
      }
    }
  }
  return found;
}

/** Indexes of the pairs whose key repeats an earlier one: one Set per kind of key. */
function repeatedPairs(items: readonly unknown[]): Set<number> {
  const repeated = new Set<number>();
  const plain = new Set<unknown>();
  let mergeSeen = false;
  items.forEach((pair, index) => {
    if (!isPair(pair) || !isScalar(pair.key)) return;
    const value = pair.key.value;
    if (typeof value === 'number' && Number.isNaN(value)) return;
    if (isMergeKey(pair.key)) {
      if (mergeSeen) repeated.add(index);
      mergeSeen = true;
    } else if (plain.has(value)) {
      repeated.add(index);
    } else {
      plain.add(value);
    }
  });
  return repeated;
}

/**
 * Where yaml places a repeated key: its start, except that an empty key (`? ` alone, or `:` with
 * nothing before it) is placed after the spaces, comments and line breaks that follow it.
 */
function keyStart(range: readonly number[], text: string): number {
  const [start, end] = range as [number, number];
  if (start !== end) return start;
  const gap = /(?:[ \t]+|#[^\n]*|\r?\n)*/y;
  gap.lastIndex = start;
  gap.exec(text);
  return gap.lastIndex;
}

/** A key's path segment, as `segmentsAt` writes it: scalars by value, collections as flow YAML. */
function segmentOf(key: unknown): string {
  return isScalar(key) ? String(key.value ?? '') : String(key);
}

function segmentsOf(path: PathLink | undefined): string[] {
  const out: string[] = [];
  for (let link = path; link; link = link.parent) out.push(link.segment);
  return out.reverse();
}
