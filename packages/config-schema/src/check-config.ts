import { isScalar, type Document, type LineCounter } from 'yaml';
import { DEFAULTS, type CheckOptions } from './defaults.js';
import { invalidOption } from './errors.js';
import { applyOverride, parseOverride, type Override } from './load/apply-overrides.js';
import { detectFormat, type ConfigFormat } from './load/detect-format.js';
import { fastParse } from './load/fast-parse.js';
import { interpolateEnv } from './load/interpolate-env.js';
import { createLocator } from './load/locate.js';
import { locateInText, positionsOf } from './load/locate-text.js';
import { parseSource } from './load/parse-source.js';
import { pathFinder } from './load/segments-at.js';
import { checkTextSize, readSource, STDIN } from './load/read-source.js';
import { deeperThan } from './load/nesting.js';
import { PlainError, toPlain, type BinaryMode } from './load/to-plain.js';
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
  return checkParsed(path === STDIN ? '<stdin>' : path, text, settings, schema);
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
  /** Every node the overrides put in (taken as written: no interpolation). */
  readonly overrideNodes: ReadonlySet<unknown>;
  readonly maxBytes: number;
  readonly maxAliasNodes: number;
  readonly maxDepth: number;
  readonly requireDocument: boolean;
  readonly binary: BinaryMode;
  readonly format: ConfigFormat | undefined;
}

// Field by field rather than one spread merge: this runs once per file and shows in profiles.
function settle(options: CheckOptions): Settings {
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const maxAliasNodes = options.maxAliasNodes ?? DEFAULTS.maxAliasNodes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw invalidOption('maxBytes', 'a positive integer', maxBytes);
  if (!Number.isSafeInteger(maxAliasNodes) || maxAliasNodes < 0) throw invalidOption('maxAliasNodes', 'a non-negative integer', maxAliasNodes);
  const maxDepth = options.maxDepth ?? DEFAULTS.maxDepth;
  if (!Number.isSafeInteger(maxDepth) || maxDepth <= 0) throw invalidOption('maxDepth', 'a positive integer', maxDepth);
  const binary = options.binary ?? DEFAULTS.binary;
  if (binary !== 'base64' && binary !== 'buffer') throw invalidOption('binary', '"base64" or "buffer"', binary);
  const allDocuments = options.allDocuments ?? DEFAULTS.allDocuments;
  if (options.format !== undefined && options.format !== 'json' && options.format !== 'yaml') throw invalidOption('format', '"json" or "yaml"', options.format);
  const set = options.set ?? DEFAULTS.set;
  const overrides = set.length ? set.map(parseOverride) : [];
  return {
    allDocuments,
    env: options.env === undefined ? process.env : options.env,
    overrides,
    overrideNodes: new Set(overrides.flatMap((o) => o.nodes)),
    maxBytes,
    maxAliasNodes,
    maxDepth,
    requireDocument: options.requireDocument ?? !allDocuments,
    binary,
    format: options.format,
  };
}

