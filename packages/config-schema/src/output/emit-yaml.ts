import type { SchemaAt } from './schema-walker.js';
import { openCollection, type StandardOrder } from './standard-order.js';
import { doubleQuoted, literalBlock, yamlNumber, yamlString } from './yaml-scalar.js';

const CHUNK = 64 * 1024;

interface Frame {
  readonly value: Record<string, unknown> | unknown[];
  readonly keys: readonly string[] | undefined;
  readonly indent: string;
  /** The first entry continues the line of a `- ` (compact nesting). */
  readonly inline: boolean;
  /** The schemas describing `value` (for `order`). */
  readonly expanded: readonly SchemaAt[];
  index: number;
}

/**
 * YAML text of plain data in block style, in chunks of about 64 KiB, without recursion (any
 * depth). Keys in the order the objects hold them; scalars written to read the same in YAML 1.1
 * and 1.2 (see `yaml-scalar.ts`); multi-line strings as literal blocks; Buffers as `!!binary`.
 * With `order`, each mapping's keys in that order (the standardized form) instead.
 */
export function* emitYaml(value: unknown, order?: StandardOrder): Generator<string> {
  if (!isCollection(value) || isEmpty(value)) {
    yield `${inlineValue(value, '')}\n`;
    return;
  }
  let out = '';
  const stack: Frame[] = [frame(value, '', false, order, order?.root())];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const length = top.keys ? top.keys.length : (top.value as unknown[]).length;
    if (top.index >= length) {
      stack.pop();
      continue;
    }
    const i = top.index++;
    const lead = i === 0 && top.inline ? '' : top.indent;
    let item: unknown;
    if (top.keys) {
      const key = top.keys[i]!;
      item = (top.value as Record<string, unknown>)[key];
      const keyText = yamlString(key);
      out += keyText.length > 1000 ? `${lead}? ${keyText}\n${top.indent}:` : `${lead}${keyText}:`;
      if (isCollection(item) && !isEmpty(item)) {
        out += '\n';
        stack.push(frame(item, `${top.indent}  `, false, order, order?.property(top.expanded, key)));
      } else out += ` ${inlineValue(item, `${top.indent}  `)}\n`;
    } else {
      item = (top.value as unknown[])[i];
      out += `${lead}- `;
      if (isCollection(item) && !isEmpty(item)) stack.push(frame(item, `${top.indent}  `, true, order, order?.item(top.expanded, i)));
      else out += `${inlineValue(item, `${top.indent}  `)}\n`;
    }
    if (out.length >= CHUNK) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

function frame(value: Record<string, unknown> | unknown[], indent: string, inline: boolean, order?: StandardOrder, place?: readonly SchemaAt[]): Frame {
  return { value, ...openCollection(value, order, place), indent, inline, index: 0 };
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value);
}

function isEmpty(value: Record<string, unknown> | unknown[]): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) if (Object.hasOwn(value, _)) return false;
  return true;
}

/** A scalar (or empty collection) after `key: ` or `- `; block scalars indent their lines by `indent`. */
function inlineValue(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    if (indent === '' || !value.includes('\n')) return yamlString(value);
    const block = literalBlock(value);
    if (!block) return doubleQuoted(value);
    return `${block.header}${block.lines.map((line) => (line ? `\n${indent}${line}` : '\n')).join('')}`;
  }
  if (typeof value === 'number') return yamlNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return String(value);
  if (ArrayBuffer.isView(value)) return `!!binary ${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`;
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  return doubleQuoted(String(value));
}
