import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { addAbortSignal, type Readable } from 'node:stream';
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
  if (path === STDIN) return decode('<stdin>', await readStream(process.stdin, '<stdin>', maxBytes, signal), maxBytes);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw readFailed(path, error);
  }
  try {
    // bigint: see expand-inputs (a FIFO's plain stat confuses Node 20's module loader afterwards).
    const stat = fstatSync(fd, { bigint: true });
    const size = Number(stat.size);
    if (stat.isDirectory()) throw readFailed(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    if (!stat.isFile()) {
      // A pipe, /dev/fd/N or <(...): read as a stream (which owns its own descriptor) to its end.
      return decode(path, await readStream(createReadStream(path, { signal }), path, maxBytes, signal), maxBytes);
    }
    if (size > maxBytes) throw tooLarge(path, size, maxBytes);
    // Read one byte past the expected size to notice a file that grew meanwhile.
    const buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
    if (length > maxBytes) throw tooLarge(path, length, maxBytes);
    if (length > size) return decode(path, Buffer.concat([buffer.subarray(0, length), readRest(fd, maxBytes - length + 1)]), maxBytes);
    return decode(path, buffer.subarray(0, length));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw readFailed(path, error);
  } finally {
    closeSync(fd);
  }
}

/** The path that means standard input. */
export const STDIN = '-';

/** Reads a stream to its end, at most `maxBytes`; cancelled by `signal` (a writer that never ends). */
async function readStream(stream: Readable, name: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (signal) addAbortSignal(signal, stream);
  try {
    for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
      signal?.throwIfAborted();
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw tooLarge(name, total, maxBytes);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof ConfigError || (error as Error).name === 'AbortError') throw error;
    throw readFailed(name, error);
  }
  return Buffer.concat(chunks);
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
