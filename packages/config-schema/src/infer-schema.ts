import { setOwn } from './plain/set-own.js';

/** Options of `inferSchema`. */
export interface InferOptions {
  /** Allow keys the examples do not show (`additionalProperties`). Defaults to false (closed objects). */
  readonly additionalProperties?: boolean;
}

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
type Schema = Record<string, unknown>;

/**
 * A starting JSON Schema (draft 2020-12) from example configurations: each key's type, the keys
 * every example has as `required`, lists typed by their items. Edit it from there (add
 * descriptions, bounds, enums).
 */
export function inferSchema(examples: readonly unknown[], options: InferOptions = {}): Schema {
  const additional = options.additionalProperties ?? false;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...infer(examples, additional) };
}

function infer(values: readonly unknown[], additional: boolean): Schema {
  const types = new Set<JsonType>(values.map(typeOf));
  if (types.has('integer') && types.has('number')) types.delete('integer');
  const schemas: Schema[] = [];
  for (const type of [...types].sort()) {
    const same = values.filter((v) => typeOf(v) === type || (type === 'number' && typeOf(v) === 'integer'));
    if (type === 'object') schemas.push(objectSchema(same as Record<string, unknown>[], additional));
    else if (type === 'array') {
      const items = (same as unknown[][]).flat();
      schemas.push(items.length ? { type, items: infer(items, additional) } : { type });
    } else schemas.push({ type });
  }
  if (schemas.length === 1) return schemas[0]!;
  if (schemas.every((s) => Object.keys(s).length === 1)) return { type: schemas.map((s) => s.type) };
  return { anyOf: schemas };
}

function objectSchema(objects: readonly Record<string, unknown>[], additional: boolean): Schema {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const object of objects) for (const key of Object.keys(object)) if (!seen.has(key)) {
    seen.add(key);
    keys.push(key);
  }
  const properties: Schema = {};
  for (const key of keys) setOwn(properties, key, infer(objects.filter((o) => Object.hasOwn(o, key)).map((o) => o[key]), additional));
  const required = keys.filter((key) => objects.every((o) => Object.hasOwn(o, key)));
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: additional };
}

function typeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return 'object';
}
