import { openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { SourceError, SourceNotFoundError } from '../errors/source-error.js';
import { TablesFullError } from '../errors/tables-full-error.js';
import { gunzipIfGzip } from './gunzip-if-gzip.js';
import type { ScanSource } from './scan-source.js';

/** A local file: `path`, its size and mtime are known, so the scanner may split it over threads. */
export interface FileSource extends ScanSource {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** True when it starts with the gzip magic number (then it is decompressed and read in one stream). */
  readonly gzip: boolean;
}

/** Options of `fileSource`. */
export interface FileSourceOptions {
  /** Bytes per read. Defaults to 8 MiB. */
  readonly chunkBytes?: number;
}

const DEFAULTS = { chunkBytes: 1 << 20 } as const;

/** Opens a path for reading, turning the usual failures into errors that name it. */
export async function openSourceFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw fileError(path, 0, error);
  }
}

/**
 * openSourceFile, synchronous: a file descriptor (for the range scanners, which read with readSync;
 * a worker thread then never loads node:fs/promises, ~2.5 ms of its start).
 */
export function openSourceFileSync(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw fileError(path, 0, error);
  }
}

/** Maps a file-system error to a `SourceNotFoundError` or `SourceError` naming the path. */
export function fileError(path: string, byteOffset: number, error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new SourceNotFoundError(path, 'no such file or directory', { cause: error });
  if (code === 'EACCES' || code === 'EPERM') {
    return new SourceError(path, byteOffset, 'permission denied', { cause: error, hint: 'run as a user that can read it (e.g. in group adm) or fix its mode' });
  }
  if (error instanceof SourceError) return error;
  if (error instanceof TablesFullError) return new SourceError(path, byteOffset, error.message, { cause: error });
  return new SourceError(path, byteOffset, `read failed: ${(error as Error).message}`, { cause: error });
}

/**
 * A local file as a `ScanSource`: gzip detected by its magic bytes, not its name. A file that
 * shrinks while being read (truncated, or rotated by copy-truncate) fails with a `SourceError`
 * at the byte reached; a file renamed away is read to the end of what was opened.
 */
export async function fileSource(path: string, options: FileSourceOptions = {}): Promise<FileSource> {
  const { chunkBytes } = { ...DEFAULTS, ...options };
  const handle = await openSourceFile(path);
  let size: number;
  let mtimeMs: number;
  let gzip: boolean;
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new SourceError(path, 0, 'is a directory', { hint: 'pass the directory itself to scan every file in it' });
    size = st.size;
    mtimeMs = st.mtimeMs;
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (error) {
    throw fileError(path, 0, error);
  } finally {
    await handle.close();
  }
  async function* raw(signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const fh = await openSourceFile(path);
    let position = 0;
    try {
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        const buf = Buffer.allocUnsafe(chunkBytes);
        let bytesRead: number;
        try {
          ({ bytesRead } = await fh.read(buf, 0, chunkBytes, position));
        } catch (error) {
          throw fileError(path, position, error);
        }
        if (bytesRead === 0) break;
        position += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
      if (!gzip && position < size) {
        throw new SourceError(path, position, `file shrank from ${size} to ${position} bytes while being read (truncated or rotated)`, {
          hint: 'the lines before this point were counted; scan the rotated file (e.g. auth.log.1) for the rest',
        });
      }
    } finally {
      await fh.close();
    }
  }
  return {
    name: path,
    path,
    size,
    mtimeMs,
    gzip,
    chunks: (signal) => (gzip ? gunzipIfGzip(path, raw(signal), signal) : raw(signal)),
  };
}

/** True for a source made by `fileSource`. */
export function isFileSource(source: ScanSource): source is FileSource {
  return typeof (source as FileSource).path === 'string' && typeof (source as FileSource).gzip === 'boolean';
}
