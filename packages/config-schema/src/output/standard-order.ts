import type { CompiledSchema } from '../schema/compile-schema.js';
import { expand, itemSchemas, propertyOrder, propertySchemas, type SchemaAt } from './schema-walker.js';

const NONE: readonly SchemaAt[] = [];

/**
 * The standardized order of a document's mapping keys: the order the schema lists them (through
 * `$ref` and branches), then the rest sorted; all sorted without a schema. The emitters ask it
 * for each mapping's keys as they write, so a document is written in this order without
 * building an ordered copy of it first (a 42 MB file was copied whole before).
 *
 * A place in the document is the list of subschemas that describe it (`root()`, then
 * `property()`/`item()` of the expanded schemas of its parent).
 */
export class StandardOrder {
  constructor(private readonly compiled?: CompiledSchema) {}

  /** The subschemas of a document. */
  root(): readonly SchemaAt[] {
    const { compiled } = this;
    return compiled && typeof compiled.root === 'object' ? [{ node: compiled.root, base: compiled.baseUri }] : NONE;
  }

  /** The subschemas at `place` with `$ref`s and branches opened: what `keys`, `property` and `item` take. */
  expand(place: readonly SchemaAt[]): readonly SchemaAt[] {
    return this.compiled && place.length ? expand(this.compiled, place) : NONE;
  }

  /** The keys of `record` in standardized order. */
  keys(record: Record<string, unknown>, expanded: readonly SchemaAt[]): string[] {
    const keys = Object.keys(record);
    const listed = expanded.length ? propertyOrder(expanded).filter((k) => Object.hasOwn(record, k)) : [];
    if (!listed.length) return keys.sort(byCodeUnits);
    const listedSet = new Set(listed);
    return [...listed, ...keys.filter((k) => !listedSet.has(k)).sort(byCodeUnits)];
  }

  /** The place of property `key` of a mapping whose expanded subschemas are `expanded`. */
  property(expanded: readonly SchemaAt[], key: string): readonly SchemaAt[] {
    return expanded.length ? propertySchemas(expanded, key) : NONE;
  }

  /** The place of item `index` of a list whose expanded subschemas are `expanded`. */
  item(expanded: readonly SchemaAt[], index: number): readonly SchemaAt[] {
    return expanded.length ? itemSchemas(expanded, index) : NONE;
  }
}

/**
 * What an emitter needs to open a collection: the schemas that describe it (for its items' places)
 * and, for a mapping, its keys: in `order` when given, else in the order the object holds them.
 */
export function openCollection(value: Record<string, unknown> | unknown[], order?: StandardOrder, place?: readonly SchemaAt[]): { expanded: readonly SchemaAt[]; keys: string[] | undefined } {
  const expanded = order && place ? order.expand(place) : NONE;
  const keys = Array.isArray(value) ? undefined : order ? order.keys(value, expanded) : Object.keys(value);
  return { expanded, keys };
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
