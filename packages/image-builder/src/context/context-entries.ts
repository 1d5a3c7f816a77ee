import { lstatSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ContextError } from '../errors/context-error.js';
import type { ChunkPool } from './chunk-pool.js';
import { padding, type TarHeader, type TarHeaderEncoder } from './tar-header.js';
import type { ContextEntry } from './walk-context.js';

// The pieces of a context's tar (packContext's): entries' headers, small files read whole, large
// ones in chunks, batches of small entries, and the Dockerfile's entry sent first.

/**
 * The tar entry (header, body, padding) of the Dockerfile at `rel` (slash-separated) in `root`,
 * to send first; undefined when it would not be sent as a regular file at that path: a symlink,
 * or under a symlinked directory (the walk sends those as they are), or unreadable.
 */
export function dockerfileEntry(encodeTarHeader: TarHeaderEncoder, root: string, rel: string): Buffer | undefined {
  try {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (!lstatSync(join(root, ...parts.slice(0, i))).isDirectory()) return undefined;
    const path = join(root, ...parts);
    const stats = lstatSync(path);
    if (!stats.isFile()) return undefined;
    const body = readFileSync(path);
    return Buffer.concat([encodeTarHeader({ name: rel, type: 'file', mode: stats.mode & 0o7777, size: body.length, mtime: stats.mtime }), body, padding(body.length)]);
  } catch {
    return undefined;
  }
}

/** Collects small entries into one chunk: a tar of 20,000 small files is a few dozen writes, not 60,000. */
export function createBatch(): { size: number; add(...parts: Array<Buffer | undefined>): void; take(): Buffer } {
  let parts: Buffer[] = [];
  const batch = {
    size: 0,
    add(...more: Array<Buffer | undefined>) {
      for (const part of more) {
        if (!part?.length) continue;
        parts.push(part);
        batch.size += part.length;
      }
    },
    take() {
      const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts, batch.size);
      parts = [];
      batch.size = 0;
      return chunk;
    },
  };
  return batch;
}

/** A small file, read synchronously (a thread-pool round trip costs more than the read). */
export function readSmall(entry: ContextEntry): Buffer {
  try {
    return readFileSync(entry.absolute);
  } catch (error) {
    throw unreadable(entry, error);
  }
}

/** A large file in 1 MiB reads, exactly `size` bytes (the size its header announced). */
export async function* readLarge(entry: ContextEntry, size: number, pool: ChunkPool, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  let file: FileHandle | undefined;
  try {
    const { open } = await import('node:fs/promises');
    file = await open(entry.absolute, 'r');
    for (let position = 0; position < size;) {
      signal?.throwIfAborted();
      const chunk = pool.take();
      const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, size - position), position);
      if (bytesRead === 0) throw new ContextError(`${entry.path} in the build context shrank while it was sent (${position} of ${size} bytes)`, { hint: 'do not change the context during the build' });
      position += bytesRead;
      yield bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
    }
  } catch (error) {
    if (error instanceof ContextError || (error as Error).name === 'AbortError') throw error;
    throw unreadable(entry, error);
  } finally {
    await file?.close();
  }
}

export function readTextOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function unreadable(entry: ContextEntry, error: unknown): ContextError {
  const code = (error as NodeJS.ErrnoException).code;
  return new ContextError(`cannot read ${entry.path} in the build context: ${code ?? (error as Error).message}`, { cause: error, hint: 'fix its permissions or add it to .dockerignore' });
}

export function headerFor(entry: ContextEntry): TarHeader | undefined {
  const { stats } = entry;
  const base = { mode: stats.mode & 0o7777, mtime: stats.mtime };
  if (stats.isDirectory()) return { ...base, name: `${entry.path}/`, type: 'directory', size: 0 };
  if (stats.isSymbolicLink()) return { ...base, name: entry.path, type: 'symlink', size: 0, linkname: readlinkOf(entry) };
  if (stats.isFile()) return { ...base, name: entry.path, type: 'file', size: stats.size };
  return undefined; // sockets, fifos and devices are left out
}

function readlinkOf(entry: ContextEntry): string {
  try {
    return readlinkSync(entry.absolute);
  } catch (error) {
    throw unreadable(entry, error);
  }
}
