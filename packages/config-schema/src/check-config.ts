import { parseDocument, type Document, type LineCounter } from 'yaml';
import { DEFAULTS, type CheckOptions } from './defaults.js';
import { invalidOption } from './errors.js';
import { applyOverride, parseOverride, type Override } from './load/apply-overrides.js';
import { detectFormat, type ConfigFormat } from './load/detect-format.js';
import { fastParse } from './load/fast-parse.js';
import { interpolateEnv } from './load/interpolate-env.js';
import { locate } from './load/locate.js';
import { parseSource, segmentsAt } from './load/parse-source.js';
import { checkTextSize, readSource } from './load/read-source.js';
import { AliasLimitError, toPlain } from './load/to-plain.js';
import { applyDefaults } from './output/apply-defaults.js';
import { pathOf, toPointer, type ConfigProblem } from './problem.js';
import { compileSchema, loadSchema, type CompiledSchema } from './schema/compile-schema.js';
import { describeErrors } from './schema/describe-errors.js';

/** What checking one file found. */
export interface ConfigCheck {
  readonly file: string;
  readonly format: ConfigFormat;
  readonly valid: boolean;
  /** The documents as plain data with defaults applied (prototype-free objects). */
  readonly documents: unknown[];
  /** Every problem found, in file order per document. */
  readonly problems: ConfigProblem[];
  /** The compiled schema used, if any (for `standardize`). */
  readonly schema: CompiledSchema | undefined;
}

/**
 * Reads, parses, interpolates, overrides and validates one configuration file, collecting every
 * problem instead of stopping at the first. Throws only when the file cannot be read (or is over
 * the size limit), the schema is unusable, or an override is malformed.
 */
export async function checkConfig(path: string, options: CheckOptions = {}): Promise<ConfigCheck> {
  const settings = settle(options);
  const schema = await resolveSchema(options.schema, options.signal);
  const text = await readSource(path, settings.maxBytes, options.signal);
  return checkParsed(path, text, settings, schema);
}

/** `checkConfig` for text in memory; `file` names it in problems. The schema cannot be a path here. */
export function checkConfigText(text: string, options: CheckOptions & { readonly file?: string } = {}): ConfigCheck {
  const settings = settle(options);
  if (typeof options.schema === 'string') throw invalidOption('schema', 'a schema object or a compiled schema (load a file with loadSchema first)', options.schema);
  const compiled = options.schema === undefined ? undefined : asCompiled(options.schema);
  const file = options.file ?? '<input>';
  checkTextSize(file, text, settings.maxBytes);
  return checkParsed(file, text, settings, compiled);
}

/** Resolves the `schema` option to a compiled schema (cached). */
export async function resolveSchema(schema: CheckOptions['schema'], signal?: AbortSignal): Promise<CompiledSchema | undefined> {
  if (schema === undefined) return undefined;
  if (typeof schema === 'string') return loadSchema(schema, signal);
  return asCompiled(schema);
}

function asCompiled(schema: object | boolean): CompiledSchema {
  if (typeof schema === 'object' && schema !== null && typeof (schema as CompiledSchema).validate === 'function' && (schema as CompiledSchema).documents instanceof Map) return schema as CompiledSchema;
  return compileSchema(schema);
}

interface Settings {
  readonly allDocuments: boolean;
  readonly env: Readonly<Record<string, string | undefined>> | false;
  readonly overrides: readonly Override[];
  readonly maxBytes: number;
  readonly maxAliasNodes: number;
  readonly format: ConfigFormat | undefined;
}

