import { setOwn } from '../plain/set-own.js';

/**
 * js-yaml gives an alias the very object of its anchor, and a merge key the objects of its
 * source: one object reachable from several places. This makes the value a tree again without
 * recursion: every object met a second time is replaced by a copy (and all it holds with it),
 * and every value inside such a copy counts against `maxAliasNodes` ("billion laughs"), as
 * `toPlain` counts alias expansions. Returns undefined when the full parser must say what is
 * wrong instead: a cycle (an alias of its own anchor), more copies than the budget, or nesting
 * deeper than `maxDepth` once expanded.
 *
 * `anchored` holds the objects that carry an anchor (js-yaml's load listener gives them). Only
 * they and what they hold can be reached twice, so only those are remembered: a 42 MB file with
 * a few templates is walked without a set of all its objects.
 */
export function unshareAliases(root: unknown, anchored: ReadonlySet<object>, maxAliasNodes: number, maxDepth: number): { value: unknown } | undefined {
  if (root === null || typeof root !== 'object') return { value: root };
  if (anchored.size === 0) return { value: root };
  const shared = heldBy(anchored);
  const seen = new Set<object>();
  const onPath = new Set<object>();
  let budget = maxAliasNodes;
  const out = { value: root };
  // Each entry: a container to visit (with where it sits), or a marker that leaves one.
  const containers: object[] = [root];
  const holders: object[] = [out];
  const keys: (string | number | typeof LEAVE)[] = ['value'];
  const depths: number[] = [0];
  const copied: boolean[] = [false];
  while (containers.length) {
    let value = containers.pop()!;
    const holder = holders.pop()!;
    const key = keys.pop()!;
    const depth = depths.pop()!;
    let copy = copied.pop()!;
    if (key === LEAVE) {
      onPath.delete(value);
      continue;
    }
    if (depth > maxDepth) return undefined;
    // Inside a copy everything is copied: the original holds the same objects (also copies made
    // earlier in the original, which `shared` does not know).
    if (copy || shared.has(value)) {
      if (onPath.has(value)) return undefined;
      if (copy || seen.has(value)) {
        const original = value;
        value = Array.isArray(value) ? value.slice() : cloneObject(value as Record<string, unknown>);
        (holder as Record<string | number, unknown>)[key as string | number] = value;
        if (!copy && --budget < 0) return undefined;
        copy = true;
        onPath.add(original);
        containers.push(original);
        holders.push(value);
        keys.push(LEAVE);
        depths.push(depth);
        copied.push(copy);
      } else {
        seen.add(value);
        onPath.add(value);
        containers.push(value);
        holders.push(value);
        keys.push(LEAVE);
        depths.push(depth);
        copied.push(copy);
      }
    }
    const entries = Array.isArray(value) ? value : Object.values(value);
    const names = Array.isArray(value) ? undefined : Object.keys(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const item = entries[i] as unknown;
      if (copy && --budget < 0) return undefined;
      if (item === null || typeof item !== 'object') continue;
      containers.push(item);
      holders.push(value);
      keys.push(names ? names[i]! : i);
      depths.push(depth + 1);
      copied.push(copy);
    }
  }
  return out;
}

/** Marks the end of a container's children on the stack. */
const LEAVE: unique symbol = Symbol('leave');

/** The anchored objects and every object they hold. */
function heldBy(anchored: ReadonlySet<object>): Set<object> {
  const shared = new Set<object>();
  const stack: object[] = [...anchored];
  while (stack.length) {
    const value = stack.pop()!;
    if (shared.has(value)) continue;
    shared.add(value);
    for (const item of Array.isArray(value) ? value : Object.values(value)) if (item !== null && typeof item === 'object') stack.push(item as object);
  }
  return shared;
}

function cloneObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, key, value[key]);
  return out;
}
