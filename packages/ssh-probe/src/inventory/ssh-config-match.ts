import { inventoryError } from '../errors.js';

/** One criterion of a `Match` line: `host a,b`, `!user root`, `all`, `exec "cmd"`. */
export interface MatchCriterion {
  readonly name: string;
  readonly negate: boolean;
  readonly arg: string | undefined;
}

const WITH_ARG = new Set(['host', 'originalhost', 'user', 'localuser', 'exec', 'localnetwork', 'tagged']);
const WITHOUT_ARG = new Set(['all', 'canonical', 'final']);

/** Reads the criteria of a `Match` line (quoted arguments allowed, as for `exec "test -f x"`). */
export function parseMatch(text: string, where: string): MatchCriterion[] {
  const words = text.match(/"[^"]*"|\S+/g) ?? [];
  const criteria: MatchCriterion[] = [];
  for (let i = 0; i < words.length; i++) {
    const raw = words[i]!.toLowerCase();
    const negate = raw.startsWith('!');
    const name = negate ? raw.slice(1) : raw;
    if (WITHOUT_ARG.has(name)) {
      criteria.push({ name, negate, arg: undefined });
    } else if (WITH_ARG.has(name)) {
      const arg = words[++i];
      if (arg === undefined) throw inventoryError(`${where}: "Match ${name}" needs an argument`, { where });
      criteria.push({ name, negate, arg: arg.replace(/^"(.*)"$/, '$1') });
    } else {
      throw inventoryError(`${where}: unsupported Match criterion "${words[i]}"`, { where }, 'use host, originalhost, user, localuser, exec, canonical, final or all');
    }
  }
  return criteria;
}

function listMatches(list: string, value: string): boolean {
  let matched = false;
  for (const p of list.split(',')) {
    const negated = p.startsWith('!');
    const re = new RegExp(`^${(negated ? p.slice(1) : p).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (re.test(value)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export interface MatchSubject {
  /** The host name after a `HostName` set by an earlier block (as `Match host` sees it). */
  readonly host: string;
  /** The name as given (`Match originalhost`). */
  readonly originalHost: string;
  /** The remote user (`Match user`). */
  readonly user: string;
  readonly localUser: string;
}

/**
 * True when every criterion holds, as ssh evaluates them on its final pass. `exec` is never run
 * (a probe of thousands of hosts must not run config commands): it does not match. `canonical`,
 * `tagged` and `localnetwork` do not match either (no canonicalisation, tags or interface lookups).
 */
export function matchCriteria(criteria: readonly MatchCriterion[], s: MatchSubject): boolean {
  return criteria.every((c) => {
    let result: boolean;
    switch (c.name) {
      case 'all': case 'final': result = true; break;
      case 'host': result = listMatches(c.arg!, s.host); break;
      case 'originalhost': result = listMatches(c.arg!, s.originalHost); break;
      case 'user': result = listMatches(c.arg!, s.user); break;
      case 'localuser': result = listMatches(c.arg!, s.localUser); break;
      default: return false;
    }
    return c.negate ? !result : result;
  });
}
