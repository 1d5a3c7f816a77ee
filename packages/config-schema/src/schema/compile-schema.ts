import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv, Options, ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import { readSchemaFiles, type SchemaDocument } from './read-schema-file.js';
import { strictCheck } from './strict-check.js';

/** JSON Schema drafts understood, chosen by `$schema` (2020-12 when there is none). */
export type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

// ajv's classes are loaded when a schema of their draft is first compiled (start-up time).
const load = createRequire(import.meta.url);
type AjvClass = new (options: Options) => Ajv;
const AJV_CLASS: Record<Draft, () => AjvClass> = {
  'draft-04': () => defaultExport(load('ajv-draft-04')) as AjvClass,
  'draft-06': () => (load('ajv') as { Ajv: AjvClass }).Ajv,
  'draft-07': () => (load('ajv') as { Ajv: AjvClass }).Ajv,
  '2019-09': () => (load('ajv/dist/2019') as { Ajv2019: AjvClass }).Ajv2019,
  '2020-12': () => (load('ajv/dist/2020') as { Ajv2020: AjvClass }).Ajv2020,
};

/** A schema ready to validate: ajv's compiled function and the documents it was built from. */
export interface CompiledSchema {
  readonly draft: Draft;
  readonly root: Record<string, unknown> | boolean;
  /** Every schema document by URI (the root and the files it references), for `$ref` lookups. */
  readonly documents: ReadonlyMap<string, unknown>;
  /** The URI relative `$ref`s in the root resolve against. */
  readonly baseUri: string;
  readonly validate: ValidateFunction;
  /** The schema uses `$ref`: defaults behind a `$ref` are applied before ajv runs (ajv skips them). */
  readonly hasRefs: boolean;
}

// Strictness is ours (strictCheck lists every unknown keyword and format at once); ajv logs nothing.
const AJV_OPTIONS: Options = { allErrors: true, verbose: true, useDefaults: true, strict: false, logger: false, allowUnionTypes: true, validateFormats: true };
const MEMORY_BASE = 'memory:/schema.json';

const byObject = new WeakMap<object, CompiledSchema>();
const byFile = new Map<string, { mtimeMs: number; size: number; compiled: CompiledSchema }>();

/** The draft a schema declares in `$schema`. */
export function draftOf(schema: unknown): Draft {
  const declared = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  if (declared === undefined) return '2020-12';
  const known = typeof declared === 'string' ? /^https?:\/\/json-schema\.org\/(?:draft\/(2020-12|2019-09)\/schema|(draft-0[467])\/schema)#?$/.exec(declared) : null;
  if (known) return (known[1] ?? known[2]) as Draft;
  throw new ConfigError('CONFIG_SCHEMA_INVALID', `Unsupported JSON Schema draft ${JSON.stringify(declared)} in $schema`, {
    hint: 'use one of https://json-schema.org/draft/2020-12/schema, https://json-schema.org/draft/2019-09/schema, http://json-schema.org/draft-07/schema#, draft-06 or draft-04 (or leave $schema out for 2020-12)',
  });
}

/**
 * Compiles a schema object (a const JSON Schema or a TypeBox schema) once; later calls with the
 * same object return the cached result.
 */
export function compileSchema(schema: object | boolean, extra: readonly SchemaDocument[] = []): CompiledSchema {
  const cached = typeof schema === 'object' ? byObject.get(schema) : undefined;
  if (cached) return cached;
  const compiled = build(schema as Record<string, unknown> | boolean, extra);
  if (typeof schema === 'object') byObject.set(schema, compiled);
  return compiled;
}

/**
 * Reads and compiles a schema file and the files its `$ref`s point at; cached by path while the
 * file's size and modification time stay the same.
 */
