import { stat } from 'node:fs/promises';
import { UsageError, isSecretName, parseDuration, parseIntegerFlag, registerSecret } from '@ops/core';
import type { HttpRequestOptions } from '../http/http-client.js';

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

/** A request body from `--data` / `--json`: the string, a file re-read per attempt (`@FILE`) or stdin read whole (`@-`). */
export async function readDataFlag(value: string | undefined, flag: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<Pick<HttpRequestOptions, 'body' | 'bodyFile'>> {
  if (value === undefined) return {};
  if (!value.startsWith('@')) return { body: value };
  const path = value.slice(1);
  if (path === '-') {
    // Read whole so that a retry can send it again (stdin cannot be re-read).
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    return { body: Buffer.concat(chunks) };
  }
  try {
    if (!(await stat(path)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (error) {
    throw new UsageError(`cannot read ${flag} file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error, hint: 'check the path after @' });
  }
  return { bodyFile: path };
}

/** The CLI's flags that shape the request. */
export interface CliRequestFlags {
  readonly method?: string;
  readonly header?: readonly string[];
  readonly data?: string;
  readonly json?: string;
  readonly location?: boolean;
  readonly 'max-redirs'?: string;
  readonly 'idempotency-key'?: string;
}

/** Method and request options from the flags: `-d` is a form (as curl), `--json` JSON, `-L` follows redirects. */
export async function buildCliRequest(values: CliRequestFlags): Promise<{ method: string; options: HttpRequestOptions }> {
  if (values.data !== undefined && values.json !== undefined) throw new UsageError('Expected either `--data` or `--json`, got both');
  const headers = parseHeaderFlags(values.header);
  const body = values.json !== undefined ? await readDataFlag(values.json, '--json') : await readDataFlag(values.data, '--data');
  if (values.data !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
  if (values.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers.accept ??= 'application/json';
  }
  const hasBody = values.data !== undefined || values.json !== undefined;
  const method = (values.method ?? (hasBody ? 'POST' : 'GET')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`Expected \`--method\` to be an HTTP method such as GET or POST, got "${values.method}"`);
  const maxRedirects = values.location ? (parseIntegerFlag(values['max-redirs'], '--max-redirs') ?? 10) : 0;
  if (values['max-redirs'] !== undefined && !values.location) throw new UsageError('Expected `--max-redirs` with `-L/--location`');
  const idempotencyKey = values['idempotency-key'];
  return { method, options: { headers, ...body, maxRedirects, ...(idempotencyKey ? { idempotencyKey } : {}) } };
}

/** A duration flag; a bare number means seconds, as with curl. */
export function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value, { name: flag, defaultUnit: 's' });
  if (ms <= 0) throw new UsageError(`Expected \`${flag}\` to be a positive duration, got "${value}"`);
  return ms;
}
