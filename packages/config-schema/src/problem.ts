/** Kinds of problem found in a configuration file. */
export type ProblemKind =
  | 'syntax'
  | 'duplicate-key'
  | 'alias-limit'
  | 'depth'
  | 'no-document'
  | 'multiple-documents'
  | 'env'
  | 'schema';

/** One thing wrong with a configuration, at a position in its file. */
export interface ConfigProblem {
  /** The file as given (or `<input>` for text). */
  readonly file: string;
  /** 1-based line of the offending node; for a missing property, of the mapping lacking it. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** JSON pointer of the offending value ('' for the document root). */
  readonly pointer: string;
  /** The same place as a dotted path (`spec.ports[0]`), `(root)` for the root. */
  readonly path: string;
  readonly kind: ProblemKind;
  /** The JSON Schema keyword that failed (`type`, `required`, ...) for kind `schema`. */
  readonly keyword?: string;
  /** 0-based index of the document in a multi-document file. */
  readonly document: number;
  /** A plain sentence: `replicas: must be an integer, got the string "three"`. */
  readonly message: string;
}

/** `FILE:LINE:COL: message`, the form printed on stderr. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.message}`;
}

/** JSON pointer segments to a dotted path: `['spec', 'ports', '0']` -> `spec.ports[0]`. */
export function pathOf(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^(0|[1-9][0-9]*)$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(root)';
}

/** Splits a JSON pointer (`/a/b~1c`) into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
