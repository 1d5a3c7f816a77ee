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

async function inline(path: string, depth: number, required: boolean, includeDir: string): Promise<string> {
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
    // relative Include paths: ~/.ssh for a user config, /etc/ssh for the system one
    for (const pattern of m[1]!.trim().split(/\s+/)) {
      for (const file of await expandInclude(pattern, includeDir)) out.push(await inline(file, depth + 1, false, includeDir));
    }
  }
  return out.join('\n');
}

/** Reads an OpenSSH client config, with its `Include` files (globs allowed) read in place. */
export async function loadSshConfig(path: string): Promise<SshConfig> {
  return parseSshConfig(await inline(path, 0, true, join(homedir(), '.ssh')), path);
}

/** Where ssh reads its config when no `-F` is given: the user's, then the system's. */
export const DEFAULT_SSH_CONFIGS = [join(homedir(), '.ssh', 'config'), '/etc/ssh/ssh_config'] as const;

/**
 * The config ssh reads without `-F`: ~/.ssh/config, then /etc/ssh/ssh_config (each optional, first
 * value wins across both), or undefined when neither exists.
 */
export async function loadDefaultSshConfig(paths: readonly string[] = DEFAULT_SSH_CONFIGS): Promise<SshConfig | undefined> {
  const texts: string[] = [];
  for (const [i, path] of paths.entries()) {
    const text = await inline(path, 0, false, i === 0 ? join(homedir(), '.ssh') : dirname(path));
    // a file ends its last block: the next one starts at the top level, as `Host *` does
    if (text.trim()) texts.push(`Host *\n${text}`);
  }
  return texts.length ? parseSshConfig(texts.join('\n'), paths.join(' + ')) : undefined;
}
