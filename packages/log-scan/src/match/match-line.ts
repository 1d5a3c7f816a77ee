import { MATCHERS } from '../matchers/all.js';
import { SSHD_PROGRAMS, type Matcher } from '../matchers/matcher.js';
import type { AuthFailure } from './auth-failure.js';
import { parseJsonRecord } from './json-record.js';
import { normalizeIp } from './normalize-ip.js';
import { parsePrefix, type LinePrefix } from './parse-prefix.js';

/** Options of `matchLine`. */
export interface MatchLineOptions {
  /** Epoch ms classic syslog timestamps (no year) are read relative to. Defaults to now. */
  readonly referenceMs?: number;
}

// Every distinct anchor, and for each the matchers that hold it: a line is only tried
// against the matchers of the anchors it contains.
const ALL_ANCHORS = [...new Set(MATCHERS.flatMap((m) => m.anchors))];
const ANCHOR_RE = new RegExp(ALL_ANCHORS.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const BY_ANCHOR = new Map<string, readonly Matcher[]>(ALL_ANCHORS.map((a) => [a, MATCHERS.filter((m) => m.anchors.includes(a))]));
const NONE: readonly Matcher[] = [];

function candidates(message: string): readonly Matcher[] {
  ANCHOR_RE.lastIndex = 0;
  let found: readonly Matcher[] = NONE;
  let hit: RegExpExecArray | null;
  while ((hit = ANCHOR_RE.exec(message)) !== null) {
    const list = BY_ANCHOR.get(hit[0])!;
    if (found === NONE) found = list;
    else if (found !== list) found = MATCHERS.filter((m) => found.includes(m) || list.includes(m));
    ANCHOR_RE.lastIndex = hit.index + 1;
  }
  return found;
}

const REPEATED = /^message repeated (\d+) times: \[ ?(.*?) ?\]\s*$/s;

/**
 * Recognizes one log line (with or without its syslog prefix, CR/LF stripped or not, or a JSON
 * record of a log collector) and returns the failed authentication it records, or null. Lines of
 * every class are recognized (`kind` tells; see `Matcher.class`); lines that name no address
 * need the lines before them and are only found when scanning.
 */
export function matchLine(line: string, options: MatchLineOptions = {}): AuthFailure | null {
  const raw = matchLineRaw(line, options.referenceMs ?? Date.now());
  return raw && { ip: raw.ip, user: raw.user, kind: raw.kind, time: raw.timeMs === undefined ? null : new Date(raw.timeMs).toISOString(), count: raw.count };
}

/** What the scanner's hot path uses: like `AuthFailure` with the time as epoch ms. */
export interface RawMatch {
  readonly ip: string;
  readonly user: string | null;
  readonly kind: string;
  readonly timeMs: number | undefined;
  readonly count: number;
}

/** A recognized line, with what ties it to an sshd session. */
export interface LineReading extends RawMatch {
  /** Host of the line's prefix (`''` when none) and pid of its tag, when the program is sshd. */
  readonly session?: { readonly host: string; readonly pid: number };
  /** The line names no address: `ip` is `''`, the session's address is to be used. */
  readonly addressless: boolean;
}

/** `matchLine` without building the ISO time string (address-less lines are not reported). */
export function matchLineRaw(line: string, referenceMs: number): RawMatch | null {
  const r = readLine(line, referenceMs);
  return r && !r.addressless ? { ip: r.ip, user: r.user, kind: r.kind, timeMs: r.timeMs, count: r.count } : null;
}

/** Recognizes a line, address-less session lines included (the core of `matchLine`). */
export function readLine(line: string, referenceMs: number): LineReading | null {
  const text = line.endsWith('\n') || line.endsWith('\r') ? line.replace(/[\r\n]+$/, '') : line;
  // Matchers whose anchors the line holds (anywhere: patterns then apply to the message only).
  const tried = candidates(text);
  if (tried.length === 0) return null;
  const prefix = (text.charCodeAt(0) === 123 /* { */ && parseJsonRecord(text, referenceMs)) || parsePrefix(text, referenceMs);
  let message = prefix.message;
  let count = 1;
  const repeated = message.startsWith('message repeated ') ? REPEATED.exec(message) : null;
  if (repeated) {
    count = Number(repeated[1]);
    message = repeated[2]!;
  }
  const session = sessionOf(prefix);
  for (const matcher of tried) {
    if (prefix.program !== undefined && matcher.programs && !matcher.programs.test(prefix.program)) continue;
    for (const pattern of matcher.patterns) {
      const m = pattern.exec(message);
      const token = m?.groups?.ip ?? m?.groups?.ip6;
      if (token === undefined) continue;
      const ip = normalizeIp(token);
      if (ip === null) continue;
      return reading(matcher, m!.groups!.user ?? m!.groups!.user2, ip, prefix.timeMs, count, session);
    }
    if (!session) continue;
    for (const pattern of matcher.sessionPatterns ?? []) {
      const m = pattern.exec(message);
      if (m) return reading(matcher, m.groups?.user, '', prefix.timeMs, count, session);
    }
  }
  return null;
}

function reading(matcher: Matcher, found: string | undefined, ip: string, timeMs: number | undefined, count: number, session: LineReading['session']): LineReading {
  const user = found ?? matcher.user ?? null;
  return { ip, user: user === '' ? null : user, kind: matcher.kind, timeMs, count, session, addressless: ip === '' };
}

// sshd lines with a pid belong to a session (one sshd process per connection).
function sessionOf(prefix: LinePrefix): LineReading['session'] {
  if (prefix.pid === undefined || prefix.program === undefined || !SSHD_PROGRAMS.test(prefix.program)) return undefined;
  return { host: prefix.host ?? '', pid: prefix.pid };
}
