import type { RawMatch } from '../match/match-line.js';

/** Everything known about one remote address. */
export interface IpRecord {
  readonly ip: string;
  /** Failures counted (a "message repeated N times" line counts N). */
  readonly count: number;
  /** Distinct user names tried, in first-seen order (at most `maxUsersPerIp`). */
  readonly users: string[];
  /** Earliest failure time (ISO 8601), or null when no line had a time. */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** Failures per matcher kind. */
  readonly kinds: Record<string, number>;
}

// `kinds` is a Map: kind strings are few and constant, so their hashes are computed once.
// `users` in first-seen order; `userSet` is made only when users come from more than one list
// (most addresses get theirs in one piece from the merge of the WebAssembly tables).
interface Entry { count: number; users: string[]; userSet: Set<string> | null; lastUser: string | null; first: number; last: number; kinds: Map<string, number> }

/** Distinct user names kept per address by default (memory bound against user-name sprays). */
export const DEFAULT_MAX_USERS_PER_IP = 1000;

/** Collects failures per IP (the scanner without WebAssembly). */
export interface Aggregator {
  add(failure: RawMatch): void;
  /** Failures counted so far. */
  readonly matches: number;
  /** Records sorted by count (descending), then IP. */
  records(): IpRecord[];
}

/** Options of `createAggregator`. */
export interface AggregatorOptions {
  /** Distinct users kept per IP (memory bound against user-name sprays). Defaults to 1000. */
  readonly maxUsersPerIp?: number;
}

/** Creates an empty aggregator. */
export function createAggregator(options: AggregatorOptions = {}): Aggregator {
  const maxUsers = options.maxUsersPerIp ?? DEFAULT_MAX_USERS_PER_IP;
  const map = new Map<string, Entry>();
  let matches = 0;
  const entry = (ip: string): Entry => {
    let e = map.get(ip);
    if (!e) map.set(ip, (e = { count: 0, users: [], userSet: null, lastUser: null, first: Infinity, last: -Infinity, kinds: new Map() }));
    return e;
  };
  const addUser = (e: Entry, user: string) => {
    if (e.users.length >= maxUsers) return;
    const set = (e.userSet ??= new Set(e.users));
    if (set.has(user)) return;
    set.add(user);
    e.users.push(user);
  };
  return {
    get matches() { return matches; },
    add(f) {
      const e = entry(f.ip);
      e.count += f.count;
      matches += f.count;
      e.kinds.set(f.kind, (e.kinds.get(f.kind) ?? 0) + f.count);
      // Most lines repeat the user of the line before from the same address: skip the Set then.
      const user = f.user;
      if (user !== null && user !== e.lastUser) {
        addUser(e, user);
        e.lastUser = user;
      }
      const t = f.timeMs;
      if (t !== undefined) {
        if (t < e.first) e.first = t;
        if (t > e.last) e.last = t;
      }
    },
    records() {
      // By count, then address: addresses grouped by count and each group sorted by the built-in
      // string order (code units), so no comparator runs per pair (tens of thousands of calls).
      const byCount = new Map<number, string[]>();
      for (const [ip, e] of map) {
        const group = byCount.get(e.count);
        if (group) group.push(ip);
        else byCount.set(e.count, [ip]);
      }
      const counts = Float64Array.from(byCount.keys()).sort().reverse();
      const records: IpRecord[] = [];
      for (const count of counts) {
        for (const ip of byCount.get(count)!.sort()) {
          const e = map.get(ip)!;
          records.push({
            ip,
            count,
            users: e.users.slice(),
            firstSeen: Number.isFinite(e.first) ? new Date(e.first).toISOString() : null,
            lastSeen: Number.isFinite(e.last) ? new Date(e.last).toISOString() : null,
            kinds: Object.fromEntries([...e.kinds].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0]))),
          });
        }
      }
      return records;
    },
  };
}

// Ties in code-unit order: the same on every machine (localeCompare follows the locale, and is
// slow enough to show when sorting a million addresses).
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
