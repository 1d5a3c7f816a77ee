import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, readlinkSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ContextError } from '../errors/context-error.js';
import { createPatternMatcher } from './pattern-matcher.js';
import { readDockerignore } from './read-dockerignore.js';
import { encodeTarHeader, tarPadding, TAR_END, type TarHeader } from './tar-header.js';
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
const BATCH = 256 * 1024;

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

  let bytes = 0;
  let wake: (() => void) | undefined;
  const out = new Readable({
    highWaterMark: 1024 * 1024,
    read() {
      wake?.();
      wake = undefined;
    },
  });
  out.on('close', () => wake?.());
  // Small entries are gathered into chunks of at least BATCH bytes before they are pushed.
  let parts: Buffer[] = [];
  let partsLength = 0;
  const flush = async () => {
    if (partsLength === 0) return;
    const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partsLength);
    parts = [];
    partsLength = 0;
    bytes += chunk.length;
    if (out.destroyed) throw new Error('the context stream was closed');
    if (!out.push(chunk)) await new Promise<void>((res) => (wake = res));
  };
  const add = async (buf: Buffer) => {
    parts.push(buf);
    partsLength += buf.length;
    if (partsLength >= BATCH) await flush();
  };

  const write = async (): Promise<{ entries: number; bytes: number }> => {
    const walker = walkContext(root, { matcher, never: outside ? new Set(['.dockerignore']) : undefined, signal: opts.signal });
    let entries = 0;
    for (const entry of walker) if (await writeEntry(entry, add, flush)) entries++;
    if (outside) {
      const mtime = new Date();
      const dockerfileBody = await readFile(dockerfileAbs);
      const ignoreText = (await readFile(resolve(root, '.dockerignore'), 'utf8').catch(() => '.dockerignore')) + `\n${relDockerfile}\n`;
      for (const [name, body] of [[relDockerfile, dockerfileBody], ['.dockerignore', Buffer.from(ignoreText)]] as const) {
        await add(encodeTarHeader({ name, type: 'file', mode: 0o600, size: body.length, mtime }));
        await add(body);
        await add(tarPadding(body.length));
        entries++;
      }
    }
    await add(TAR_END);
    await flush();
    out.push(null);
    return { entries, bytes };
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

function headerFor(entry: ContextEntry): TarHeader | undefined {
  const { stats } = entry;
  const base = { mode: stats.mode & 0o7777, mtime: stats.mtime };
  if (stats.isDirectory()) return { ...base, name: `${entry.path}/`, type: 'directory', size: 0 };
  if (stats.isSymbolicLink()) return { ...base, name: entry.path, type: 'symlink', size: 0 };
  if (stats.isFile()) return { ...base, name: entry.path, type: 'file', size: stats.size };
  return undefined; // sockets, fifos and devices are left out
}

/** Writes one entry; small files are read synchronously (a thread-pool round trip costs more than the read). */
async function writeEntry(entry: ContextEntry, add: (b: Buffer) => Promise<void>, flush: () => Promise<void>): Promise<boolean> {
  let header = headerFor(entry);
  if (!header) return false;
  try {
    if (header.type === 'symlink') {
      await add(encodeTarHeader({ ...header, linkname: readlinkSync(entry.absolute) }));
      return true;
    }
    if (header.type === 'directory') {
      await add(encodeTarHeader(header));
      return true;
    }
    if (header.size <= SMALL_FILE) {
      const body = readFileSync(entry.absolute);
      header = { ...header, size: body.length };
      await add(encodeTarHeader(header));
      await add(body);
      await add(tarPadding(body.length));
      return true;
    }
    await add(encodeTarHeader(header));
    await flush();
    let sent = 0;
    for await (const chunk of createReadStream(entry.absolute, { end: header.size - 1, highWaterMark: 256 * 1024 })) {
      sent += (chunk as Buffer).length;
      await add(chunk as Buffer);
    }
    if (sent !== header.size) throw new Error(`size changed while reading (${header.size} -> ${sent} bytes)`);
    await add(tarPadding(sent));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ContextError(`cannot read ${entry.path} in the build context: ${code ?? (error as Error).message}`, { cause: error, hint: 'fix its permissions or add it to .dockerignore' });
  }
}
