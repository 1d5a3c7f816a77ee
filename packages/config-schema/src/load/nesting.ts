/**
 * Where the nesting of a text first goes deeper than `limit` levels, or -1. Run before any
 * recursive parser sees the text, so a hostile file fails clearly instead of exhausting the stack.
 * JSON: exact bracket depth outside strings. YAML: an upper bound, counting flow brackets,
 * block indentation levels and `- ` entries that open on the same line (`- - a`).
 */
export function deeperThan(text: string, format: 'json' | 'yaml', limit: number): number {
  return format === 'json' ? jsonDepth(text, limit) : yamlDepth(text, limit);
}

function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

function yamlDepth(text: string, limit: number): number {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const first = text.charCodeAt(i);
    if (i < end && first !== 35 && first !== 13) {
      if (flow === 0) {
        const column = i - lineStart;
        while (indents.length && indents[indents.length - 1]! >= column) indents.pop();
        indents.push(column);
        // Compact sequences: each `- ` opens one more level on the same line.
        while (text.charCodeAt(i) === 45 && (text.charCodeAt(i + 1) === 32 || i + 1 === end)) {
          i += 2;
          while (i < end && text.charCodeAt(i) === 32) i++;
          indents.push(i - lineStart);
        }
      }
      for (; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c === 35 && (i === lineStart || text.charCodeAt(i - 1) === 32)) break;
        if (c === 91 || c === 123) flow++;
        else if ((c === 93 || c === 125) && flow > 0) flow--;
        else if (c === 34 || c === 39) i = closingQuote(text, i, end);
        if (flow + indents.length + 1 > limit) return i;
      }
      if (indents.length + 1 > limit) return lineStart;
    }
    lineStart = end + 1;
  }
  return -1;
}

/** The index of the quote closing the one at `start` on the same line (or the line's end). */
function closingQuote(text: string, start: number, end: number): number {
  const quote = text.charCodeAt(start);
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote === 34 && c === 92) i++;
    else if (c === quote) return i;
  }
  return end;
}
