import jsyaml from 'js-yaml';
import type { ConfigFormat } from './detect-format.js';

/**
 * The quick way to plain data for the common case: JSON through `JSON.parse`, simple YAML
 * through js-yaml with a schema that resolves plain scalars exactly as the YAML 1.2 core schema
 * does (the same rules as `yaml`'s). Returns undefined whenever the text needs the full parser:
 * anchors, aliases, tags, complex keys, several documents, `${...}`, a syntax error or a
 * duplicate key. The full parser then runs and gives positions; results are the same data.
 */
export function fastParse(text: string, format: ConfigFormat): { value: unknown } | undefined {
  try {
    if (format === 'json') {
      const value = JSON.parse(text) as unknown;
      const copy = { keys: 0, value: undefined as unknown };
      copy.value = plainCopy(value, copy);
      // JSON.parse keeps the last of duplicate keys silently: every member has one colon.
      if (countMemberColons(text) !== copy.keys) return undefined;
      return { value: copy.value };
    }
    if (NEEDS_FULL_PARSER.test(text)) return undefined;
    const value = jsyaml.load(text, { schema: CORE_SCHEMA, json: false });
    return { value: plainCopy(value ?? null, { keys: 0 }) };
  } catch {
    return undefined;
  }
}

// Anchors, aliases, tags, directives, reserved indicators, complex keys, merge keys, null keys, `${`.
const NEEDS_FULL_PARSER = /[&*!%@`]|\$\{|<<|^[\s-]*\?(?:\s|$)|^[\s-]*(?:~|null|Null|NULL)?\s*:(?:\s|$)/m;

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
  ],
});

/** A copy whose objects have no prototype, counting the keys it copies. */
function plainCopy(value: unknown, count: { keys: number }): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => plainCopy(item, count));
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) {
    count.keys++;
    out[key] = plainCopy((value as Record<string, unknown>)[key], count);
  }
  return out;
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
