import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readlink, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { ContextError } from '../errors/context-error.js';
import { createPatternMatcher } from './pattern-matcher.js';
import { readDockerignore } from './read-dockerignore.js';
import { walkContext, type ContextEntry } from './walk-context.js';

export interface PackContextOptions {
  /** Path of the Dockerfile, absolute or relative to the context; it may live outside it. Defaults to `<dir>/Dockerfile`. */
  readonly dockerfile?: string;
  /** Patterns added after those of `.dockerignore` (or `<Dockerfile>.dockerignore`). Defaults to none. */
  readonly ignore?: readonly string[];
  /** Files read ahead of the tar writer. Defaults to 32. */
  readonly readAhead?: number;
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
}

const DEFAULTS = { readAhead: 32 } as const;
const SMALL_FILE = 1024 * 1024;

/**
 * Packs a build context the way the docker CLI does: `.dockerignore` rules (or those of
 * `<Dockerfile>.dockerignore`) with `!` exceptions and `**`, the Dockerfile and `.dockerignore`
 * always sent, owner 0:0, and a Dockerfile outside the context added under a generated name.
 */
export async function packContext(dir: string, options: PackContextOptions = {}): Promise<PackedContext> {
  const opts = { ...DEFAULTS, ...options };
  if (!Number.isInteger(opts.readAhead) || opts.readAhead < 1) throw new ContextError(`Expected \`readAhead\` to be a positive integer, got ${opts.readAhead}`);
  const root = resolve(dir);
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new ContextError(`build context ${root} is not a directory`, { hint: 'pass an existing directory as --context' });
  const dockerfileAbs = resolve(root, opts.dockerfile ?? 'Dockerfile');
  const dockerfileStat = await stat(dockerfileAbs).catch(() => undefined);
  if (!dockerfileStat?.isFile()) throw new ContextError(`Dockerfile ${dockerfileAbs} does not exist`, { hint: 'pass the Dockerfile with --file' });
  const rel = relative(root, dockerfileAbs);
  const outside = rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel);
  const ignoreFile = await readDockerignore(root, dockerfileAbs);
  const patterns = [...ignoreFile.patterns, ...(opts.ignore ?? [])];
  const relDockerfile = outside ? `.dockerfile.${randomBytes(10).toString('hex')}` : rel.split(sep).join('/');
  let matcher = createPatternMatcher(patterns);
  // The docker CLI always sends .dockerignore and the Dockerfile (TrimBuildFilesFromExcludes).
  const trimmed = [...patterns];
  if (matcher.matches('.dockerignore').excluded) trimmed.push('!.dockerignore');
  if (!outside && matcher.matches(relDockerfile).excluded) trimmed.push(`!${relDockerfile}`);
  if (trimmed.length !== patterns.length) matcher = createPatternMatcher(trimmed);

  const tar = tarPack();
  let bytes = 0;
  const out = new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  tar.on('error', (error: Error) => out.destroy(error));
  tar.pipe(out);

  const write = async (): Promise<{ entries: number; bytes: number }> => {
    const walker = walkContext(root, { matcher, never: outside ? new Set(['.dockerignore']) : undefined, signal: opts.signal });
    const entries = await writeEntries(tar, walker, opts.readAhead);
    if (outside) {
      const now = new Date();
      const dockerfileBody = await readFile(dockerfileAbs);
      await addBuffer(tar, { name: relDockerfile, mode: 0o600, mtime: now, size: dockerfileBody.length, type: 'file', uid: 0, gid: 0 }, dockerfileBody);
      const ignoreText = (await readFile(resolve(root, '.dockerignore'), 'utf8').catch(() => '.dockerignore')) + `\n${relDockerfile}\n`;
      const ignoreBody = Buffer.from(ignoreText);
      await addBuffer(tar, { name: '.dockerignore', mode: 0o600, mtime: now, size: ignoreBody.length, type: 'file', uid: 0, gid: 0 }, ignoreBody);
    }
    tar.finalize();
    await new Promise<void>((res, rej) => {
      if (out.writableFinished) res();
      out.once('finish', () => res());
      out.once('error', rej);
      out.once('close', () => res());
    });
    return { entries: entries + (outside ? 2 : 0), bytes };
  };
  const done = write().catch((error: unknown) => {
    const wrapped = error instanceof ContextError ? error : new ContextError(`packing the build context ${root} failed: ${(error as Error).message}`, { cause: error });
    out.destroy(wrapped);
    throw wrapped;
  });
  // The caller reads `stream`; a failure is reported there and through `done`.
  done.catch(() => undefined);
  return { stream: out, dockerfile: relDockerfile, dockerignore: ignoreFile.path, patterns: trimmed, done };
}

function headerFor(entry: ContextEntry): Header | undefined {
  const { stats } = entry;
  const base = { mode: stats.mode & 0o7777, mtime: stats.mtime, uid: 0, gid: 0 };
  if (stats.isDirectory()) return { ...base, name: `${entry.path}/`, type: 'directory', size: 0 } as Header;
  if (stats.isSymbolicLink()) return { ...base, name: entry.path, type: 'symlink', size: 0 } as Header;
  if (stats.isFile()) return { ...base, name: entry.path, type: 'file', size: stats.size } as Header;
  return undefined; // sockets, fifos and devices are left out
}

function addBuffer(tar: Pack, header: Partial<Header>, body: Buffer): Promise<void> {
  return new Promise((res, rej) => tar.entry(header as Header, body, (error) => (error ? rej(error) : res())));
}

function addStream(tar: Pack, header: Header, path: string): Promise<void> {
  return new Promise((res, rej) => {
    const sink = tar.entry(header, (error) => (error ? rej(error) : res()));
    const source = createReadStream(path);
    source.on('error', (error) => {
      sink.destroy(error);
      rej(error);
    });
    source.pipe(sink);
  });
}

/** Writes the walked entries, reading up to `readAhead` small files in parallel. */
async function writeEntries(tar: Pack, walker: AsyncGenerator<ContextEntry>, readAhead: number): Promise<number> {
  const window: Array<{ entry: ContextEntry; header: Header; body: Promise<Buffer | string | undefined> }> = [];
  let count = 0;
  const load = (entry: ContextEntry, header: Header): Promise<Buffer | string | undefined> => {
    if (header.type === 'symlink') return readlink(entry.absolute);
    if (header.type === 'file' && header.size <= SMALL_FILE) return readFile(entry.absolute);
    return Promise.resolve(undefined);
  };
  const flush = async () => {
    const item = window.shift()!;
    const body = await item.body.catch((error: NodeJS.ErrnoException) => {
      throw new ContextError(`cannot read ${item.entry.path} in the build context: ${error.code ?? error.message}`, { cause: error, hint: 'fix its permissions or add it to .dockerignore' });
    });
    if (typeof body === 'string') await addBuffer(tar, { ...item.header, linkname: body }, Buffer.alloc(0));
    else if (body) await addBuffer(tar, { ...item.header, size: body.length }, body);
    else if (item.header.type === 'file') await addStream(tar, item.header, item.entry.absolute);
    else await addBuffer(tar, item.header, Buffer.alloc(0));
    count++;
  };
  for await (const entry of walker) {
    const header = headerFor(entry);
    if (!header) continue;
    const body = load(entry, header);
    body.catch(() => undefined);
    window.push({ entry, header, body });
    if (window.length >= readAhead) await flush();
  }
  while (window.length > 0) await flush();
  return count;
}
