import type { CompiledSchema } from '../schema/compile-schema.js';
import { resolveUrl } from '../schema/resolve-url.js';

/** A subschema with the URI its relative `$ref`s resolve against. */
export interface SchemaAt {
  readonly node: Record<string, unknown>;
  readonly base: string;
}

/**
 * Resolves the subschemas that describe a value: follows `$ref` (inside the document or into a
 * referenced file) and opens `allOf`/`anyOf`/`oneOf`/`then`/`else`. Used only to order keys, so
 * a branch that does not apply merely contributes key names.
 */
export function expand(compiled: CompiledSchema, start: readonly SchemaAt[], branches = true): SchemaAt[] {
  const out: SchemaAt[] = [];
  const seen = new Set<object>();
  const visit = (at: SchemaAt, depth: number): void => {
    if (depth > 32 || seen.has(at.node)) return;
    seen.add(at.node);
    const base = typeof at.node.$id === 'string' ? (resolveUrl(at.node.$id, at.base) ?? at.node.$id) : at.base;
    out.push({ node: at.node, base });
    if (typeof at.node.$ref === 'string') {
      const target = resolveRef(compiled, at.node.$ref, base);
      if (target) visit(target, depth + 1);
    }
    for (const key of branches ? ['allOf', 'anyOf', 'oneOf'] : ['allOf']) {
      const list = at.node[key];
      if (Array.isArray(list)) for (const item of list) if (isObject(item)) visit({ node: item, base }, depth + 1);
    }
    if (branches) for (const key of ['then', 'else']) if (isObject(at.node[key])) visit({ node: at.node[key] as Record<string, unknown>, base }, depth + 1);
  };
  for (const at of start) visit(at, 0);
  return out;
}

/** The subschemas for property `key` of an object described by `schemas`. */
export function propertySchemas(schemas: readonly SchemaAt[], key: string): SchemaAt[] {
  const out: SchemaAt[] = [];
  for (const { node, base } of schemas) {
    const props = node.properties;
    if (isObject(props) && Object.hasOwn(props, key) && isObject(props[key])) out.push({ node: props[key] as Record<string, unknown>, base });
    else if (isObject(node.additionalProperties)) out.push({ node: node.additionalProperties, base });
  }
  return out;
}

/** The subschemas for item `index` of an array. */
export function itemSchemas(schemas: readonly SchemaAt[], index: number): SchemaAt[] {
  const out: SchemaAt[] = [];
  for (const { node, base } of schemas) {
    const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : undefined;
    if (prefix && index < prefix.length) {
      if (isObject(prefix[index])) out.push({ node: prefix[index] as Record<string, unknown>, base });
    } else if (isObject(node.items)) out.push({ node: node.items, base });
    else if (isObject(node.additionalItems)) out.push({ node: node.additionalItems, base });
  }
  return out;
}

/** Property names in the order the schemas list them. */
export function propertyOrder(schemas: readonly SchemaAt[]): string[] {
  const names = new Set<string>();
  for (const { node } of schemas) if (isObject(node.properties)) for (const name of Object.keys(node.properties)) names.add(name);
  return [...names];
}

function resolveRef(compiled: CompiledSchema, ref: string, base: string): SchemaAt | undefined {
  const url = resolveUrl(ref, base) ?? ref;
  const hash = url.indexOf('#');
  const docUri = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : decodeURIComponent(url.slice(hash + 1));
  const doc = compiled.documents.get(docUri);
  if (!isObject(doc)) return undefined;
  if (fragment === '' ) return { node: doc, base: docUri };
  if (fragment.startsWith('/')) {
    let node: unknown = doc;
    for (const raw of fragment.slice(1).split('/')) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined;
    }
    return isObject(node) ? { node, base: docUri } : undefined;
  }
  const anchored = findAnchor(doc, fragment);
  return anchored ? { node: anchored, base: docUri } : undefined;
}

function findAnchor(node: unknown, anchor: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findAnchor(item, anchor);
      if (found) return found;
    }
  } else if (isObject(node)) {
    if (node.$anchor === anchor || node.$dynamicAnchor === anchor) return node;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'const' || key === 'enum' || key === 'default') continue;
      const found = findAnchor(value, anchor);
      if (found) return found;
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
