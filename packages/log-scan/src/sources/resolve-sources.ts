import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceError, SourceNotFoundError } from '../errors/source-error.js';
import { fileError, fileSource, type FileSourceOptions } from './file-source.js';
import { resolveRemoteSources } from './remote.js';
import type { RemoteSourceOptions, ScanSource } from './scan-source.js';
import { stdinSource } from './stdin-source.js';

/** Options of `resolveSources`. */
export interface ResolveSourcesOptions extends RemoteSourceOptions, FileSourceOptions {}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Turns command-line specs into sources: `-` is stdin, `s3://...` and `kafka://...` are remote,
 * a directory means every regular file under it (sorted), a glob every file it matches, anything
 * else a file. A spec that names nothing throws `SourceNotFoundError` (exit code 2).
 */
export async function resolveSources(specs: readonly string[], options: ResolveSourcesOptions = {}): Promise<ScanSource[]> {
  const out: ScanSource[] = [];
  for (const spec of specs) {
    if (spec === '-') out.push(stdinSource());
    else if (/^(?:s3|kafka):\/\//.test(spec)) out.push(...(await resolveRemoteSources(spec, options)));
    else out.push(...(await Promise.all((await expandPath(spec)).map((path) => openOrFail(path, options)))));
  }
  return out;
}

// An unreadable file (permission denied) fails as a source, so the others are still scanned.
async function openOrFail(path: string, options: FileSourceOptions): Promise<ScanSource> {
  try {
    return await fileSource(path, options);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return {
      name: path,
      // eslint-disable-next-line require-yield
      chunks: async function* () { throw error; },
    };
  }
}

async function expandPath(spec: string): Promise<string[]> {
  let st;
  try {
    st = await stat(spec);
  } catch (error) {
    if (!GLOB_CHARS.test(spec)) throw fileError(spec, 0, error);
    const { glob } = await import('tinyglobby'); // only for globs: a plain path does not load it
    const matches = (await glob(spec, { onlyFiles: true, absolute: false, dot: true, expandDirectories: false })).sort();
    if (matches.length === 0) throw new SourceNotFoundError(spec, 'the glob matches no file');
    return matches;
  }
  if (!st.isDirectory()) return [spec];
  const files = await walk(spec);
  if (files.length === 0) throw new SourceNotFoundError(spec, 'the directory holds no file');
  return files;
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fileError(dir, 0, error);
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
