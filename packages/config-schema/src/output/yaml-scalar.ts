/**
 * Scalars written so that YAML 1.1 readers (PyYAML, Ruby, go-yaml v2, many CI tools) and YAML 1.2
 * readers get the same value. A string is left plain only when it starts with a letter, `_` or `/`,
 * is not one of the words a 1.1 reader takes for a boolean or null (`yes`, `NO`, `on`, `y`, `~`,
 * ...), and holds no character that would end or change a plain scalar. Everything else is
 * double-quoted, so `12:30`, `1_000`, `0b101`, `010`, `.5`, `2001-12-14` stay strings.
 */

// Words YAML 1.1 (https://yaml.org/type/bool.html, /null.html) or 1.2 core resolve to non-strings.
const SPECIAL_WORDS = /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
// A letter, `_` or `/` first (no number, sign, dot or indicator), then ordinary characters.
const PLAIN = /^[A-Za-z_/][\p{L}\p{N}_./@%+=~^$(),;?'"\-:#&*!|>[\]{}\\ ]*$/u;

/** A string as a plain or double-quoted YAML scalar that reads back as this string in 1.1 and 1.2. */
export function yamlString(value: string): string {
  return isPlainSafe(value) ? value : doubleQuoted(value);
}

function isPlainSafe(value: string): boolean {
  if (!PLAIN.test(value) || SPECIAL_WORDS.test(value)) return false;
  if (value.endsWith(' ') || value.endsWith(':')) return false;
  return !value.includes(': ') && !value.includes(' #');
}

/** A double-quoted scalar: JSON escapes, plus the characters YAML 1.1 treats as line breaks or that are not printable. */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A number as YAML: `.inf`, `-.inf`, `.nan`; floats always with a dot before an exponent (1.1 needs one). */
export function yamlNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0 || text.lastIndexOf('.', e) >= 0) return text;
  return `${text.slice(0, e)}.0${text.slice(e)}`;
}

/**
 * The header and lines of a literal block scalar (`|`, `|-`, `|+`, with an indentation indicator
 * when the text starts with a space) for a multi-line string, or undefined when it must be quoted.
 */
export function literalBlock(value: string): { header: string; lines: string[] } | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (!value.includes('\n') || /[\r\t\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/.test(value)) return undefined;
  if (/[\ud800-\udfff]/.test(value) && !/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(value)) return undefined;
  const trailing = /\n*$/.exec(value)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing ? value.slice(0, -1) : value;
  const indicator = /^\n* /.test(value) ? '2' : '';
  // A block whose content is only line breaks is better quoted.
  if (!/[^\n]/.test(body)) return undefined;
  return { header: `|${indicator}${chomp}`, lines: body.split('\n') };
}
