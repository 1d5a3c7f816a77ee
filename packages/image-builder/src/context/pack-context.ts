import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, readlinkSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ContextError } from '../errors/context-error.js';
import { createPatternMatcher } from './pattern-matcher.js';
import { readDockerignore } from './read-dockerignore.js';
import { pack, type Header, type Pack } from 'tar-stream';
import { pipeline } from 'node:stream/promises';
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
}

const SMALL_FILE = 256 * 1024;
type TarHeader = Pick<Header, 'name' | 'type' | 'mode' | 'size' | 'mtime'> & { linkname?: string };

/**
 * Packs a build context the way the docker CLI does: `.dockerignore` rules (or those of
 * `<Dockerfile>.dockerignore`) with `!` exceptions and `**`, the Dockerfile and `.dockerignore`
 * always sent, owner 0:0, and a Dockerfile outside the context added under a generated name.
 */
export async function packContext(dir: string, options: PackContextOptions = {}): Promise<PackedContext> {
  const opts = options;
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

  // tar-stream writes the headers (ustar, PAX for long names); an entry's callback fires once
  // the archive has room again, so awaiting it keeps memory bounded when the engine reads slowly.
  const tar = pack();
  let bytes = 0;
  const add = (header: TarHeader, body?: Buffer) => new Promise<void>((res, rej) => {
    const done = (error?: Error | null) => (error ? rej(error) : res());
    if (body) tar.entry(header, body, done);
    else tar.entry(header, done);
  });

  const write = async (): Promise<{ entries: number; bytes: number }> => {
    const walker = walkContext(root, { matcher, never: outside ? new Set(['.dockerignore']) : undefined, signal: opts.signal });
    let entries = 0;
    for (const entry of walker) if (await writeEntry(entry, add, tar)) entries++;
    if (outside) {
      const mtime = new Date();
      const dockerfileBody = await readFile(dockerfileAbs);
      const ignoreText = (await readFile(resolve(root, '.dockerignore'), 'utf8').catch(() => '.dockerignore')) + `\n${relDockerfile}\n`;
      for (const [name, body] of [[relDockerfile, dockerfileBody], ['.dockerignore', Buffer.from(ignoreText)]] as const) {
        await add({ name, type: 'file', mode: 0o600, size: body.length, mtime }, body);
        entries++;
      }
    }
    tar.finalize();
    return { entries, bytes: await finished };
  };
  let finish: (total: number) => void = () => undefined;
  const finished = new Promise<number>((res) => (finish = res));
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of tar as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      yield chunk;
    }
    finish(bytes);
  }
  const out = Readable.from(counted(), { objectMode: false });
  const done = write().catch((error: unknown) => {
    const wrapped = error instanceof ContextError ? error : new ContextError(`packing the build context ${root} failed: ${(error as Error).message}`, { cause: error });
    tar.destroy(wrapped);
    out.destroy(wrapped);
    throw wrapped;
  });
  // The caller reads `stream`; a failure is reported there and through `done`.
  done.catch(() => undefined);
  return { stream: out, dockerfile: relDockerfile, dockerignore: ignoreFile.path, patterns: trimmed, done };
}

function headerFor(entry: ContextEntry): TarHeader | undefined {
  const { stats } = entry;
  const base = { mode: stats.mode & 0o7777, mtime: stats.mtime };
  if (stats.isDirectory()) return { ...base, name: `${entry.path}/`, type: 'directory', size: 0 };
  if (stats.isSymbolicLink()) return { ...base, name: entry.path, type: 'symlink', size: 0 };
  if (stats.isFile()) return { ...base, name: entry.path, type: 'file', size: stats.size };
  return undefined; // sockets, fifos and devices are left out
}

type AddEntry = (header: TarHeader, body?: Buffer) => Promise<void>;

/** Writes one entry; small files are read synchronously (a thread-pool round trip costs more than the read). */
async function writeEntry(entry: ContextEntry, add: AddEntry, tar: Pack): Promise<boolean> {
  const header = headerFor(entry);
  if (!header) return false;
  try {
    if (header.type === 'symlink') {
      await add({ ...header, linkname: readlinkSync(entry.absolute) });
    } else if (header.type === 'directory') {
      await add(header);
    } else if (header.size <= SMALL_FILE) {
      const body = readFileSync(entry.absolute);
      await add({ ...header, size: body.length }, body);
    } else {
      await new Promise<void>((res, rej) => {
        const sink = tar.entry(header, (error) => (error ? rej(error) : res()));
        pipeline(createReadStream(entry.absolute, { end: header.size - 1, highWaterMark: 256 * 1024 }), sink).catch(rej);
      });
    }
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ContextError(`cannot read ${entry.path} in the build context: ${code ?? (error as Error).message}`, { cause: error, hint: 'fix its permissions or add it to .dockerignore' });
  }
}