// Field by field rather than one spread merge: this runs once per file and shows in profiles.
function settle(options: CheckOptions): Settings {
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const maxAliasNodes = options.maxAliasNodes ?? DEFAULTS.maxAliasNodes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw invalidOption('maxBytes', 'a positive integer', maxBytes);
  if (!Number.isSafeInteger(maxAliasNodes) || maxAliasNodes < 0) throw invalidOption('maxAliasNodes', 'a non-negative integer', maxAliasNodes);
  if (options.format !== undefined && options.format !== 'json' && options.format !== 'yaml') throw invalidOption('format', '"json" or "yaml"', options.format);
  const set = options.set ?? DEFAULTS.set;
  return {
    allDocuments: options.allDocuments ?? DEFAULTS.allDocuments,
    env: options.env === undefined ? process.env : options.env,
    overrides: set.length ? set.map(parseOverride) : [],
    maxBytes,
    maxAliasNodes,
    format: options.format,
  };
}

function checkParsed(file: string, text: string, settings: Settings, compiled: CompiledSchema | undefined): ConfigCheck {
  const format = settings.format ?? detectFormat(file, text);
  // Common case first: plain data without positions; the full parser runs only if something is wrong.
  if (settings.overrides.length === 0 && !(settings.env && text.includes('${'))) {
    const fast = fastParse(text, format);
    if (fast) {
      if (compiled?.hasRefs) applyDefaults(fast.value, compiled);
      if (!compiled || compiled.validate(fast.value)) return { file, format, valid: true, documents: [fast.value], problems: [], schema: compiled };
    }
  }
  const parsed = parseSource(file, text, format);
  const problems = [...parsed.problems];
  const { lineCounter } = parsed;
  let docs: Document[] = parsed.docs;
  if (docs.length === 0 && problems.length === 0) docs = [parseDocument('', { version: '1.2' })];
  if (docs.length > 1 && !settings.allDocuments) {
    const { line, col } = lineCounter.linePos(docs[1]!.range?.[0] ?? 0);
    problems.push({ file, line, col, pointer: '', path: '(root)', kind: 'multiple-documents', document: 1, message: `the file holds ${docs.length} YAML documents where one is expected (pass --all-documents to read them all)` });
    docs = docs.slice(0, 1);
  }
  const documents: unknown[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY') || doc.warnings.some((w) => w.code === 'TAG_RESOLVE_FAILED')) return;
    const add = (segments: readonly string[], kind: ConfigProblem['kind'], message: string, atKey = false, keyword?: string) => {
      const { line, col } = locate(doc, lineCounter, segments, atKey);
      problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind, ...(keyword ? { keyword } : {}), document: index, message });
    };
    if (settings.env) {
      for (const failure of interpolateEnv(doc, settings.env)) {
        const { line, col } = positionOf(failure.node.range, lineCounter);
        const segments = doc.contents && failure.node.range ? segmentsAt(doc.contents, failure.node.range[0]) : [];
        problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind: 'env', document: index, message: `${pathOf(segments)}: ${failure.message}` });
      }
    }
    const overridden = settings.overrides.map((o) => ({ pointer: applyOverride(doc, o), text: o.text }));
    let value: unknown;
    try {
      value = toPlain(doc, settings.maxAliasNodes);
    } catch (error) {
      if (!(error instanceof AliasLimitError)) throw error;
      const { line, col } = positionOf(error.node.range, lineCounter);
      problems.push({ file, line, col, pointer: '', path: '(root)', kind: 'alias-limit', document: index, message: error.message });
      return;
    }
    documents.push(value);
    if (!compiled) return;
    if (compiled.hasRefs) applyDefaults(value, compiled);
    if (compiled.validate(value)) return;
    for (const described of describeErrors(compiled.validate.errors ?? [], value)) {
      const pointer = toPointer(described.segments);
      const from = overridden.find((o) => pointer === o.pointer || pointer.startsWith(`${o.pointer}/`));
      add(described.segments, 'schema', from ? `${described.message} (set by --set ${from.text})` : described.message, described.atKey, described.keyword);
    }
  });
  problems.sort((a, b) => a.document - b.document || a.line - b.line || a.col - b.col);
  return { file, format, valid: problems.length === 0, documents, problems, schema: compiled };
}

function positionOf(range: readonly number[] | null | undefined, lineCounter: LineCounter): { line: number; col: number } {
  return range ? lineCounter.linePos(range[0]!) : { line: 1, col: 1 };
}
