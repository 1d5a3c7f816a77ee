import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { formatBytes } from '@ops/core';
import { ConfigError } from '../errors.js';

/**
 * Reads a configuration file as UTF-8, refusing anything larger than `maxBytes` before reading
 * it (and again after, in case the file grew). The read is synchronous on purpose: files are
 * size-capped and small, and a synchronous read of a small file costs a fraction of the
 * thread-pool round trips of an asynchronous one (it decides the speed of checking many files).
 */
export async function readSource(path: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw readFailed(path, error);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigError('CONFIG_READ_FAILED', `Could not read ${path}: not a regular file`, { context: { path }, hint: 'pass the path of a YAML or JSON file' });
    if (stat.size > maxBytes) throw tooLarge(path, stat.size, maxBytes);
    // Read one byte past the expected size to notice a file that grew meanwhile.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
    if (length > maxBytes) throw tooLarge(path, length, maxBytes);
    if (length > stat.size) return decode(path, Buffer.concat([buffer.subarray(0, length), readRest(fd, maxBytes - length + 1)]), maxBytes);
    return decode(path, buffer.subarray(0, length));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw readFailed(path, error);
  } finally {
    closeSync(fd);
  }
}

/** Checks text handed over directly against the same size limit. */
export function checkTextSize(name: string, text: string, maxBytes: number): void {
  if (text.length > maxBytes || Buffer.byteLength(text) > maxBytes) throw tooLarge(name, Buffer.byteLength(text), maxBytes);
}

/** The rest of a file that grew while being read, at most `limit` bytes. */
function readRest(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total >= limit) break;
  }
  return Buffer.concat(chunks);
}

function decode(path: string, buffer: Buffer, maxBytes = Infinity): string {
  if (buffer.length > maxBytes) throw tooLarge(path, buffer.length, maxBytes);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw new ConfigError('CONFIG_READ_FAILED', `Could not read ${path}: not valid UTF-8 text`, { cause: error, context: { path }, hint: 'save the file as UTF-8' });
  }
}

function tooLarge(path: string, size: number, maxBytes: number): ConfigError {
  return new ConfigError('CONFIG_TOO_LARGE', `${path} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a configuration file`, {
    context: { path, size, maxBytes },
    hint: 'raise the limit with --max-size (maxBytes) if the file is really this large',
  });
}

function readFailed(path: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
  return new ConfigError('CONFIG_READ_FAILED', `Could not read ${path}: ${why}`, { cause: error, context: { path }, hint: 'check the path and its permissions' });
}
