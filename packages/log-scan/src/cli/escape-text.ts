// What must not reach a terminal raw: C0 and C1 control characters and DEL (escape sequences
// that clear the screen or retitle the window start with them), the bidirectional overrides and
// isolates (text that reads differently from what it holds), line and paragraph separators, lone
// surrogates (invalid UTF-8 bytes, see decodeBytes), and the backslash (so that the escapes are
// unambiguous).
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const hex = (c: number, width: number) => c.toString(16).padStart(width, '0');

/**
 * `text` safe to print on a terminal: control characters as `\x1b`, invalid UTF-8 bytes (lone
 * surrogates from decodeBytes) as `\xff`, other unsafe characters as `\u202e`, `\` as `\\`.
 * Surrogate pairs (emoji and the like) are kept.
 */
export function escapeText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (ch, at: number) => {
    const c = ch.charCodeAt(0);
    if (c === 0x5c) return '\\\\';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(at + 1);
      return next >= 0xdc00 && next <= 0xdfff ? ch : `\\u${hex(c, 4)}`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      const before = text.charCodeAt(at - 1);
      if (before >= 0xd800 && before <= 0xdbff) return ch;
      return c >= 0xdc80 && c <= 0xdcff ? `\\x${hex(c - 0xdc00, 2)}` : `\\u${hex(c, 4)}`;
    }
    return c <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
  });
}

// What JSON.stringify leaves raw that a terminal may act on (it escapes C0 and lone surrogates).
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const JSON_UNSAFE_ALL = new RegExp(JSON_UNSAFE.source, 'g');

/** JSON text with DEL, C1 controls, bidirectional controls and line separators as `\uXXXX` escapes (the same JSON value). */
export function jsonSafe(json: string): string {
  return JSON_UNSAFE.test(json) ? json.replace(JSON_UNSAFE_ALL, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`) : json;
}
