import { readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ContextError } from '../errors/context-error.js';
import { createChunkPool, type ChunkPool } from './chunk-pool.js';
import { createPatternMatcher } from './pattern-matcher.js';
import { readDockerignoreSync } from './read-dockerignore.js';
import { END_OF_ARCHIVE, createTarHeaderEncoder, padding, type TarHeader, type TarHeaderEncoder } from './tar-header.js';
import { walkContext, type ContextEntry } from './walk-context.js';

export interface PackContextOptions {
  /** Path of the Dockerfile, absolute or relative to the context; it may live outside it. Defaults to `<dir>/Dockerfile`. */
  readonly dockerfile?: string;
  /** Patterns added after those of `.dockerignore` (or `<Dockerfile>.dockerignore`). Defaults to none. */
  readonly ignore?: readonly string[];
  /** Stops packing. Defaults to none. */
  readonly signal?: AbortSignal;
}

/** What `packContext` returns: the tar stream and how to refer to the Dockerfile inside it. */
export interface PackedContext {
  /** The uncompressed tar, produced while it is read. */
  readonly stream: Readable;
  /** The Dockerfile's path inside the tar (the Engine API's `dockerfile` parameter). */
  readonly dockerfile: string;
  /** The ignore file used, if any. */
  readonly dockerignore: string | undefined;
  /** The exclude patterns applied. */
  readonly patterns: readonly string[];
  /** Resolves when the tar is complete: entries written and bytes produced. */
  readonly done: Promise<{ entries: number; bytes: number }>;
  /**
   * The whole tar, when the context was small enough to be packed at once (no file over 256 KiB,
   * 256 KiB in all; most builds' contexts): it may be sent instead of reading `stream` (which
   * holds the same bytes), in one write with its length. Undefined for a larger context.
   */
  readonly whole?: Buffer;
  /**
   * Call with a chunk of `stream` once it is written and no longer referenced (the write's
   * callback): its buffer is then reused for the next read, which keeps memory at a few MiB
   * however large the context. Optional: a chunk not released is garbage collected.
   */
  readonly release: (chunk: Buffer) => void;
}

/** Files up to this size are read whole, at once. */
const SMALL_FILE = 256 * 1024;
/** Reads of larger files, and the size small entries are batched up to. */
const READ_CHUNK = 1024 * 1024;
const BATCH = 256 * 1024;

/**
 * Packs a build context the way the docker CLI does: `.dockerignore` rules (or those of
 * `<Dockerfile>.dockerignore`) with `!` exceptions and `**`, the Dockerfile and `.dockerignore`
 * always sent, owner 0:0, and a Dockerfile outside the context added under a generated name.
 */
