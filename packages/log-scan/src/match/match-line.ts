import { MATCHERS } from '../matchers/all.js';
import type { AuthFailure } from './auth-failure.js';
import { normalizeIp } from './normalize-ip.js';
import { parsePrefix } from './parse-prefix.js';

/** Options of `matchLine`. */
export interface MatchLineOptions {
  /** Epoch ms classic syslog timestamps (no year) are read relative to. Defaults to now. */
  readonly referenceMs?: number;
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
  const prefix = parsePrefix(text, referenceMs);
  let message = prefix.message;
  let count = 1;
  const repeated = REPEATED.exec(message);
  if (repeated) {
    count = Number(repeated[1]);
    message = repeated[2]!;
  }
  for (const matcher of MATCHERS) {
    if (prefix.program !== undefined && matcher.programs && !matcher.programs.test(prefix.program)) continue;
    if (!matcher.anchors.some((anchor) => message.includes(anchor))) continue;
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
