import jsyaml from 'js-yaml';
import type { ConfigFormat } from './detect-format.js';
import { deeperThan } from './nesting.js';
import { unshareAliases } from './unshare-aliases.js';

/** What the quick path made of a text: its documents, or the offset where nesting went too deep. */
export type FastResult = { readonly documents: unknown[]; readonly tooDeepAt?: undefined } | { readonly documents?: undefined; readonly tooDeepAt: number };

/**
 * The quick way to plain data for the common case: JSON through `JSON.parse`, simple YAML
 * through js-yaml with a schema that resolves plain scalars exactly as the YAML 1.2 core schema
 * does (the same rules as `yaml`'s). Objects have the normal prototype, `__proto__` an ordinary
 * key (both parsers define it). Anchors, aliases and merge keys (`<<`, YAML 1.1 order) are read
 * here too; aliases become copies, counted against `maxAliasNodes`, and so are merged keys
 * (js-yaml's `maxTotalMergeKeys`: a file of merges multiplying keys goes to the full parser). Returns undefined whenever
 * the text needs the full parser: tags, complex keys, null keys, several documents, `${...}`, a
 * syntax error, a duplicate key (two `<<` in one mapping too), a cycle or too many alias copies.
 * The full parser then runs and gives positions; results are the same data. An empty YAML text
 * has no document.
 */
export function fastParse(text: string, format: ConfigFormat, maxDepth: number, maxAliasNodes = 10_000): FastResult | undefined {
  try {
    if (format === 'json') {
      const value = JSON.parse(text) as unknown;
      const walked = walk(value, maxDepth);
      if (walked.tooDeep) return { tooDeepAt: Math.max(0, deeperThan(text, 'json', maxDepth)) };
      // JSON.parse keeps the last of duplicate keys silently: every member has one colon.
      if (countMemberColons(text) !== walked.keys) return undefined;
      return { documents: [value] };
    }
    if (NEEDS_FULL_PARSER.test(text)) return undefined;
    const merges = text.includes('<<');
    if (merges && ambiguousMerges(text)) return undefined;
    const shares = merges || text.includes('*');
    // The objects that carry an anchor: only they (and what they hold) can be reached twice.
    const anchored = new Set<object>();
    // Whether every node an anchor name was given to is a mapping (what a merge key may take).
    const anchorIsMapping = new Map<string, boolean>();
    const listener = (event: string, state: { anchor: string | null; result: unknown }): void => {
      if (event !== 'close' || state.anchor === null) return;
      const result = state.result;
      const isObject = typeof result === 'object' && result !== null;
      if (isObject) anchored.add(result);
      anchorIsMapping.set(state.anchor, (anchorIsMapping.get(state.anchor) ?? true) && isObject && !Array.isArray(result));
    };
    const value = jsyaml.load(text, { schema: CORE_SCHEMA, json: false, maxDepth, maxTotalMergeKeys: maxAliasNodes, ...(shares ? { listener } : {}) } as jsyaml.LoadOptions);
    if (value === undefined) return { documents: [] };
    if (!shares) return { documents: [value] };
    // js-yaml merges a list's items as if they were mappings ("0": ...): the full parser refuses it.
    if (merges && !mergesTakeMappings(text, anchorIsMapping)) return undefined;
    const tree = unshareAliases(value, anchored, maxAliasNodes, maxDepth);
    return tree ? { documents: [tree.value] } : undefined;
  } catch (error) {
    const mark = (error as { mark?: { position: number } }).mark;
    if (mark && /nesting exceeded maxDepth/.test((error as Error).message)) return { tooDeepAt: mark.position };
    return undefined;
  }
}

