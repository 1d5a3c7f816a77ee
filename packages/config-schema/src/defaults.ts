import type { ConfigFormat } from './load/detect-format.js';
import type { CompiledSchema } from './schema/compile-schema.js';

/** Options of `checkConfig`, `loadConfig` and friends. */
export interface CheckOptions {
  /**
   * The JSON Schema: an object (a const JSON Schema or a TypeBox schema), a compiled schema from
   * `compileSchema`/`loadSchema`, or the path of a schema file (not for the `*Text` functions).
   * Defaults to none: the file is only parsed.
   */
  readonly schema?: object | boolean | string | CompiledSchema;
  /** Read every document of a multi-document YAML file; otherwise a second document is a problem. Defaults to false. */
  readonly allDocuments?: boolean;
  /** Variables for `${VAR}` interpolation, or false to leave `${...}` as written. Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>> | false;
  /** Overrides `path.to.key=value`, the value read as a YAML scalar. Defaults to none. */
  readonly set?: readonly string[];
  /** Largest file accepted, in bytes. Defaults to 10 MiB. */
  readonly maxBytes?: number;
  /** Most values alias expansion may produce in one document ("billion laughs" guard). Defaults to 10,000. */
  readonly maxAliasNodes?: number;
  /** Deepest nesting of mappings and lists accepted; deeper fails as `nesting deeper than N levels`. Defaults to 1,000. */
  readonly maxDepth?: number;
  /**
   * An empty file (or a stream whose documents are all empty) is a problem. Empty documents in a
   * stream (a trailing `---`) are always skipped. Defaults to true for one document, false with `allDocuments`.
   */
  readonly requireDocument?: boolean;
  /** How `!!binary` values are given: a base64 string (validates as a string) or a Buffer. Defaults to 'base64'. */
  readonly binary?: 'base64' | 'buffer';
  /** Input format; detected from the extension, then the content. Defaults to detection. */
  readonly format?: ConfigFormat;
  /** Cancels reading files. Defaults to none. */
  readonly signal?: AbortSignal;
}

export const DEFAULTS = {
  allDocuments: false,
  set: [] as readonly string[],
  maxBytes: 10 * 1024 * 1024,
  maxAliasNodes: 10_000,
  maxDepth: 1000,
  binary: 'base64',
} as const;
