import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { ConfigError } from '../errors.js';
import { readSchemaFiles, type SchemaDocument } from './read-schema-file.js';

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv) => Ajv;

/** JSON Schema drafts understood, chosen by `$schema` (2020-12 when there is none). */
export type Draft = 'draft-07' | '2019-09' | '2020-12';

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

const AJV_OPTIONS: Options = { ownProperties: true, allErrors: true, verbose: true, useDefaults: true, strict: false, allowUnionTypes: true, validateFormats: true };
const MEMORY_BASE = 'memory:/schema.json';

const byObject = new WeakMap<object, CompiledSchema>();
const byFile = new Map<string, { mtimeMs: number; size: number; compiled: CompiledSchema }>();

/** The draft a schema declares in `$schema`. */
export function draftOf(schema: unknown): Draft {
  const declared = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  if (typeof declared !== 'string' || declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  if (/draft-0[67]/.test(declared)) return 'draft-07';
  throw new ConfigError('CONFIG_SCHEMA_INVALID', `Unsupported JSON Schema draft ${declared}`, { hint: 'use draft 2020-12, 2019-09 or draft-07 in $schema' });
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
  const ajv = draft === '2020-12' ? new Ajv2020(AJV_OPTIONS) : draft === '2019-09' ? new Ajv2019(AJV_OPTIONS) : new Ajv(AJV_OPTIONS);
  addFormats(ajv as Ajv);
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
