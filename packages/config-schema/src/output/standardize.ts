import { emitJson } from './emit-json.js';
import { emitYaml } from './emit-yaml.js';
import type { ConfigFormat } from '../load/detect-format.js';
import { setOwn } from '../plain/set-own.js';
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
  const out: Record<string, unknown> = {};
  for (const key of [...listed, ...rest]) setOwn(out, key, order(record[key], expanded.length ? propertySchemas(expanded, key) : [], compiled));
  return out;
}

/**
 * The text form of standardized values: JSON with 2-space indent and a final newline (several
 * documents as one JSON array), or YAML that reads the same in YAML 1.1 and 1.2 (several
 * documents each after `---`). Infinity and NaN are refused in JSON (`CONFIG_NOT_JSON`).
 */
export function stringifyConfig(documents: readonly unknown[], format: ConfigFormat, multi = documents.length > 1): string {
  let out = '';
  for (const chunk of configChunks(documents, format, multi)) out += chunk;
  return out;
}

/** `stringifyConfig` in chunks of about 64 KiB, for writing big documents as they are made. */
export function* configChunks(documents: readonly unknown[], format: ConfigFormat, multi = documents.length > 1, file?: string): Generator<string> {
  if (format === 'json') {
    yield* emitJson(multi ? documents : documents[0] ?? null, file);
    yield '\n';
    return;
  }
  if (!multi) {
    yield* emitYaml(documents[0] ?? null);
    return;
  }
  for (const doc of documents) {
    yield '---\n';
    yield* emitYaml(doc);
  }
}
