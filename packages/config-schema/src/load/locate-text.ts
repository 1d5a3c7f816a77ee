/**
 * Finds where a path sits in block-style YAML text by walking its lines, without parsing the
 * document: a few comparisons per line up to the place, no memory kept. Used after the quick
 * path (js-yaml, which keeps no positions) found a document invalid, for the paths that failed.
 * Gives the same offset as `locate` on the full parser's document (the value's node, or its
 * key, or the nearest enclosing node when the path is not written in the text), or undefined
 * whenever the text is not plain block YAML on the way there (flow collections, aliases, merge
 * keys, quoted keys over several lines, tabs): the full parser then answers.
 */
export function locateInText(text: string, segments: readonly string[], atKey: boolean): number | undefined {
  try {
    return walk(new Lines(text), segments, atKey);
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

const UNSUPPORTED = new Error('not plain block YAML');

function unsupported(): never {
  throw UNSUPPORTED;
}

/** A node's place: where its content starts (-1: empty, a null value) and the key before it. */
interface Place {
  readonly start: number;
  readonly key: number;
}

function walk(lines: Lines, segments: readonly string[], atKey: boolean): number {
  const root = lines.firstContent();
  // The root node: an empty document has none.
  let place: Place = { start: root, key: -1 };
  let nearest = root;
  for (const segment of segments) {
    if (place.start < 0) return nearest;
    const found = child(lines, place.start, segment);
    if (!found) return nearest;
    place = found;
    if (place.key >= 0) nearest = place.key;
    if (place.start >= 0) nearest = place.start;
  }
  if (atKey && place.key >= 0) return place.key;
  return place.start >= 0 ? place.start : place.key >= 0 ? place.key : nearest;
}

/** The entry `segment` of the node starting at `start`, or undefined when it has none. */
function child(lines: Lines, start: number, segment: string): Place | undefined {
  const text = lines.text;
  const c = text.charCodeAt(start);
  if (c === DASH && isBlank(text.charCodeAt(start + 1))) return item(lines, start, segment);
  if (c === BRACKET || c === BRACE) return flowChild(text, start, segment);
  if (c === STAR || c === AMP || c === QUESTION) unsupported();
  if (c === PIPE || c === GT) return undefined;
  const key = readKey(text, start);
  if (!key) return undefined; // a scalar: nothing inside
  return entry(lines, start, segment);
}

/** Entry `segment` of the one-line flow collection (`[a, b]`, `{k: v}`) opening at `start`. */
function flowChild(text: string, start: number, segment: string): Place | undefined {
  checkOneLine(text, start);
  const list = text.charCodeAt(start) === BRACKET;
  const close = list ? CLOSE_BRACKET : CLOSE_BRACE;
  if (list && !/^(?:0|[1-9][0-9]*)$/.test(segment)) return undefined;
  let p = start + 1;
  for (let index = 0; ; index++) {
    while (text.charCodeAt(p) === SPACE) p++;
    const c = text.charCodeAt(p);
    if (c === close) return undefined;
    if (c === QUESTION || c === AMP || c === STAR) unsupported();
    const end = flowEntryEnd(text, p);
    if (list) {
      if (index === Number(segment)) return { start: p, key: -1 };
    } else {
      const colon = flowColon(text, p, end);
      if (colon < 0) unsupported(); // `{a, b}`: keys without values
      let name = text.slice(p, colon).trimEnd();
      const first = name.charCodeAt(0);
      if (first === QUOTE || first === APOSTROPHE) {
        const key = readKey(text, p);
        if (!key) unsupported();
        name = key.name;
      } else if (name === '<<') unsupported();
      else name = plainKey(name);
      if (name === segment) {
        let v = colon + 1;
        while (text.charCodeAt(v) === SPACE) v++;
        return { start: v < end ? v : -1, key: p };
      }
    }
    if (text.charCodeAt(end) !== COMMA) return undefined;
    p = end + 1;
  }
}

/** The `,` or closing bracket that ends the flow entry starting at `at` (nested flows and quotes skipped). */
function flowEntryEnd(text: string, at: number): number {
  let depth = 0;
  for (let p = at; p < text.length; p++) {
    const ch = text.charCodeAt(p);
    if (ch === QUOTE || ch === APOSTROPHE) {
      const q = closingQuote(text, p);
      if (q < 0) unsupported();
      p = q;
    } else if (ch === BRACKET || ch === BRACE) depth++;
    else if (ch === CLOSE_BRACKET || ch === CLOSE_BRACE) {
      if (depth === 0) return p;
      depth--;
    } else if (ch === COMMA && depth === 0) return p;
    else if (ch === LF || ch === CR) unsupported();
  }
  unsupported();
}

/** The colon ending the key of a flow mapping entry in [at, end), or -1. */
function flowColon(text: string, at: number, end: number): number {
  let p = at;
  const c = text.charCodeAt(p);
  if (c === QUOTE || c === APOSTROPHE) p = closingQuote(text, p) + 1;
  for (; p < end; p++) {
    const ch = text.charCodeAt(p);
    if (ch === BRACKET || ch === BRACE) unsupported(); // a collection as a key
    if (ch === COLON && (p + 1 >= end || isBlank(text.charCodeAt(p + 1)) || text.charCodeAt(p + 1) === COMMA)) return p;
  }
  return -1;
}

/** Entry `index` of the block sequence whose first `-` is at `start`. */
function item(lines: Lines, start: number, index: string): Place | undefined {
  if (!/^(?:0|[1-9][0-9]*)$/.test(index)) return undefined;
  const text = lines.text;
  const col = lines.column(start);
  let at = start;
  for (let i = 0; ; i++) {
    if (i === Number(index)) return { start: itemContent(lines, at, col), key: -1 };
    const next = lines.nextAtOrBelow(at, col);
    if (next < 0 || lines.column(next) < col || !(text.charCodeAt(next) === DASH && isBlank(text.charCodeAt(next + 1)))) return undefined;
    at = next;
  }
}

/** Where the content of the sequence item whose `-` is at `dash` starts (-1: empty). */
function itemContent(lines: Lines, dash: number, col: number): number {
  const text = lines.text;
  let p = dash + 1;
  while (text.charCodeAt(p) === SPACE) p++;
  if (text.charCodeAt(p) === TAB) unsupported();
  const c = text.charCodeAt(p);
  if (p < text.length && c !== LF && c !== CR && c !== HASH) return p;
  const next = lines.nextContent(lines.lineEnd(dash));
  return next >= 0 && lines.column(next) > col ? next : -1;
}

/** The entry `name` of the block mapping whose first key is at `start`. */
function entry(lines: Lines, start: number, name: string): Place | undefined {
  const text = lines.text;
  const col = lines.column(start);
  let at = start;
  let merged = false;
  for (;;) {
    const key = readKey(text, at);
    if (!key) unsupported();
    merged ||= key.merge;
    if (!key.merge && key.name === name) return { start: valueStart(lines, key.valueAt, col), key: at };
    checkOneLine(text, key.valueAt);
    let next = lines.nextAtOrBelow(at, col);
    // A list may sit at the key's own column (`key:\n- a`): it belongs to that key.
    while (next >= 0 && lines.column(next) === col && text.charCodeAt(next) === DASH && isBlank(text.charCodeAt(next + 1))) next = lines.nextAtOrBelow(next, col);
    if (next < 0 || lines.column(next) < col) {
      if (merged) unsupported(); // the entry may come from a merged mapping
      return undefined;
    }
    at = next;
  }
}

/** Where the value after a key starts: on the key's line, or the block on the lines below (-1: empty). */
function valueStart(lines: Lines, at: number, col: number): number {
  const text = lines.text;
  let p = at;
  if (text.charCodeAt(p) === AMP) {
    while (p < text.length && !isBlank(text.charCodeAt(p))) p++;
    while (text.charCodeAt(p) === SPACE) p++;
  }
  const c = text.charCodeAt(p);
  if (c === TAB) unsupported();
  if (p < text.length && c !== LF && c !== CR && c !== HASH) return p;
  const next = lines.nextContent(lines.lineEnd(at));
  if (next < 0) return -1;
  const nextCol = lines.column(next);
  if (nextCol > col || (nextCol === col && text.charCodeAt(next) === DASH && isBlank(text.charCodeAt(next + 1)))) return next;
  return -1;
}

/** A key read at `at`: its string as the data has it, and where its value starts. */
interface Key {
  readonly name: string;
  readonly merge: boolean;
  readonly valueAt: number;
}

function readKey(text: string, at: number): Key | undefined {
  const c = text.charCodeAt(at);
  let name: string;
  let p: number;
  let plain = false;
  if (c === QUOTE || c === APOSTROPHE) {
    const end = closingQuote(text, at);
    if (end < 0) return undefined;
    const raw = text.slice(at, end + 1);
    if (c === APOSTROPHE) name = raw.slice(1, -1).replace(/''/g, "'");
    else {
      try {
        name = JSON.parse(raw) as string;
      } catch {
        unsupported(); // a YAML escape JSON does not have
      }
    }
    p = end + 1;
    while (text.charCodeAt(p) === SPACE) p++;
    if (text.charCodeAt(p) !== COLON) return undefined;
  } else {
    if (c === BRACKET || c === BRACE || c === STAR || c === AMP || c === QUESTION || c === EXCLAMATION) return undefined;
    p = at;
    for (;;) {
      const ch = text.charCodeAt(p);
      if (p >= text.length || ch === LF || ch === CR) return undefined;
      if (ch === COLON && (p + 1 >= text.length || isBlank(text.charCodeAt(p + 1)))) break;
      if (ch === HASH && p > at && isBlank(text.charCodeAt(p - 1))) return undefined;
      p++;
    }
    name = text.slice(at, p).trimEnd();
    plain = true;
  }
  p++; // the colon
  while (text.charCodeAt(p) === SPACE) p++;
  if (text.charCodeAt(p) === TAB) unsupported();
  if (plain && name === '<<') return { name, merge: true, valueAt: p };
  return { name: plain ? plainKey(name) : name, merge: false, valueAt: p };
}

/** A plain key as the data has it: numbers and booleans become their string form. */
function plainKey(name: string): string {
  if (/^(?:~|null|Null|NULL|)$/.test(name)) unsupported();
  if (/^(?:true|True|TRUE)$/.test(name)) return 'true';
  if (/^(?:false|False|FALSE)$/.test(name)) return 'false';
  if (/^[-+]?[0-9]+$/.test(name)) return String(Number(name));
  if (/^0o[0-7]+$/.test(name)) return String(parseInt(name.slice(2), 8));
  if (/^0x[0-9a-fA-F]+$/.test(name)) return String(parseInt(name.slice(2), 16));
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(name)) unsupported();
  return name;
}

/** The offset of the quote closing the one at `at` on the same line, or -1. */
function closingQuote(text: string, at: number): number {
  const quote = text.charCodeAt(at);
  for (let p = at + 1; p < text.length; p++) {
    const ch = text.charCodeAt(p);
    if (ch === LF || ch === CR) return -1;
    if (quote === QUOTE && ch === BACKSLASH) p++;
    else if (ch === quote) {
      if (quote === APOSTROPHE && text.charCodeAt(p + 1) === APOSTROPHE) p++;
      else return p;
    }
  }
  return -1;
}

/** A value on a key's line that goes on below it (a quoted or flow value) is not followed here. */
function checkOneLine(text: string, at: number): void {
  const c = text.charCodeAt(at);
  if (c === QUOTE || c === APOSTROPHE) {
    if (closingQuote(text, at) < 0) unsupported();
  } else if (c === BRACKET || c === BRACE) {
    let depth = 0;
    for (let p = at; p < text.length; p++) {
      const ch = text.charCodeAt(p);
      if (ch === LF || ch === CR) unsupported();
      if (ch === QUOTE || ch === APOSTROPHE) {
        p = closingQuote(text, p);
        if (p < 0) unsupported();
      } else if (ch === BRACKET || ch === BRACE) depth++;
      else if (ch === CLOSE_BRACKET || ch === CLOSE_BRACE) {
        if (--depth === 0) return;
      }
    }
    unsupported();
  }
}

/** Line navigation over the text: content lines skip blank and comment lines. */
class Lines {
  constructor(readonly text: string) {}

  /** The first content of the document (after a `---` line), or -1. */
  firstContent(): number {
    let p = this.nextContent(0, false);
    if (p >= 0 && this.text.startsWith('---', p) && this.column(p) === 0) {
      const after = this.text.charCodeAt(p + 3);
      if (!(p + 3 >= this.text.length || isBlank(after))) return p;
      let q = p + 3;
      while (this.text.charCodeAt(q) === SPACE) q++;
      const c = this.text.charCodeAt(q);
      if (q < this.text.length && c !== LF && c !== CR && c !== HASH) unsupported();
      p = this.nextContent(this.lineEnd(p));
    }
    return p;
  }

  lineEnd(at: number): number {
    const end = this.text.indexOf('\n', at);
    return end < 0 ? this.text.length : end;
  }

  column(at: number): number {
    return at - (this.text.lastIndexOf('\n', at - 1) + 1);
  }

  /**
   * The first non-blank, non-comment character on a line from `from` (a line end or start) on,
   * or -1 at the end of the text or (with `markersEnd`) of the document (`---`, `...`).
   */
  nextContent(from: number, markersEnd = true): number {
    const text = this.text;
    let p = from;
    while (p < text.length) {
      if (text.charCodeAt(p) === LF) p++;
      const lineStart = p;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      if (c === TAB) {
        // A tab after the indentation is fine on a blank or comment line only.
        let q = p;
        while (text.charCodeAt(q) === TAB || text.charCodeAt(q) === SPACE) q++;
        const d = text.charCodeAt(q);
        if (q < text.length && d !== LF && d !== CR && d !== HASH) unsupported();
        p = this.lineEnd(q);
        continue;
      }
      if (p >= text.length) return -1;
      if (c === LF || c === CR || c === HASH) {
        p = this.lineEnd(p);
        continue;
      }
      if (markersEnd && p === lineStart && (text.startsWith('...', p) || text.startsWith('---', p)) && (p + 3 >= text.length || isBlank(text.charCodeAt(p + 3)))) return -1;
      return p;
    }
    return -1;
  }

  /** The next content line after the one holding `at` that is at column `col` or less, or -1. */
  nextAtOrBelow(at: number, col: number): number {
    let p = this.nextContent(this.lineEnd(at));
    while (p >= 0 && this.column(p) > col) p = this.nextContent(this.lineEnd(p));
    return p;
  }
}

function isBlank(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB || Number.isNaN(c);
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;
const BRACKET = 91;
const CLOSE_BRACKET = 93;
const BRACE = 123;
const CLOSE_BRACE = 125;
const STAR = 42;
const AMP = 38;
const QUESTION = 63;
const EXCLAMATION = 33;
const COMMA = 44;
const PIPE = 124;
const GT = 62;

/** 1-based lines and columns of offsets (-1: the start), counted in one pass over the text. */
export function positionsOf(text: string, offsets: readonly number[]): { line: number; col: number }[] {
  const order = offsets.map((offset, i) => ({ offset: Math.max(0, offset), i })).sort((a, b) => a.offset - b.offset);
  const out: { line: number; col: number }[] = new Array(offsets.length);
  let line = 1;
  let lineStart = 0;
  for (const { offset, i } of order) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < offset; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    out[i] = { line, col: offset - lineStart + 1 };
  }
  return out;
}
