import { homedir } from 'node:os';
import { inventoryError } from '../errors.js';
import type { Target } from '../types.js';
import { parsePort, parseTargetSpec, TargetSpecError } from './parse-target.js';

/** One `Host` block of an OpenSSH client config (Match blocks are skipped). */
interface HostBlock {
  readonly patterns: readonly string[];
  readonly options: ReadonlyArray<readonly [string, string]>;
}

/** A parsed OpenSSH client config: `Host` blocks in file order. */
export interface SshConfig {
  readonly blocks: readonly HostBlock[];
}

/** What the config says for one host, as ssh applies it (first value wins, IdentityFile adds up). */
export interface SshHostSettings {
  readonly hostName?: string;
  readonly user?: string;
  readonly port?: number;
  readonly identityFiles: readonly string[];
  readonly proxyJump?: string;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

/** ssh_config `Host` matching: any positive pattern matches and no `!pattern` does. */
export function hostMatches(patterns: readonly string[], host: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(host)) return false;
    } else if (globToRegExp(p).test(host)) {
      matched = true;
    }
  }
  return matched;
}

/** Parses `Keyword value` / `Keyword=value` lines into Host blocks; keywords are case-insensitive. */
export function parseSshConfig(text: string, source = 'ssh config'): SshConfig {
  const blocks: Array<{ patterns: string[]; options: Array<[string, string]> }> = [{ patterns: ['*'], options: [] }];
  let skipping = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.+)$/.exec(line);
    if (!m) throw inventoryError(`${source} line ${index + 1}: expected "Keyword value", got "${line}"`, { source, line: index + 1 });
    const keyword = m[1]!.toLowerCase();
    const value = m[2]!.trim().replace(/^"(.*)"$/, '$1');
    if (keyword === 'host') {
      skipping = false;
      blocks.push({ patterns: value.split(/\s+/).map((p) => p.replace(/^"(.*)"$/, '$1')), options: [] });
    } else if (keyword === 'match') {
      skipping = true;
    } else if (!skipping) {
      blocks.at(-1)!.options.push([keyword, value]);
    }
  });
  return { blocks };
}

function expandPath(path: string, user: string | undefined): string {
  return path.replace(/^~(?=\/|$)/, homedir()).replace(/%d/g, homedir()).replace(/%u/g, user ?? '').replace(/%%/g, '%');
}

/** The settings ssh would use for `host` (the name given on the command line). */
export function sshSettingsFor(config: SshConfig, host: string): SshHostSettings {
  const values = new Map<string, string>();
  const identityFiles: string[] = [];
  for (const block of config.blocks) {
    if (!hostMatches(block.patterns, host)) continue;
    for (const [key, value] of block.options) {
      if (key === 'identityfile') identityFiles.push(value);
      else if (!values.has(key)) values.set(key, value);
    }
  }
  const portText = values.get('port');
  let port: number | undefined;
  if (portText !== undefined) {
    try {
      port = parsePort(portText, `Port for ${host}`);
    } catch (error) {
      throw inventoryError(`ssh config: ${(error as Error).message}`, { host });
    }
  }
  const hostName = values.get('hostname')?.replace(/%h/g, host);
  const user = values.get('user');
  const proxyJump = values.get('proxyjump');
  return {
    ...(hostName ? { hostName } : {}),
    ...(user ? { user } : {}),
    ...(port !== undefined ? { port } : {}),
    identityFiles: identityFiles.map((f) => expandPath(f, user)),
    ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
  };
}

/** Fills what a target leaves open from the config, as ssh would for `ssh target`. */
export function applySshConfig(target: Target, config: SshConfig): Target {
  const s = sshSettingsFor(config, target.host);
  return {
    host: target.host,
    ...(target.hostName ?? s.hostName ? { hostName: target.hostName ?? s.hostName } : {}),
    ...(target.port ?? s.port ? { port: target.port ?? s.port } : {}),
    ...(target.user ?? s.user ? { user: target.user ?? s.user } : {}),
    ...(target.identityFiles?.length || s.identityFiles.length ? { identityFiles: [...(target.identityFiles ?? []), ...s.identityFiles] } : {}),
    ...(target.proxyJump ?? s.proxyJump ? { proxyJump: target.proxyJump ?? s.proxyJump } : {}),
  };
}

/** Every `Host` alias without wildcards or negation, as a target with its settings applied. */
export function sshConfigTargets(config: SshConfig, source = 'ssh config'): Target[] {
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const block of config.blocks.slice(1)) {
    for (const alias of block.patterns) {
      if (/[*?!]/.test(alias) || seen.has(alias)) continue;
      seen.add(alias);
      try {
        parseTargetSpec(alias);
      } catch (error) {
        if (error instanceof TargetSpecError) throw inventoryError(`${source}: Host "${alias}": ${error.message}`, { source });
        throw error;
      }
      targets.push(applySshConfig({ host: alias }, config));
    }
  }
  return targets;
}
