import { homedir, userInfo } from 'node:os';
import { inventoryError } from '../errors.js';
import type { Target } from '../types.js';
import { matchCriteria, parseMatch, type MatchCriterion } from './ssh-config-match.js';
import { parsePort, parseTargetSpec, TargetSpecError } from './parse-target.js';

/** One `Host` or `Match` block of an OpenSSH client config, with its options in file order. */
interface ConfigBlock {
  readonly patterns?: readonly string[];
  readonly match?: readonly MatchCriterion[];
  readonly options: ReadonlyArray<readonly [string, string]>;
}

/** A parsed OpenSSH client config: blocks in file order, and what was not applied (`Match exec`). */
export interface SshConfig {
  readonly blocks: readonly ConfigBlock[];
  readonly warnings: readonly string[];
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

/** ssh_config pattern list matching: any positive pattern matches and no `!pattern` does. */
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

/** Parses `Keyword value` / `Keyword=value` lines into `Host` and `Match` blocks; keywords are case-insensitive. */
export function parseSshConfig(text: string, source = 'ssh config'): SshConfig {
  const blocks: Array<{ patterns?: string[]; match?: MatchCriterion[]; options: Array<[string, string]> }> = [{ patterns: ['*'], options: [] }];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.+)$/.exec(line);
    if (!m) throw inventoryError(`${source} line ${index + 1}: expected "Keyword value", got "${line}"`, { source, line: index + 1 });
    const keyword = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (keyword === 'host') {
      blocks.push({ patterns: value.split(/\s+/).map((p) => p.replace(/^"(.*)"$/, '$1')), options: [] });
    } else if (keyword === 'match') {
      const match = parseMatch(value, `${source} line ${index + 1}`);
      if (match.some((c) => c.name === 'exec')) warnings.push(`${source} line ${index + 1}: "Match ${value}" not applied: ssh-probe runs no commands from a config (Match exec is taken as not matching)`);
      blocks.push({ match, options: [] });
    } else {
      blocks.at(-1)!.options.push([keyword, value.replace(/^"(.*)"$/, '$1')]);
    }
  });
  return { blocks, warnings };
}

/** %-tokens of ssh_config: %h host, %p port, %r remote user, %u local user, %d home, %n original name, %% a percent. */
export function expandTokens(text: string, tokens: Readonly<Record<string, string | number | undefined>>): string {
  return text.replace(/^~(?=\/|$)/, homedir()).replace(/%(.)/g, (all, t: string) => (t === '%' ? '%' : tokens[t] !== undefined ? String(tokens[t]) : all));
}

export interface SettingsContext {
  /** The user given with the target (`user@host`), which `Match user` and `%r` see first. */
  readonly user?: string;
  /** Local user name. Defaults to the current user. */
  readonly localUser?: string;
}

/** The settings ssh would use for `host` (the name given on the command line), blocks evaluated in order. */
export function sshSettingsFor(config: SshConfig, host: string, context: SettingsContext = {}): SshHostSettings {
  const values = new Map<string, string>();
  const identityFiles: string[] = [];
  const localUser = context.localUser ?? userInfo().username;
  for (const block of config.blocks) {
    const hostName = values.get('hostname');
    const applies = block.match
      ? matchCriteria(block.match, {
        host: hostName ? expandTokens(hostName, { h: host }) : host,
        originalHost: host,
        user: context.user ?? values.get('user') ?? localUser,
        localUser,
      })
      : hostMatches(block.patterns ?? [], host);
    if (!applies) continue;
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
  const hostName = values.has('hostname') ? expandTokens(values.get('hostname')!, { h: host }) : undefined;
  const user = values.get('user');
  const proxyJump = values.get('proxyjump');
  const tokens = { h: hostName ?? host, n: host, p: port ?? 22, r: context.user ?? user ?? localUser, u: localUser, d: homedir() };
  return {
    ...(hostName ? { hostName } : {}),
    ...(user ? { user } : {}),
    ...(port !== undefined ? { port } : {}),
    identityFiles: identityFiles.map((f) => expandTokens(f, tokens)),
    ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
  };
}

/** Fills what a target leaves open from the config, as ssh would for `ssh target`. */
export function applySshConfig(target: Target, config: SshConfig): Target {
  const s = sshSettingsFor(config, target.host, { user: target.user });
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
    for (const alias of block.patterns ?? []) {
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
