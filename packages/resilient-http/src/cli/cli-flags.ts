import { readFile } from 'node:fs/promises';
import { UsageError, isSecretName, parseDuration, registerSecret } from '@ops/core';

/** `--header 'K: V'` values as an object; secret-named headers are registered for redaction. */
export function parseHeaderFlags(values: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of values ?? []) {
    const at = raw.indexOf(':');
    const name = raw.slice(0, at).trim();
    if (at <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`Expected \`--header\` as 'Name: value', got "${raw}"`);
    const value = raw.slice(at + 1).trim();
    if (isSecretName(name)) registerSecret(value.replace(/^(basic|bearer|token)\s+/i, ''));
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** `--data`: the string itself, `@FILE` for a file's bytes, `@-` for stdin. */
export async function readDataFlag(value: string | undefined, stdin: NodeJS.ReadableStream = process.stdin): Promise<Buffer | undefined> {
  if (value === undefined) return undefined;
  if (!value.startsWith('@')) return Buffer.from(value);
  const path = value.slice(1);
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read --data file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error, hint: 'check the path after @' });
  }
}

/** A duration flag; a bare number means seconds, as with curl. */
export function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value, { name: flag, defaultUnit: 's' });
  if (ms <= 0) throw new UsageError(`Expected \`${flag}\` to be a positive duration, got "${value}"`);
  return ms;
}
