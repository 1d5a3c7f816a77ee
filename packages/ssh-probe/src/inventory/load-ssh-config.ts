import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { UsageError } from '@ops/core';
import { parseSshConfig, type SshConfig } from './ssh-config.js';

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

async function expandInclude(pattern: string, baseDir: string): Promise<string[]> {
  const path = pattern.replace(/^~(?=\/|$)/, homedir());
  const full = isAbsolute(path) ? path : join(baseDir, path);
  const name = basename(full);
  if (!/[*?]/.test(name)) return [full];
  const entries = await readdir(dirname(full)).catch(() => [] as string[]);
  return entries.filter((e) => globToRegExp(name).test(e)).sort().map((e) => join(dirname(full), e));
}

async function inline(path: string, depth: number, required: boolean): Promise<string> {
  if (depth > 16) throw new UsageError(`ssh config ${path}: Include nested too deeply`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!required) return '';
    throw new UsageError(`cannot read ssh config ${path}: ${(error as Error).message}`, { cause: error });
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*include(?:\s*=\s*|\s+)(.+)$/i.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    // relative Include paths are relative to ~/.ssh, as for a user config
    for (const pattern of m[1]!.trim().split(/\s+/)) {
      for (const file of await expandInclude(pattern, join(homedir(), '.ssh'))) out.push(await inline(file, depth + 1, false));
    }
  }
  return out.join('\n');
}

/** Reads an OpenSSH client config, with its `Include` files (globs allowed) read in place. */
export async function loadSshConfig(path: string): Promise<SshConfig> {
  return parseSshConfig(await inline(path, 0, true), path);
}
