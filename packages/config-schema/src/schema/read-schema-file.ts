import { readFile } from 'node:fs/promises';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { resolveUrl } from './resolve-url.js';

/** A schema document and the URI it is known by. */
export interface SchemaDocument {
  readonly uri: string;
  readonly schema: Record<string, unknown> | boolean;
}

/**
 * Reads a schema file (JSON or YAML) and every file its `$ref`s point at, relative to the file
 * that holds the `$ref`. Schemas without an `$id` get the file's URL as `$id`.
 */
export async function readSchemaFiles(path: string, signal?: AbortSignal): Promise<SchemaDocument[]> {
  const out: SchemaDocument[] = [];
  const seen = new Set<string>();
  const queue = [pathToFileURL(path).href];
  while (queue.length) {
    const uri = queue.shift()!;
    if (seen.has(uri)) continue;
    seen.add(uri);
    const file = fileURLToPath(uri);
    const schema = await readOne(file, out.length === 0 ? undefined : out[0]!.uri, signal);
    if (typeof schema === 'object' && schema.$id === undefined) schema.$id = uri;
    out.push({ uri, schema });
    for (const ref of externalRefs(schema, typeof schema === 'object' && typeof schema.$id === 'string' && schema.$id.startsWith('file:') ? schema.$id : uri)) {
      if (ref.startsWith('file:') && !seen.has(ref)) queue.push(ref);
    }
  }
  return out;
}

async function readOne(file: string, from: string | undefined, signal?: AbortSignal): Promise<Record<string, unknown> | boolean> {
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal });
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError('CONFIG_SCHEMA_INVALID', `Could not read schema ${file}: ${why}${from ? ` (referenced from ${fileURLToPath(from)})` : ''}`, { cause: error, context: { path: file }, hint: 'check the --schema path and the $ref paths, which are relative to the schema that holds them' });
  }
  let value: unknown;
  try {
    const doc = parseDocument(text, { schema: 'core', version: '1.2', uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length) throw doc.errors[0]!;
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError('CONFIG_SCHEMA_INVALID', `Schema ${file} is not valid JSON or YAML: ${(error as Error).message}`, { cause: error, context: { path: file }, hint: 'fix the schema file' });
  }
  if (typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value))) return value as Record<string, unknown> | boolean;
  throw new ConfigError('CONFIG_SCHEMA_INVALID', `Schema ${file} must be a JSON Schema object, got ${Array.isArray(value) ? 'a list' : typeof value}`, { context: { path: file }, hint: 'a schema file holds one object such as {"type": "object", "properties": {...}}' });
}

/** Absolute URIs (without fragment) of the `$ref`s in a schema that point outside it. */
function externalRefs(schema: unknown, base: string): string[] {
  const refs = new Set<string>();
  const visit = (node: unknown, baseUri: string): void => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, baseUri));
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    let here = baseUri;
    if (typeof record.$id === 'string') here = resolveUrl(record.$id, baseUri) ?? baseUri;
    for (const [key, value] of Object.entries(record)) {
      if ((key === '$ref' || key === '$dynamicRef') && typeof value === 'string' && !value.startsWith('#')) {
        const url = resolveUrl(value, here);
        if (url) refs.add(url.replace(/#.*$/, ''));
      } else if (key !== 'const' && key !== 'enum' && key !== 'default' && key !== 'examples') {
        visit(value, here);
      }
    }
  };
  visit(schema, base);
  return [...refs];
}
