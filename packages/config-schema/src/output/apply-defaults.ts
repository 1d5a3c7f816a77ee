import { plainCopy, setOwn } from '../plain/set-own.js';
import type { CompiledSchema } from '../schema/compile-schema.js';
import { expand, itemSchemas, propertyOrder, propertySchemas, type SchemaAt } from './schema-walker.js';

/**
 * Fills missing properties from `default`s the schema reaches through `$ref` and `allOf` (ajv's
 * `useDefaults` only sees a `default` written directly under `properties`). Branches of
 * `anyOf`/`oneOf` are not used: which one applies is not known before validation.
 */
export function applyDefaults(value: unknown, compiled: CompiledSchema): void {
  if (typeof compiled.root !== 'object') return;
  fill(value, [{ node: compiled.root, base: compiled.baseUri }], compiled);
}

function fill(value: unknown, schemas: readonly SchemaAt[], compiled: CompiledSchema): void {
  if (value === null || typeof value !== 'object' || schemas.length === 0) return;
  const expanded = expand(compiled, schemas, false);
  if (Array.isArray(value)) {
    value.forEach((item, index) => fill(item, itemSchemas(expanded, index), compiled));
    return;
  }
  const record = value as Record<string, unknown>;
  for (const name of propertyOrder(expanded)) {
    const child = propertySchemas(expanded, name);
    if (!Object.hasOwn(record, name)) {
      const withDefault = expand(compiled, child, false).find((s) => Object.hasOwn(s.node, 'default'));
      if (withDefault) setOwn(record, name, plainCopy(withDefault.node.default));
    }
    if (Object.hasOwn(record, name)) fill(record[name], child, compiled);
  }
}
