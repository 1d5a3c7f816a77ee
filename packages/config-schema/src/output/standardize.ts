import { stringify } from 'yaml';
import type { ConfigFormat } from '../load/detect-format.js';
import type { CompiledSchema } from '../schema/compile-schema.js';
import { expand, itemSchemas, propertyOrder, propertySchemas, type SchemaAt } from './schema-walker.js';

/**
 * A copy of `value` with the keys of every mapping in the order the schema lists them, then the
 * rest sorted (all sorted without a schema). Objects in the copy have no prototype.
 */
export function standardize(value: unknown, compiled?: CompiledSchema): unknown {
  const start: SchemaAt[] = compiled && typeof compiled.root === 'object' ? [{ node: compiled.root, base: compiled.baseUri }] : [];
  return order(value, start, compiled);
}

function order(value: unknown, schemas: readonly SchemaAt[], compiled: CompiledSchema | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  const expanded = compiled && schemas.length ? expand(compiled, schemas) : [];
  if (Array.isArray(value)) return value.map((item, index) => order(item, expanded.length ? itemSchemas(expanded, index) : [], compiled));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const listed = propertyOrder(expanded).filter((k) => Object.hasOwn(record, k));
  const listedSet = new Set(listed);
  const rest = keys.filter((k) => !listedSet.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = Object.create(null);
  for (const key of [...listed, ...rest]) out[key] = order(record[key], expanded.length ? propertySchemas(expanded, key) : [], compiled);
  return out;
}

/**
 * The text form of standardized values: JSON with 2-space indent and a final newline (several
 * documents as one JSON array), or YAML (several documents separated by `---`).
 */
export function stringifyConfig(documents: readonly unknown[], format: ConfigFormat, multi = documents.length > 1): string {
  if (format === 'json') return `${JSON.stringify(multi ? documents : documents[0] ?? null, jsonReplacer, 2)}\n`;
  const texts = documents.map((doc) => stringify(doc, { version: '1.2', schema: 'core', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, indentSeq: true }));
  return multi ? texts.map((t) => `---\n${t}`).join('') : texts[0] ?? 'null\n';
}

/** JSON has no Infinity or NaN: they are written as the YAML spelling, in a string. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  return value;
}