export async function packContext(dir: string, options: PackContextOptions = {}): Promise<PackedContext> {
  const opts = options;
  const root = resolve(dir);
  const encoder = createTarHeaderEncoder();
  encoder.catch(() => undefined);
  // Small synchronous calls: node:fs/promises (~2 ms to load) only for large files.
  const rootStat = statOrUndefined(root);
  if (!rootStat?.isDirectory()) throw new ContextError(`build context ${root} is not a directory`, { hint: 'pass an existing directory as --context' });
  const dockerfileAbs = resolve(root, opts.dockerfile ?? 'Dockerfile');
  const dockerfileStat = statOrUndefined(dockerfileAbs);
  if (!dockerfileStat?.isFile()) throw new ContextError(`Dockerfile ${dockerfileAbs} does not exist`, { hint: 'pass the Dockerfile with --file' });
  const rel = relative(root, dockerfileAbs);
  const outside = rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel);
  const ignoreFile = readDockerignoreSync(root, dockerfileAbs);
  const patterns = [...ignoreFile.patterns, ...(opts.ignore ?? [])];
  // node:crypto only when needed: its loading is a few ms of every start-up otherwise.
  const relDockerfile = outside ? `.dockerfile.${(await import('node:crypto')).randomBytes(10).toString('hex')}` : rel.split(sep).join('/');
  let matcher = createPatternMatcher(patterns);
  // The docker CLI always sends .dockerignore and the Dockerfile (TrimBuildFilesFromExcludes).
  const trimmed = [...patterns];
  if (matcher.matches('.dockerignore').excluded) trimmed.push('!.dockerignore');
  if (!outside && matcher.matches(relDockerfile).excluded) trimmed.push(`!${relDockerfile}`);
  if (trimmed.length !== patterns.length) matcher = createPatternMatcher(trimmed);

  let entries = 0;
  let bytes = 0;
  const pool = createChunkPool(READ_CHUNK);
  let finish: (result: { entries: number; bytes: number }) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<{ entries: number; bytes: number }>((res, rej) => {
    finish = res;
    fail = rej;
  });
  // The caller reads `stream`; a failure is reported there and through `done`.
  done.catch(() => undefined);
  const walk = () => walkContext(root, { matcher, never: outside ? new Set(['.dockerignore']) : undefined, signal: opts.signal });
  /** Adds a small entry (or any but a large file) to `batch`; false for a large file, left to the caller. */
  const addSmall = (batch: Batch, encodeTarHeader: TarHeaderEncoder, entry: ContextEntry, header: TarHeader): boolean => {
    if (header.type === 'file' && header.size > SMALL_FILE) return false;
    const body = header.type === 'file' ? readSmall(entry) : undefined;
    batch.add(encodeTarHeader(body ? { ...header, size: body.length } : header), body, body && padding(body.length));
    return true;
  };
  /** The Dockerfile and `.dockerignore` of a Dockerfile outside the context, then the end of the archive. */
  const addEnd = (batch: Batch, encodeTarHeader: TarHeaderEncoder): number => {
    let added = 0;
    if (outside) {
      const mtime = new Date();
      const dockerfileBody = readFileSync(dockerfileAbs);
      const ignoreText = `${readTextOr(resolve(root, '.dockerignore'), '.dockerignore')}\n${relDockerfile}\n`;
      for (const [name, body] of [[relDockerfile, dockerfileBody], ['.dockerignore', Buffer.from(ignoreText)]] as const) {
        batch.add(encodeTarHeader({ name, type: 'file', mode: 0o600, size: body.length, mtime }), body, padding(body.length));
        added++;
      }
    }
    batch.add(END_OF_ARCHIVE);
    return added;
  };
  /**
   * A small context (no large file, all of it within one batch) packed at once, synchronously:
   * the whole tar (`whole`, and in its stream) is there before the request is written, so that it
   * goes with the request head, without waiting for a generator (most builds' contexts; ~2 ms
   * before the engine has the context). Anything else, or any error (reported by the streamed path), undefined.
   */
  const packSmall = (encodeTarHeader: TarHeaderEncoder): { tar: Buffer; entries: number } | undefined => {
    try {
      const batch = createBatch();
      let count = 0;
      for (const entry of walk()) {
        const header = headerFor(entry);
        if (!header) continue;
        if (!addSmall(batch, encodeTarHeader, entry, header) || batch.size >= BATCH) return undefined;
        count++;
      }
      count += addEnd(batch, encodeTarHeader);
      return { tar: batch.take(), entries: count };
    } catch {
      return undefined;
    }
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      const encodeTarHeader = await encoder;
      const batch = createBatch();
      for (const entry of walk()) {
        const header = headerFor(entry);
        if (!header) continue;
        entries++;
        if (addSmall(batch, encodeTarHeader, entry, header)) {
          if (batch.size >= BATCH) yield batch.take();
          continue;
        }
        if (batch.size) yield batch.take();
        yield encodeTarHeader(header);
        yield* readLarge(entry, header.size, pool, opts.signal);
        batch.add(padding(header.size));
      }
      entries += addEnd(batch, encodeTarHeader);
      yield batch.take();
    } catch (error) {
      const wrapped = error instanceof ContextError ? error : new ContextError(`packing the build context ${root} failed: ${(error as Error).message}`, { cause: error });
      fail(wrapped);
      throw wrapped;
    }
  }
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of chunks()) {
      bytes += chunk.length;
      yield chunk;
    }
    finish({ entries, bytes });
  }
  const result = { dockerfile: relDockerfile, dockerignore: ignoreFile.path, patterns: trimmed, done, release: pool.release };
  const small = opts.signal?.aborted ? undefined : await encoder.then(packSmall, () => undefined);
  if (small) {
    const out = new Readable({ read: () => undefined });
    out.push(small.tar);
    out.push(null);
    finish({ entries: small.entries, bytes: small.tar.length });
    return { stream: out, whole: small.tar, ...result };
  }
  // One chunk is produced when the reader asks for one: memory stays at a chunk or two
  // (1 MiB) however slowly the engine reads.
  return { stream: Readable.from(counted(), { objectMode: false, highWaterMark: 1 }), ...result };
}

type Batch = ReturnType<typeof createBatch>;

/** Collects small entries into one chunk: a tar of 20,000 small files is a few dozen writes, not 60,000. */
function createBatch(): { size: number; add(...parts: Array<Buffer | undefined>): void; take(): Buffer } {
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
function readSmall(entry: ContextEntry): Buffer {
  try {
    return readFileSync(entry.absolute);
  } catch (error) {
    throw unreadable(entry, error);
  }
}

/** A large file in 1 MiB reads, exactly `size` bytes (the size its header announced). */
async function* readLarge(entry: ContextEntry, size: number, pool: ChunkPool, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
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

function readTextOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function statOrUndefined(path: string): Stats | undefined {
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

function headerFor(entry: ContextEntry): TarHeader | undefined {
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
