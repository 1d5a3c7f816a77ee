import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { STDIN } from './read-source.js';

/** Extensions a directory is searched for. */
export const CONFIG_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

const GLOB = /[*?[{]/;

/**
 * The files the CLI arguments name: `-` (stdin) and files as given, directories searched
 * recursively for `.yaml`, `.yml` and `.json` files (hidden entries and node_modules skipped),
 * and glob patterns (`'deploy/**\/*.yaml'`, quoted so the shell leaves them) expanded, each in
 * sorted order. A directory or pattern that finds nothing is a usage error.
 */
export async function expandInputs(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === STDIN) {
      out.push(arg);
      continue;
    }
    const info = statOf(arg);
    if (info?.isDirectory()) out.push(...none(walk(arg), arg, 'the directory holds no .yaml, .yml or .json file'));
    else if (!info && GLOB.test(arg)) {
      const { glob } = await import('tinyglobby');
      const found = (await glob(arg, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
      out.push(...none(found, arg, 'the pattern matches no file'));
    } else out.push(arg);
  }
  return out;
}

// bigint: Node 20's plain stat of a FIFO leaves its mode in a buffer the module loader reads next,
// and a later require() then fails to resolve symlinked packages.
function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
}

/** Config files under a directory, without recursion, sorted within each directory. */
function walk(root: string): string[] {
  const files: string[] = [];
  const dirs = [root];
  while (dirs.length) {
    const dir = dirs.shift()!;
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const sub: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) sub.push(path);
      else if (entry.isFile() && CONFIG_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) files.push(path);
    }
    dirs.unshift(...sub);
  }
  return files;
}

function none(found: string[], arg: string, why: string): string[] {
  if (found.length === 0) throw new ConfigError('CONFIG_READ_FAILED', `${arg}: ${why}`, { context: { path: arg }, hint: 'check the path or pattern (quote patterns so the shell does not expand them)' });
  return found;
}
