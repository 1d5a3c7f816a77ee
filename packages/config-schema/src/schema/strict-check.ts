/** What a strict check found: one line per unknown keyword or format, with where it is. */
export interface StrictFinding {
  /** JSON pointer of the schema object holding it, `#` for the root. */
  readonly at: string;
  readonly message: string;
}

/** What the check needs from the validator: the keywords and formats it knows. */
export interface Vocabulary {
  readonly keywords: (name: string) => boolean;
  readonly formats: (name: string) => boolean;
  readonly keywordNames: readonly string[];
  readonly formatNames: readonly string[];
}

// Keywords that hold schemas: a map of them, a list of them, or one.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SCHEMA_ONE = new Set(['not', 'if', 'then', 'else', 'contains', 'additionalProperties', 'additionalItems', 'unevaluatedProperties', 'unevaluatedItems', 'propertyNames', 'items', 'contentSchema']);
// Known to every draft's core, whatever the validator lists; `x-*` and editor annotations are allowed.
const ALWAYS = new Set(['$id', '$schema', '$ref', '$comment', '$anchor', '$dynamicAnchor', '$recursiveAnchor', 'markdownDescription', 'deprecationMessage']);

/**
 * Every keyword the validator does not know (`minLenght`) and every unknown `format`, each
 * listed once with its place and a likely intended name. Walks without recursion.
 */
export function strictCheck(root: unknown, vocabulary: Vocabulary): StrictFinding[] {
  const findings: StrictFinding[] = [];
  const stack: { node: unknown; at: string }[] = [{ node: root, at: '#' }];
  while (stack.length) {
    const { node, at } = stack.pop()!;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      const here = `${at}/${escape(key)}`;
      if (!ALWAYS.has(key) && !key.startsWith('x-') && !vocabulary.keywords(key)) {
        findings.push({ at, message: `unknown keyword "${key}"${suggest(key, vocabulary.keywordNames)}` });
        continue;
      }
      if (key === 'format' && typeof value === 'string' && !vocabulary.formats(value)) {
        findings.push({ at, message: `unknown format "${value}"${suggest(value, vocabulary.formatNames)}` });
      }
      if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const name of Object.keys(value)) {
          const child = (value as Record<string, unknown>)[name];
          if (!Array.isArray(child)) stack.push({ node: child, at: `${here}/${escape(name)}` });
        }
      } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
        value.forEach((child, index) => stack.push({ node: child, at: `${here}/${index}` }));
      } else if (SCHEMA_ONE.has(key)) stack.push({ node: value, at: here });
    }
  }
  return findings.reverse();
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** ` (did you mean "minLength"?)` for a name within two edits of a known one. */
function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

/** Levenshtein distance with adjacent transpositions. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
