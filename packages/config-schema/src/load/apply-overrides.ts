import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { ConfigError } from '../errors.js';
import { pathOf, toPointer } from '../problem.js';
import { parseOverridePath, type PathSegment } from './override-path.js';
import { isMergeKey, keyString } from './to-plain.js';

/** One `--set a.b.c=value` override, parsed. */
export interface Override {
  /** The flag as written, for messages. */
  readonly text: string;
  readonly segments: readonly PathSegment[];
  /** The value as a YAML node (a scalar, or a flow collection such as `[a, b]`). */
  readonly value: Node | null;
  /** The value's node and every node inside it. */
  readonly nodes: readonly Node[];
}

/**
 * Parses `a.b.c=value` (see `parseOverridePath` for `a[0].b` and quoted keys); the value is read
 * as YAML (`3` is a number, `true` a boolean, `"3"` a string, `[a, b]` a list).
 */
export function parseOverride(text: string): Override {
  const at = text.indexOf('=');
  if (at <= 0) throw new ConfigError('CONFIG_SET_INVALID', `Expected \`--set\` as PATH=VALUE, got "${text}"`, { hint: 'write --set spec.replicas=3' });
  const segments = parseOverridePath(text.slice(0, at), text);
  const doc = parseDocument(text.slice(at + 1), { schema: 'core', version: '1.2', uniqueKeys: true, logLevel: 'silent' });
  if (doc.errors.length) throw new ConfigError('CONFIG_SET_INVALID', `\`--set ${text}\`: the value is not valid YAML: ${doc.errors[0]!.message}`, { hint: 'quote the value' });
  const raw = text.slice(at + 1);
  // A scalar unless written as a flow collection: `--set msg=a: b` stays the string "a: b".
  const value = isScalar(doc.contents) || doc.contents === null || /^\s*[[{]/.test(raw) ? doc.contents : new Scalar(raw);
  const nodes: Node[] = [];
  return { text, segments, value: stripRanges(value, nodes), nodes };
}

/**
 * Sets the override's path in the document, creating mappings on the way. Returns its JSON
 * pointer. Fails when the path goes through a scalar or past the end of a list.
 */
export function applyOverride(doc: Document, override: Override): string {
  const { segments } = override;
  if (!isMap(doc.contents) && !(segments[0]!.index && isSeq(doc.contents))) {
    if (doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null)) {
      throw new ConfigError('CONFIG_SET_INVALID', `\`--set ${override.text}\`: the document is not a mapping`, { hint: 'overrides apply to configurations whose top level is a mapping' });
    }
    doc.contents = (segments[0]!.index ? new YAMLSeq() : new YAMLMap()) as never;
  }
  let node: unknown = doc.contents;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    const next = segments[index + 1];
    const fresh = (): YAMLMap | YAMLSeq => (next?.index ? new YAMLSeq() : new YAMLMap());
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node) && !segment.index) {
      const pair = node.items.find((p) => isPair(p) && !isMergeKey(p.key) && keyString(p.key, doc) === segment.key);
      if (last) {
        if (pair) pair.value = override.value;
        else node.items.push(doc.createPair(new Scalar(segment.key), override.value));
        break;
      }
      if (pair && pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) {
        node = pair.value;
        continue;
      }
      const child = fresh();
      if (pair) pair.value = child;
      else node.items.push(doc.createPair(new Scalar(segment.key), child));
      node = child;
    } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(segment.key) && Number(segment.key) <= node.items.length) {
      const i = Number(segment.key);
      if (last) {
        node.items[i] = override.value;
        break;
      }
      const item = node.items[i];
      if (item === undefined || item === null || (isScalar(item) && item.value === null)) node.items[i] = fresh();
      node = node.items[i];
    } else {
      const at = pathOf(segments.slice(0, index).map((s) => (s.index ? Number(s.key) : s.key)));
      const what = isSeq(node) ? `a list of ${node.items.length} items (use an index up to ${node.items.length})` : isMap(node) ? 'a mapping (write the key without brackets)' : 'a scalar value';
      throw new ConfigError('CONFIG_SET_INVALID', `\`--set ${override.text}\`: ${at} is ${what}, cannot set ${segment.index ? `[${segment.key}]` : `"${segment.key}"`} in it`, { hint: 'check the path against the configuration' });
    }
  }
  return toPointer(segments.map((s) => s.key));
}

/** Removes source ranges (they point into the flag, not the file) and collects every node. */
function stripRanges(node: unknown, nodes: Node[]): Node | null {
  if (node === null || node === undefined) return null;
  const n = node as Node;
  nodes.push(n);
  delete (n as { range?: unknown }).range;
  if (isMap(n)) for (const pair of n.items) {
    stripRanges(pair.key, nodes);
    stripRanges(pair.value, nodes);
  }
  if (isSeq(n)) for (const item of n.items) stripRanges(item, nodes);
  return n;
}
