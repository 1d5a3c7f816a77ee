import { MATCHERS } from '../matchers/all.js';
import type { Matcher } from '../matchers/matcher.js';
import type { AuthFailure } from './auth-failure.js';
import { normalizeIp } from './normalize-ip.js';
import { parsePrefix } from './parse-prefix.js';

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
 * Recognizes one log line (with or without its syslog prefix, CR/LF stripped or not) and
 * returns the failed authentication it records, or null.
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

/** `matchLine` without building the ISO time string. */
export function matchLineRaw(line: string, referenceMs: number): RawMatch | null {
  const text = line.endsWith('\n') || line.endsWith('\r') ? line.replace(/[\r\n]+$/, '') : line;
  // Matchers whose anchors the line holds (anywhere: patterns then apply to the message only).
  const tried = candidates(text);
  if (tried.length === 0) return null;
  const prefix = parsePrefix(text, referenceMs);
  let message = prefix.message;
  let count = 1;
  const repeated = message.startsWith('message repeated ') ? REPEATED.exec(message) : null;
  if (repeated) {
    count = Number(repeated[1]);
    message = repeated[2]!;
  }
  for (const matcher of tried) {
    if (prefix.program !== undefined && matcher.programs && !matcher.programs.test(prefix.program)) continue;
    for (const pattern of matcher.patterns) {
      const m = pattern.exec(message);
      if (!m?.groups?.ip) continue;
      const ip = normalizeIp(m.groups.ip);
      if (ip === null) continue;
      const user = m.groups.user ?? matcher.user ?? null;
      return {
        ip,
        user: user === '' || user === undefined ? null : user,
        kind: matcher.kind,
        timeMs: prefix.timeMs,
        count,
      };
    }
  }
  return null;
}