// Tags and reserved indicators where a node starts, directives, complex keys, null keys, `${`
// (`%`, `!`, `@` inside a plain scalar, like `date +%F` or `echo hi!`, are text to both parsers).
const NEEDS_FULL_PARSER = /(?:^|[\s[{,])[!@`]|^%|\$\{|^[\s-]*\?(?:\s|$)|^[\s-]*(?:~|null|Null|NULL)?\s*:(?:\s|$)/m;

/** Plain scalars resolved as in the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution). */
const CORE_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string) => /^(?:~|null|Null|NULL|)$/.test(s), construct: () => null }),
    new jsyaml.Type('tag:yaml.org,2002:bool', { kind: 'scalar', resolve: (s: string) => /^(?:true|True|TRUE|false|False|FALSE)$/.test(s), construct: (s: string) => s[0] === 't' || s[0] === 'T' }),
    new jsyaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(s),
      construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : Number(s)),
    }),
    new jsyaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s),
      construct: (s: string) => (/nan$/i.test(s) ? NaN : /inf$/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
    }),
    // The merge key: js-yaml merges a mapping's `<<` entries when the key resolves to this tag.
    new jsyaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (s: string) => s === '<<' }),
  ],
});

/** What precedes a merge key that is a block mapping key: indentation and list item dashes. */
const BLOCK_KEY_LEAD = /^[ ]*(?:- +)*$/;

/** Each `<<:` in the text: where it is, where its value starts, and what precedes it on its line. */
function* mergeKeys(text: string): Generator<{ at: number; after: number; lineStart: number; lead: string }> {
  for (const match of text.matchAll(/<<\s*:/g)) {
    const at = match.index;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    yield { at, after: at + match[0].length, lineStart, lead: text.slice(lineStart, at) };
  }
}

/**
 * Merge keys js-yaml would read differently from the full parser: `<<` in a flow mapping, or
 * two `<<` keys in one block mapping (the full parser reports the duplicate; js-yaml merges both).
 */
function ambiguousMerges(text: string): boolean {
  const lines: number[] = [];
  for (const { at, lineStart, lead } of mergeKeys(text)) {
    if (!BLOCK_KEY_LEAD.test(lead)) {
      // Not a block key at the start of its line: a flow mapping, or `<<` inside a scalar.
      if (/[{,]\s*$/.test(lead)) return true;
      continue;
    }
    // A `- ` before the key starts a new mapping (a list item).
    lines.push(lineStart, at - lineStart, lead.includes('-') ? 1 : 0);
  }
  // Two merge keys at the same column with no line between them less indented: one mapping.
  for (let i = 3; i < lines.length; i += 3) {
    const col = lines[i + 1]!;
    if (lines[i + 2] === 1 || lines[i - 2] !== col) continue;
    let sameMapping = true;
    for (let p = lines[i - 3]!; p < lines[i]!; ) {
      const next = text.indexOf('\n', p) + 1;
      const line = text.slice(next, next + col + 1);
      if (next > 0 && next < lines[i]! && /^ *[^ \n#]/.test(line) && /^ *[^ ]/.exec(line)![0].length - 1 < col) sameMapping = false;
      if (!sameMapping || next === 0) break;
      p = next;
    }
    if (sameMapping) return true;
  }
  return false;
}

const ALIAS = String.raw`\*[^\s,[\]{}]+`;
const MERGE_VALUE = new RegExp(String.raw`^(?:(${ALIAS})|\[\s*(${ALIAS}(?:\s*,\s*${ALIAS})*)\s*\])[ \t]*(?:#.*)?\r?$`);

/**
 * Whether every merge key in a block mapping takes an alias of a mapping or a one-line list of
 * them (what the quick path can vouch for); anything else (an inline mapping, a block value, an
 * alias of a list or a scalar) is left to the full parser, which merges or refuses it exactly.
 */
function mergesTakeMappings(text: string, anchorIsMapping: ReadonlyMap<string, boolean>): boolean {
  for (const { at, after, lead } of mergeKeys(text)) {
    if (!BLOCK_KEY_LEAD.test(lead)) continue;
    const lineEnd = text.indexOf('\n', at);
    const rest = text.slice(after, lineEnd < 0 ? text.length : lineEnd).trim();
    const value = MERGE_VALUE.exec(rest);
    if (!value) return false;
    const names = (value[1] ?? value[2]!).split(',').map((alias) => alias.trim().slice(1));
    if (!names.every((name) => anchorIsMapping.get(name) === true)) return false;
  }
  return true;
}

/** Counts the keys of parsed JSON and checks its depth, without recursion. */
function walk(root: unknown, maxDepth: number): { keys: number; tooDeep: boolean } {
  let keys = 0;
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return { keys, tooDeep: true };
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') { values.push(item); depths.push(depth + 1); }
    } else {
      for (const key of Object.keys(value)) {
        keys++;
        const item = (value as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') { values.push(item); depths.push(depth + 1); }
      }
    }
  }
  return { keys, tooDeep: false };
}

/** Colons outside strings in JSON text: one per object member. */
function countMemberColons(text: string): number {
  let colons = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 58) colons++;
  }
  return colons;
}
