import { isUtf8 } from 'node:buffer';

// Invalid UTF-8 bytes are kept as lone surrogates U+DC80-U+DCFF (Python's "surrogateescape"): a
// user name made of arbitrary bytes survives decoding, JSON (`\udcff`) and `log-scan merge`, and
// the text output shows each such byte as `\xff` (see escapeText).
const LONE_ESCAPE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** The text of buf[start, end): UTF-8, each byte of an invalid sequence as U+DC00 + byte. */
export function decodeBytes(buf: Buffer, start: number, end: number): string {
  const bytes = buf.subarray(start, end);
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const n = validSequence(bytes, i);
    if (n === 0) {
      text += String.fromCharCode(0xdc00 + bytes[i]!);
      i++;
    } else {
      let j = i + n;
      while (j < bytes.length) {
        const m = validSequence(bytes, j);
        if (m === 0) break;
        j += m;
      }
      text += bytes.toString('utf8', i, j);
      i = j;
    }
  }
  return text;
}

/** The bytes `decodeBytes` read `text` from (a lone U+DC80-U+DCFF back to its byte). */
export function encodeBytes(text: string): Buffer {
  if (!LONE_ESCAPE.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) {
      parts.push(Buffer.from(text.slice(from, i), 'utf8'), Buffer.of(c - 0xdc00));
      from = i + 1;
    }
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

// Length of the well-formed UTF-8 sequence at i (RFC 3629: no overlongs, surrogates or past U+10FFFF), else 0.
function validSequence(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
