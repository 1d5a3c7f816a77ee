import { isAlias, isMap, isPair, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { resolveAlias } from './resolve-alias.js';
import { isMergeKey, keyString, mergeSources } from './to-plain.js';

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** What `locate` found: the value node, and the key node when the value sits in a mapping. */
interface Found {
  readonly node: Node | null;
  readonly key: Node | null;
  /** The nearest node on the way that has a source range (values set by --set have none). */
  readonly anchor: Node | null;
}

/** A mapping's pairs by key (the first of each, merge keys aside), and its merge keys. */
interface MapIndex {
  readonly pairs: Map<string, Pair>;
  readonly merges: Pair[];
}

type Indexer = (map: YAMLMap) => MapIndex;

/** Walks the document along `segments`, following aliases, as far as it can. */
function walk(doc: Document, segments: readonly string[], indexer: Indexer): Found {
  let node = doc.contents as Node | null;
  let key: Node | null = null;
  let anchor: Node | null = node?.range ? node : null;
  for (const segment of segments) {
    if (isAlias(node)) node = resolveAlias(node, doc) ?? null;
    let next: Node | null | undefined;
    if (isMap(node)) {
      const pair = findPair(doc, node, segment, indexer);
      next = pair ? (pair.value as Node | null) : undefined;
      key = pair ? (pair.key as Node | null) : null;
      if (key?.range) anchor = key;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)] as Node | null | undefined;
      key = null;
    }
    if (next === undefined) return { node: null, key: null, anchor };
    node = next;
    if (node?.range && node.range[1] > node.range[0]) anchor = node;
  }
  return { node, key, anchor };
}

/**
 * The pair holding `key` in a mapping: written in it, else from its merge sources (`<<`) in
 * order, as `toPlain` resolves them.
 */
export function findPair(doc: Document, map: YAMLMap, key: string, indexer: Indexer = (m) => indexMap(doc, m)): Pair | undefined {
  const maps: YAMLMap[] = [map];
  for (let i = 0; i < maps.length && i < 10_000; i++) {
    const here = indexer(maps[i]!);
    const pair = here.pairs.get(key);
    if (pair) return pair;
    for (const merge of here.merges) {
      try {
        for (const source of mergeSources(merge.value, doc)) {
          const target = isAlias(source) ? resolveAlias(source, doc) : source;
          if (isMap(target)) maps.push(target);
        }
      } catch {
        // A bad merge is reported by toPlain.
      }
    }
  }
  return undefined;
}

function indexMap(doc: Document, map: YAMLMap): MapIndex {
  const index: MapIndex = { pairs: new Map(), merges: [] };
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    if (isMergeKey(pair.key)) {
      index.merges.push(pair);
    } else {
      const name = keyString(pair.key, doc);
      if (!index.pairs.has(name)) index.pairs.set(name, pair);
    }
  }
  return index;
}

/**
 * A function placing paths in a document no longer changed (after `--set` and `${VAR}`): the
 * position of the value at `segments` (or of its key, with `atKey`), falling back to the nearest
 * enclosing node that has one, then to 1:1. Each mapping on the way is indexed by key once, so
 * that many problems in a mapping of many keys are not each a scan of it.
 */
export function createLocator(doc: Document, lineCounter: LineCounter): (segments: readonly string[], atKey?: boolean) => Position {
  const indexes = new WeakMap<YAMLMap, MapIndex>();
  const indexer: Indexer = (map) => {
    let index = indexes.get(map);
    if (!index) indexes.set(map, (index = indexMap(doc, map)));
    return index;
  };
  return (segments, atKey = false) => position(lineCounter, walk(doc, segments, indexer), atKey);
}

/** One lookup: the position of the value at `segments` (or of its key, with `atKey`). */
export function locate(doc: Document | undefined, lineCounter: LineCounter, segments: readonly string[], atKey = false): Position {
  if (!doc) return { line: 1, col: 1 };
  return createLocator(doc, lineCounter)(segments, atKey);
}

function position(lineCounter: LineCounter, found: Found, atKey: boolean): Position {
  let target = atKey ? found.key ?? found.node : found.node;
  if (isAlias(target) && !target.range) target = null;
  const node = target?.range && target.range[1] > target.range[0] ? target : found.key?.range ? found.key : found.anchor;
  if (!node?.range) return { line: 1, col: 1 };
  return lineCounter.linePos(node.range[0]);
}