export async function loadSchema(path: string, signal?: AbortSignal): Promise<CompiledSchema> {
  const absolute = resolve(path);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    throw new ConfigError('CONFIG_SCHEMA_INVALID', `Could not read schema ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error, context: { path }, hint: 'check the --schema path' });
  }
  const hit = byFile.get(absolute);
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.compiled;
  const [root, ...rest] = await readSchemaFiles(absolute, signal);
  const compiled = build(root!.schema, rest);
  byFile.set(absolute, { mtimeMs: info.mtimeMs, size: info.size, compiled });
  return compiled;
}

function build(root: Record<string, unknown> | boolean, extra: readonly SchemaDocument[]): CompiledSchema {
  const draft = draftOf(root);
  const ajv = newAjv(draft, namesInheritedMembers([root, ...extra.map((d) => d.schema)]));
  refuseUnknown(ajv, root, extra);
  const documents = new Map<string, unknown>();
  const baseUri = typeof root === 'object' && typeof root.$id === 'string' ? root.$id.replace(/#.*$/, '') : MEMORY_BASE;
  documents.set(baseUri, root);
  try {
    for (const doc of extra) {
      const id = typeof doc.schema === 'object' && typeof doc.schema.$id === 'string' ? doc.schema.$id.replace(/#.*$/, '') : doc.uri;
      ajv.addSchema(doc.schema as object, id === doc.uri ? undefined : id);
      documents.set(id, doc.schema);
      // A referenced file with its own $id is still reachable by its path (a copy keyed by it).
      if (id !== doc.uri && typeof doc.schema === 'object') {
        const copy = { ...doc.schema, $id: doc.uri };
        ajv.addSchema(copy);
        documents.set(doc.uri, copy);
      }
    }
    const validate = ajv.compile(root as object);
    const hasRefs = extra.length > 0 || JSON.stringify(root).includes('"$ref"');
    return { draft, root, documents, baseUri, validate, hasRefs };
  } catch (error) {
    throw new ConfigError('CONFIG_SCHEMA_INVALID', `The schema is not valid: ${(error as Error).message}`, {
      cause: error, context: { schema: baseUri === MEMORY_BASE ? undefined : baseUri },
      hint: 'fix the schema; $ref paths are relative to the schema file that holds them',
    });
  }
}

// Names loaded objects inherit from Object.prototype (`constructor`, `toString`, `__proto__`, ...).
const INHERITED = Object.getOwnPropertyNames(Object.prototype).map((name) => JSON.stringify(name));

/**
 * The schemas mention a name objects inherit: then ajv must check own properties only (so
 * `required: ["constructor"]` is not met by Object.prototype). Otherwise the faster plain checks
 * are exact, as loaded objects have no other inherited members.
 */
function namesInheritedMembers(schemas: readonly unknown[]): boolean {
  return schemas.some((schema) => {
    const text = JSON.stringify(schema) ?? '';
    return INHERITED.some((name) => text.includes(name));
  });
}

function newAjv(draft: Draft, ownProperties: boolean): Ajv {
  const ajv = new (AJV_CLASS[draft]())({ ...AJV_OPTIONS, ownProperties });
  if (draft === 'draft-06') ajv.addMetaSchema(load('ajv/dist/refs/json-schema-draft-06.json') as object);
  (defaultExport(load('ajv-formats')) as (ajv: Ajv) => Ajv)(ajv);
  return ajv;
}

/** Strict mode: every unknown keyword and format of the schema and its files, listed once, is an error. */
function refuseUnknown(ajv: Ajv, root: unknown, extra: readonly SchemaDocument[]): void {
  const rules = (ajv as unknown as { RULES: { keywords: Record<string, unknown> } }).RULES.keywords;
  const formats = ajv.formats as Record<string, unknown>;
  const vocabulary = {
    keywords: (name: string) => Object.hasOwn(rules, name),
    formats: (name: string) => Object.hasOwn(formats, name),
    keywordNames: Object.keys(rules),
    formatNames: Object.keys(formats),
  };
  const lines: string[] = [];
  for (const [where, schema] of [[undefined, root] as const, ...extra.map((d) => [d.uri, d.schema] as const)]) {
    for (const finding of strictCheck(schema, vocabulary)) lines.push(`${where ? `${where}` : ''}${finding.at}: ${finding.message}`);
  }
  if (lines.length === 0) return;
  throw new ConfigError('CONFIG_SCHEMA_INVALID', `The schema has ${lines.length} unknown keyword${lines.length === 1 ? '' : 's'} or format${lines.length === 1 ? '' : 's'} (strict mode):\n  ${lines.join('\n  ')}`, {
    context: { unknown: lines },
    hint: 'fix the spelling; annotations of your own can be named x-something',
  });
}

function defaultExport(module: unknown): unknown {
  return (module as { default?: unknown }).default ?? module;
}
