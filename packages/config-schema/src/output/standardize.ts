import { emitJson } from './emit-json.js';
import { emitYaml } from './emit-yaml.js';
import type { ConfigFormat } from '../load/detect-format.js';
import { setOwn } from '../plain/set-own.js';
import type { CompiledSchema } from '../schema/compile-schema.js';
import type { SchemaAt } from './schema-walker.js';
import { StandardOrder } from './standard-order.js';

/**
 * A copy of `value` with the keys of every mapping in the order the schema lists them, then the
 * rest sorted (all sorted without a schema). `value` itself is not changed.
 */
export function standardize(value: unknown, compiled?: CompiledSchema): unknown {
  const holder = [value];
  standardizeInPlace(holder, compiled);
  return holder[0];
}

/**
 * `standardize` for the documents of a check that are written and then dropped (the CLI): each
 * mapping and list is replaced by its ordered copy in its parent as the walk goes, so the
 * unordered one can be collected at once and a big document is never held twice. Only
 * `documents` itself is changed. No recursion.
 */
export function standardizeInPlace(documents: unknown[], compiled?: CompiledSchema): void {
  const order = new StandardOrder(compiled);
  const holders: (unknown[] | Record<string, unknown>)[] = [];
  const keys: (string | number)[] = [];
  const places: (readonly SchemaAt[])[] = [];
  for (let i = documents.length - 1; i >= 0; i--) {
    holders.push(documents);
    keys.push(i);
    places.push(order.root());
  }
  while (holders.length) {
    const holder = holders.pop()!;
    const key = keys.pop()!;
    const place = places.pop()!;
    const value = (holder as Record<string | number, unknown>)[key];
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) continue;
    const expanded = order.expand(place);
    if (Array.isArray(value)) {
      const list = value.slice();
      (holder as Record<string | number, unknown>)[key] = list;
      for (let i = list.length - 1; i >= 0; i--) {
        holders.push(list);
        keys.push(i);
        places.push(order.item(expanded, i));
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const ordered = order.keys(record, expanded);
    for (const name of ordered) setOwn(out, name, record[name]);
    if (Array.isArray(holder)) holder[key as number] = out;
    else setOwn(holder, key as string, out);
    for (let i = ordered.length - 1; i >= 0; i--) {
      holders.push(out);
      keys.push(ordered[i]!);
      places.push(order.property(expanded, ordered[i]!));
    }
  }
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

/**
 * `stringifyConfig` in chunks of about 64 KiB, for writing big documents as they are made. With
 * `order`, mappings are written in that order as they are reached (the standardized form without
 * an ordered copy of the documents); without it, in the order the objects hold their keys.
 */
export function* configChunks(documents: readonly unknown[], format: ConfigFormat, multi = documents.length > 1, file?: string, order?: StandardOrder): Generator<string> {
  if (format === 'json') {
    yield* emitJson(multi ? documents : documents[0] ?? null, file, order, multi);
    yield '\n';
    return;
  }
  if (!multi) {
    yield* emitYaml(documents[0] ?? null, order);
    return;
  }
  for (const doc of documents) {
    yield '---\n';
    yield* emitYaml(doc, order);
  }
}