function checkParsed(file: string, text: string, settings: Settings, compiled: CompiledSchema | undefined): ConfigCheck {
  const format = settings.format ?? detectFormat(file, text);
  // Common case first: plain data without positions; the full parser runs only if something is wrong.
  if (settings.overrides.length === 0 && !(settings.env && text.includes('${'))) {
    const fast = fastParse(text, format, settings.maxDepth, settings.maxAliasNodes);
    if (fast?.tooDeepAt !== undefined) return tooDeep(file, format, text, fast.tooDeepAt, settings.maxDepth, false, compiled);
    if (fast) {
      const documents = fast.documents;
      if (documents.length === 0) return noDocument(file, format, settings, compiled);
      const value = documents[0];
      if (compiled?.hasRefs) applyDefaults(value, compiled);
      if (!compiled || compiled.validate(value)) return { file, format, valid: true, documents, problems: [], schema: compiled };
      // Invalid: the failing paths are found in the text; the full parser runs only if that cannot say.
      // (A null document may be an empty one, which the full parser tells apart.)
      const problems = format === 'yaml' && value !== null ? locateSchemaErrors(file, text, value, compiled) : undefined;
      if (problems) return { file, format, valid: false, documents, problems, schema: compiled };
    }
  }
  // The full parser recurses: text nested deeper than it can follow is refused before it runs.
  const limit = Math.min(settings.maxDepth, FULL_PARSER_DEPTH);
  const deepAt = deeperThan(text, format, limit);
  if (deepAt >= 0) return tooDeep(file, format, text, deepAt, limit, limit < settings.maxDepth, compiled);
  const parsed = parseSource(file, text, format);
  const problems = [...parsed.problems];
  const { lineCounter } = parsed;
  // Empty documents (a trailing `---`, a template that rendered nothing) are skipped.
  let docs = parsed.docs.map((doc, index) => ({ doc, index })).filter(({ doc }) => !isEmptyDocument(doc));
  if (docs.length === 0 && problems.length === 0) return noDocument(file, format, settings, compiled);
  if (docs.length > 1 && !settings.allDocuments) {
    const { line, col } = lineCounter.linePos(docs[1]!.doc.range?.[0] ?? 0);
    problems.push({ file, line, col, pointer: '', path: '(root)', kind: 'multiple-documents', document: docs[1]!.index, message: `the file holds ${docs.length} YAML documents where one is expected (pass --all-documents to read them all)` });
    docs = docs.slice(0, 1);
  }
  const documents: unknown[] = [];
  for (const { doc, index } of docs) {
    if (doc.errors.length > 0 || doc.warnings.some((w) => w.code === 'TAG_RESOLVE_FAILED')) continue;
    const add = (segments: readonly string[], kind: ConfigProblem['kind'], message: string, atKey = false, keyword?: string) => {
      const { line, col } = locate(segments, atKey);
      problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind, ...(keyword ? { keyword } : {}), document: index, message });
    };
    // Overrides first: a --set replaces the ${...} it overrides, which then needs no variable.
    const overridden = settings.overrides.map((o) => ({ pointer: applyOverride(doc, o), text: o.text }));
    // Positions from here on: the shape no longer changes (${VAR} changes values, not ranges).
    const locate = createLocator(doc, lineCounter);
    const contents = doc.contents;
    const segmentsAt = contents ? pathFinder(contents) : (): string[] => [];
    const secrets = new Set<unknown>();
    if (settings.env) {
      const filled = interpolateEnv(doc, settings.env, settings.overrideNodes);
      for (const node of filled.secrets) secrets.add(node.value);
      for (const failure of filled.failures) {
        const { line, col } = positionOf(failure.node.range, lineCounter);
        const segments = failure.node.range ? segmentsAt(failure.node.range[0]) : [];
        problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind: 'env', document: index, message: `${pathOf(segments)}: ${failure.message}` });
      }
    }
    let value: unknown;
    try {
      value = toPlain(doc, settings);
    } catch (error) {
      if (!(error instanceof PlainError)) throw error;
      const { line, col } = positionOf(error.node?.range, lineCounter);
      const segments = error.node?.range ? segmentsAt(error.node.range[0]) : [];
      const message = error.kind === 'syntax' ? `${pathOf(segments)}: ${error.message}` : error.message;
      problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind: error.kind, document: index, message });
      continue;
    }
    documents.push(value);
    if (!compiled) continue;
    if (compiled.hasRefs) applyDefaults(value, compiled);
    if (compiled.validate(value)) continue;
    for (const described of describeErrors(compiled.validate.errors ?? [], value, secrets)) {
      const pointer = toPointer(described.segments);
      const from = overridden.find((o) => pointer === o.pointer || pointer.startsWith(`${o.pointer}/`));
      add(described.segments, 'schema', from ? `${described.message} (set by --set ${from.text})` : described.message, described.atKey, described.keyword);
    }
  }
  problems.sort((a, b) => a.document - b.document || a.line - b.line || a.col - b.col);
  return { file, format, valid: problems.length === 0, documents, problems, schema: compiled };
}

/**
 * The schema errors of a document read by the quick path, each placed by walking the text along
 * its path (no second parse); undefined when one of them cannot be placed that way.
 */
function locateSchemaErrors(file: string, text: string, value: unknown, compiled: CompiledSchema): ConfigProblem[] | undefined {
  const described = describeErrors(compiled.validate.errors ?? [], value, new Set());
  const offsets: number[] = [];
  for (const { segments, atKey } of described) {
    const offset = locateInText(text, segments, atKey);
    if (offset === undefined) return undefined;
    offsets.push(offset);
  }
  const positions = positionsOf(text, offsets);
  const problems = described.map(({ segments, message, keyword }, i): ConfigProblem => ({
    file, ...positions[i]!, pointer: toPointer(segments), path: pathOf(segments), kind: 'schema', ...(keyword ? { keyword } : {}), document: 0, message,
  }));
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The most levels handed to the `yaml` parser, which recurses (deeper text could exhaust the stack). */
const FULL_PARSER_DEPTH = 1000;

/** A document with nothing in it: no node, no tag, no anchor (`---` alone, or only comments). */
function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents;
  if (contents === null) return doc.errors.length === 0;
  return isScalar(contents) && contents.value === null && contents.source === '' && !contents.tag && !contents.anchor && doc.errors.length === 0;
}

function noDocument(file: string, format: ConfigFormat, settings: Settings, compiled: CompiledSchema | undefined): ConfigCheck {
  const problems: ConfigProblem[] = settings.requireDocument
    ? [{ file, line: 1, col: 1, pointer: '', path: '(root)', kind: 'no-document', document: 0, message: 'the file holds no document (it is empty or only comments) where one is required' }]
    : [];
  return { file, format, valid: problems.length === 0, documents: [], problems, schema: compiled };
}

function tooDeep(file: string, format: ConfigFormat, text: string, offset: number, limit: number, parserLimit: boolean, compiled: CompiledSchema | undefined): ConfigCheck {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const message = parserLimit
    ? `nesting deeper than ${limit} levels, the most the full YAML parser follows (it is needed to locate problems, resolve anchors, tags or \${...}); flatten the structure`
    : `nesting deeper than ${limit} levels (the limit, maxDepth / --max-depth); flatten the structure or raise the limit`;
  return { file, format, valid: false, documents: [], problems: [{ file, line, col, pointer: '', path: '(root)', kind: 'depth', document: 0, message }], schema: compiled };
}

function positionOf(range: readonly number[] | null | undefined, lineCounter: LineCounter): { line: number; col: number } {
  return range ? lineCounter.linePos(range[0]!) : { line: 1, col: 1 };
}
