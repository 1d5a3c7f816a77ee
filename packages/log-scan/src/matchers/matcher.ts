/**
 * One kind of authentication failure, documented as data: the file that defines it is named
 * after its stable `kind` key and the README table lists `kind`, `description` and `example`.
 */
export interface Matcher {
  /** Stable key reported in results (`kinds`) and events (`kind`). */
  readonly kind: string;
  /** What it matches, for the README and `--help`. */
  readonly description: string;
  /** A real line it matches (tested). */
  readonly example: string;
  /**
   * Literal substrings, one of which every matching line contains. The byte scanner only decodes
   * and tries lines that contain an anchor of some matcher.
   */
  readonly anchors: readonly string[];
  /** Syslog program tags it accepts; a line tagged with another program is skipped. Any when absent. */
  readonly programs?: RegExp;
  /**
   * Tried in order on the message (the line without its syslog prefix), first match wins; named
   * groups `ip` (or `ip6`, for a second form of the address) and `user` (or `user2`; optional). Patterns are anchored at the end of the message and take
   * the address that the program wrote, never one inside a user-supplied name.
   */
  readonly patterns: readonly RegExp[];
  /** User reported when the line names none (`ROOT LOGIN REFUSED` is always root). Defaults to null. */
  readonly user?: string;
  /**
   * `failure` (a failed authentication: counted by default) or `suspicious` (a pre-auth
   * disconnect that follows no failure: counted only with the `suspicious` option, like
   * fail2ban's aggressive mode). Defaults to `failure`.
   */
  readonly class?: MatcherClass;
  /**
   * Patterns for lines that name no address (`Disconnecting: Too many authentication failures
   * [preauth]`): when scanning, the address is the one an earlier line of the same host and
   * pid gave (see `createSessionMemory`); `matchLine` alone does not report them. Defaults to none.
   */
  readonly sessionPatterns?: readonly RegExp[];
}

/** What a kind counts as: see `Matcher.class`. */
export type MatcherClass = 'failure' | 'suspicious';

/** Programs that are OpenSSH's server (`sshd-session` and `sshd-auth` since 9.8). */
export const SSHD_PROGRAMS = /^sshd(?:-session|-auth)?$/;

/**
 * An address token in a message: IPv4, IPv6 (compressed, with a zone, IPv4-mapped), optionally
 * in brackets. `normalizeIp` rejects what only looks like one.
 */
export const IP = String.raw`\[?(?<ip>[0-9A-Fa-f:.]*[0-9A-Fa-f](?:%[\w.-]+)?)\]?`;

/** Builds a matcher pattern from a template where `{IP}` stands for an address token. */
/**
 * sshd's `Failed <method> for [invalid user ]USER from ADDR[ port N][ sshN]<rest>`, read the way
 * sshd wrote it: the address is the first ` from ADDR` whose rest is what sshd writes after it
 * (` port N`, ` ssh2`, then the end, ` [preauth]` or `: <info>`). A user name that holds
 * ` from 10.0.0.1 port 1 ssh2` is skipped (what follows it is ` from`), and info text after
 * the real address (`ssh1: ruser X from 1.2.3.4`, `ssh2: from ...`) is not read as the address.
 */
export function sshdFailed(method: string): RegExp {
  return pattern(String.raw`(?:^|: |\] )Failed ${method} for (?:invalid user |illegal user )?(?<user>.*?) from {IP}(?: port \d+)?(?: ssh[12])?(?:: .*| ruser .*| \[preauth\])?\s*$`);
}

export function pattern(template: string, flags = ''): RegExp {
  return new RegExp(template.replaceAll('{IP}', IP), flags);
}
