import { isCollection, isPair, isScalar, type Node } from 'yaml';

/** Collections narrower than this are searched item by item. */
const INDEXED_FROM = 32;

/** The items of one collection that have a range, with it, in order: searched by bisection. */
interface ItemIndex {
  readonly items: readonly number[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/**
 * A function giving the path of the deepest node whose range holds an offset (for positions of
 * parse errors, unfilled variables, bad merges), for a document no longer changed. Each wide
 * collection on the way is indexed once (its items' ranges, when in order, as they are in a
 * parsed document) and bisected, so that many lookups in a mapping of many keys are not each a
 * scan of it; the answer is that of a scan: the first item whose range holds the offset.
 */
export function pathFinder(root: Node): (offset: number) => string[] {
  const indexes = new WeakMap<object, ItemIndex | null>();
  return (offset) => {
    const out: string[] = [];
    let node: unknown = root;
    for (;;) {
      if (!isCollection(node)) return out;
      const items = node.items as unknown[];
      let index = indexes.get(node);
      if (index === undefined && items.length >= INDEXED_FROM) indexes.set(node, (index = indexOf(items)));
      const at = index ? bisect(index, offset) : scan(items, offset);
      if (at === undefined) return out;
      const item = items[at];
      if (isPair(item)) {
        out.push(isScalar(item.key) ? String(item.key.value ?? '') : String(item.key));
        node = item.value;
      } else {
        out.push(String(at));
        node = item;
      }
      if (node === undefined) return out;
    }
  };
}

/** The path of the deepest node whose range holds `offset` (one lookup). */
export function segmentsAt(root: Node, offset: number): string[] {
  return pathFinder(root)(offset);
}

/** Where an item's range starts and ends: a pair spans its key and value; undefined when it has none. */
function rangeOf(item: unknown): [number, number] | undefined {
  if (isPair(item)) {
    const key = item.key as Node | null;
    const value = item.value as Node | null;
    const start = key?.range?.[0] ?? value?.range?.[0];
    if (start === undefined) return undefined;
    return [start, Math.max(value?.range?.[1] ?? -1, key?.range?.[1] ?? -1)];
  }
  const range = (item as Node | null)?.range;
  return range ? [range[0], range[1]] : undefined;
}

function scan(items: readonly unknown[], offset: number): number | undefined {
  for (let i = 0; i < items.length; i++) {
    const range = rangeOf(items[i]);
    if (range && offset >= range[0] && offset <= range[1]) return i;
  }
  return undefined;
}

/** The ranged items, or null when their starts or ends are out of order (then they are scanned). */
function indexOf(items: readonly unknown[]): ItemIndex | null {
  const index = { items: [] as number[], starts: [] as number[], ends: [] as number[] };
  for (let i = 0; i < items.length; i++) {
    const range = rangeOf(items[i]);
    if (!range) continue;
    const n = index.items.length;
    if (n > 0 && (range[0] < index.starts[n - 1]! || range[1] < index.ends[n - 1]!)) return null;
    index.items.push(i);
    index.starts.push(range[0]);
    index.ends.push(range[1]);
  }
  return index;
}

/**
 * With starts and ends in order, the first item holding `offset` is the first whose end is at or
 * after it, if that one starts at or before it (earlier ones end before it, later ones start after).
 */
function bisect(index: ItemIndex, offset: number): number | undefined {
  let lo = 0;
  let hi = index.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.ends[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < index.ends.length && index.starts[lo]! <= offset ? index.items[lo] : undefined;
}
