import { ConfigError } from '../errors.js';
import { pathOf } from '../problem.js';
import type { SchemaAt } from './schema-walker.js';
import { openCollection, type StandardOrder } from './standard-order.js';

const CHUNK = 64 * 1024;

interface Frame {
  readonly value: Record<string, unknown> | unknown[];
  readonly keys: readonly string[] | undefined;
  readonly indent: string;
  readonly path: readonly (string | number)[];
  /** The schemas describing `value` (for `order`). */
  readonly expanded: readonly SchemaAt[];
  /** The top-level list of several documents (with `order`). */
  readonly documents: boolean;
  index: number;
}

/**
 * JSON text of plain data, byte for byte as `JSON.stringify(value, null, 2)`, in chunks of about
 * 64 KiB, without recursion (any depth). Buffers are written as base64 strings. Infinity and NaN
 * have no JSON form: they are refused (`CONFIG_NOT_JSON`), never changed silently. With `order`,
 * each mapping's keys in that order (the standardized form) instead; `documents` says that
 * `value` is a list of documents, each of which starts at the schema's root.
 */
export function* emitJson(value: unknown, file = 'the configuration', order?: StandardOrder, documents = false): Generator<string> {
  // Checked before the first chunk: a refusal never leaves half a document on stdout.
  assertJsonSafe(value, file);
  if (!isCollection(value)) {
    yield scalar(value) ?? notJson(value as number, [], file);
    return;
  }
  let out = open(value);
  if (out.length === 2) {
    yield out;
    return;
  }
  // The list of several documents has no schema itself: each of its items starts at the root.
  const stack: Frame[] = [frame(value, '  ', [], order, documents ? undefined : order?.root(), documents)];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const length = top.keys ? top.keys.length : (top.value as unknown[]).length;
    if (top.index >= length) {
      stack.pop();
      out += `\n${top.indent.slice(2)}${top.keys ? '}' : ']'}`;
      continue;
    }
    const i = top.index++;
    out += i === 0 ? `\n${top.indent}` : `,\n${top.indent}`;
    let item: unknown;
    let segment: string | number;
    if (top.keys) {
      segment = top.keys[i]!;
      item = (top.value as Record<string, unknown>)[segment];
      out += `${JSON.stringify(segment)}: `;
    } else {
      segment = i;
      item = (top.value as unknown[])[i];
    }
    if (isCollection(item)) {
      const opened = open(item);
      out += opened;
      if (opened.length === 1) {
        const place = !order ? undefined : top.documents ? order.root() : typeof segment === 'string' ? order.property(top.expanded, segment) : order.item(top.expanded, segment);
        stack.push(frame(item, `${top.indent}  `, [...top.path, segment], order, place));
      }
    } else out += scalar(item) ?? notJson(item as number, [...top.path, segment], file);
    if (out.length >= CHUNK) {
      yield out;
      out = '';
    }
  }
  yield out;
}

function frame(value: Record<string, unknown> | unknown[], indent: string, path: readonly (string | number)[], order?: StandardOrder, place?: readonly SchemaAt[], documents = false): Frame {
  return { value, ...openCollection(value, order, place), indent, path, documents, index: 0 };
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value);
}

/** `[` or `{`, or `[]` / `{}` for an empty one. */
function open(value: Record<string, unknown> | unknown[]): string {
  if (Array.isArray(value)) return value.length ? '[' : '[]';
  for (const key in value) if (Object.hasOwn(value, key)) return '{';
  return '{}';
}

/** Throws `CONFIG_NOT_JSON` for the first Infinity or NaN in `root` (in document order), naming its path. */
function assertJsonSafe(root: unknown, file: string): void {
  const stack: { value: unknown; path: readonly (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) notJson(value, path, file);
    } else if (isCollection(value)) {
      const keys = Array.isArray(value) ? undefined : Object.keys(value);
      const length = keys ? keys.length : (value as unknown[]).length;
      for (let i = length - 1; i >= 0; i--) {
        const item = keys ? (value as Record<string, unknown>)[keys[i]!] : (value as unknown[])[i];
        if (typeof item === 'number' ? !Number.isFinite(item) : isCollection(item)) stack.push({ value: item, path: [...path, keys ? keys[i]! : i] });
      }
    }
  }
}

/** A scalar as JSON, or undefined for Infinity and NaN. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'string') return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

function notJson(value: number, path: readonly (string | number)[], file: string): never {
  const spelled = Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  throw new ConfigError('CONFIG_NOT_JSON', `${file}: ${pathOf(path)} is ${spelled}, which JSON cannot hold; the JSON output would change it`, {
    context: { path: pathOf(path) }, hint: 'write YAML (--format yaml), or replace the value with a finite number or a string',
  });
}
