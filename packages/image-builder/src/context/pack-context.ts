import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ContextError } from '../errors/context-error.js';
import { createChunkPool } from './chunk-pool.js';
import { createBatch, dockerfileEntry, headerFor, readLarge, readSmall, readTextOr, statOrUndefined } from './context-entries.js';
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
  /**
   * Puts the Dockerfile (inside the context, a regular file) first in the tar and packs nothing
   * else before the stream is read: `stream` holds the Dockerfile's entry at once, the rest is
   * packed on the next tick after the first read. A request can then go out with its first bytes
   * while the rest is packed: the engine starts unpacking a context (in a process of its own,
   * ~100 ms before it reads a byte) when they come. `whole` is then undefined. Defaults to false.
   */
  readonly dockerfileFirst?: boolean;
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
  // The Dockerfile's entry, first (dockerfileFirst): a regular file inside the context only (a
  // symlink goes in as one where the walk finds it; a Dockerfile outside it goes in at the end).
  const first = opts.dockerfileFirst && !outside && !opts.signal?.aborted ? await encoder.then((encode) => dockerfileEntry(encode, root, relDockerfile), () => undefined) : undefined;
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
  const never = outside ? new Set(['.dockerignore']) : first ? new Set([relDockerfile]) : undefined;
  const walk = () => walkContext(root, { matcher, never, signal: opts.signal });
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
   * The start of the walk, packed at once, synchronously: a small context (no large file, all of
   * it within one batch) whole (`tar`: `whole`, and in its stream), so that it goes with the
   * request head without waiting for a generator (most builds' contexts); else the first batch and
   * where the walk stopped (`rest`, and the large file it stopped at), which the stream goes on
   * from: no entry is read twice. An error is kept for the stream to report.
   */
  const packHead = (encodeTarHeader: TarHeaderEncoder): Head => {
    const rest = walk();
    const batch = createBatch();
    let count = 0;
    try {
      for (let next = rest.next(); !next.done; next = rest.next()) {
        const entry = next.value;
        const header = headerFor(entry);
        if (!header) continue;
        if (!addSmall(batch, encodeTarHeader, entry, header)) return { chunk: batch.take(), pending: { entry, header }, rest, entries: count };
        count++;
        if (batch.size >= BATCH) return { chunk: batch.take(), rest, entries: count };
      }
      count += addEnd(batch, encodeTarHeader);
      return { tar: batch.take(), entries: count };
    } catch (error) {
      return { error, entries: count };
    }
  };
  const headOf = (): Promise<Head> => encoder.then(packHead, (error: unknown) => ({ error, entries: 0 }));
  /** The rest of the tar after `head`, chunk by chunk: small entries batched, large files read in chunks. */
  async function* chunks(head: Head): AsyncGenerator<Buffer> {
    try {
      if (head.error !== undefined || !head.rest) throw head.error;
      const encodeTarHeader = await encoder;
      entries += head.entries;
      if (head.chunk?.length) yield head.chunk;
      const batch = createBatch();
      let pending = head.pending;
      for (;;) {
        let entry: ContextEntry;
        let header: TarHeader | undefined;
        if (pending) {
          ({ entry, header } = pending);
          pending = undefined;
        } else {
          const next = head.rest.next();
          if (next.done) break;
          entry = next.value;
          header = headerFor(entry);
          if (!header) continue;
        }
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
  async function* counted(head: Head): AsyncGenerator<Buffer> {
    for await (const chunk of chunks(head)) {
      bytes += chunk.length;
      yield chunk;
    }
    finish({ entries, bytes });
  }
  const result = { dockerfile: relDockerfile, dockerignore: ignoreFile.path, patterns: trimmed, done, release: pool.release };
  if (first) {
    entries = 1;
    bytes = first.length;
    return { stream: afterFirst(first), ...result };
  }
  const head = await headOf();
  if (head.tar) {
    const out = new Readable({ read: () => undefined });
    out.push(head.tar);
    out.push(null);
    finish({ entries: head.entries, bytes: head.tar.length });
    return { stream: out, whole: head.tar, ...result };
  }
  // One chunk is produced when the reader asks for one: memory stays at a chunk or two
  // (1 MiB) however slowly the engine reads.
  return { stream: Readable.from(counted(head), { objectMode: false, highWaterMark: 1 }), ...result };

  /**
   * The stream of `first` then the rest: a small rest packed at once (as a small context is),
   * else chunk by chunk as read. Nothing is packed before the first read has taken `first`: its
   * reader (the request's upload) writes it with the request head, then the rest is packed (on
   * the next tick, not within that read).
   */
  function afterFirst(firstChunk: Buffer): Readable {
    let rest: AsyncGenerator<Buffer> | undefined;
    let started = false;
    const pull = () => {
      rest!.next().then(({ value, done: over }) => out.push(over ? null : value), (error: unknown) => out.destroy(error as Error));
    };
    const packRest = () => {
      void headOf().then((head) => {
        if (out.destroyed) return;
        if (head.tar) {
          out.push(head.tar);
          out.push(null);
          finish({ entries: 1 + head.entries, bytes: firstChunk.length + head.tar.length });
          return;
        }
        rest = counted(head);
        pull();
      });
    };
    const out = new Readable({
      highWaterMark: 1,
      read() {
        if (rest) pull();
        else if (!started) {
          started = true;
          process.nextTick(packRest);
        }
      },
      destroy(error, callback) {
        void rest?.return(undefined);
        callback(error);
      },
    });
    out.push(firstChunk);
    return out;
  }
}

type Batch = ReturnType<typeof createBatch>;

/** What `packHead` packed at once: the whole tar, or a first chunk and the walk to go on with; or the error it met. */
interface Head {
  readonly tar?: Buffer;
  readonly chunk?: Buffer;
  /** A large file the walk stopped at, to be read in chunks. */
  readonly pending?: { readonly entry: ContextEntry; readonly header: TarHeader };
  readonly rest?: Generator<ContextEntry>;
  /** Entries in `tar` or `chunk`. */
  readonly entries: number;
  readonly error?: unknown;
}
