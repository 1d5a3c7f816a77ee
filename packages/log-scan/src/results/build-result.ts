import { MATCHERS } from '../matchers/all.js';
import type { IpRecord } from './aggregate.js';
import type { IgnoreList } from './ignore-list.js';
import { numbering, type PartialCounts } from './partial-counts.js';

/** What of the counted addresses goes into a result. */
export interface ResultOptions {
  /** Only the `top` addresses with the most failures (0 or none: all). */
  readonly top?: number;
  /** Only addresses with at least this many failures. */
  readonly minFailures?: number;
  /** Addresses left out entirely (not in `ips`, `addresses` nor `matches`). */
  readonly ignore?: IgnoreList;
  /** Distinct users kept per address, in file order. */
  readonly maxUsersPerIp: number;
}

/** The records of a result, with the totals its summary needs. */
export interface BuiltResult {
  /** By count descending, then address (code-unit order). */
  readonly ips: IpRecord[];
  /** Addresses that passed `ignore` and `minFailures` (before `top`). */
  readonly addresses: number;
  /** Failures of the addresses not ignored. */
  readonly matches: number;
}

/**
 * The records of the counts of several scanners (threads, sources), built once and in time
 * linear in what is reported: totals add up in typed arrays; only the addresses kept (`ignore`,
 * `minFailures`, `top`) get their users, kinds and times made into records. Users come out in
 * file order by the range they were first seen in (ranges numbered across the parts, each part's
 * ranges scanned in turn), whichever part saw them, so the result does not depend on how ranges
 * fell to the threads.
 */
export function buildResult(parts: readonly PartialCounts[], options: ResultOptions): BuiltResult {
  // Addresses numbered across the parts (a single part keeps its own numbers).
  const ips = parts.length === 1 ? { names: parts[0]!.ips as string[] } : numbering();
  const ipOfPart = parts.length === 1 ? [identity(parts[0]!.ips.length)] : parts.map((p) => Uint32Array.from(p.ips, (ips as ReturnType<typeof numbering>).number));
  const n = ips.names.length;
  const totals = new Float64Array(3 * n);
  for (let ip = 0; ip < n; ip++) { totals[3 * ip + 1] = Infinity; totals[3 * ip + 2] = -Infinity; }
  parts.forEach((part, p) => {
    const ipOf = ipOfPart[p]!;
    for (let id = 0; id < ipOf.length; id++) {
      const ip = 3 * ipOf[id]!;
      totals[ip] = totals[ip]! + part.totals[3 * id]!;
      totals[ip + 1] = Math.min(totals[ip + 1]!, part.totals[3 * id + 1]!);
      totals[ip + 2] = Math.max(totals[ip + 2]!, part.totals[3 * id + 2]!);
    }
  });

  // Which addresses are kept, in output order.
  const minFailures = options.minFailures ?? 0;
  let matches = 0;
  const kept: number[] = [];
  for (let ip = 0; ip < n; ip++) {
    if (options.ignore?.(ips.names[ip]!)) continue;
    const count = totals[3 * ip]!;
    matches += count;
    if (count >= minFailures && count > 0) kept.push(ip);
  }
  const chosen = busiest(kept, totals, ips.names, options.top ?? 0);
  const slot = new Int32Array(n).fill(-1); // address number -> index in chosen
  chosen.forEach((ip, k) => { slot[ip] = k; });

  // Kinds of the chosen addresses: counts in one dense table (kind names numbered across parts).
  const kindNames = numbering();
  const kindOfPart = parts.map((part) => Uint32Array.from(part.kindNames ?? KIND_NAMES, kindNames.number));
  const kindTotals = new Float64Array(chosen.length * kindNames.names.length);
  const width = kindNames.names.length;
  parts.forEach((part, p) => {
    const ipOf = ipOfPart[p]!;
    const kindOf = kindOfPart[p]!;
    for (let k = 0; k < part.kinds.length; k += 3) {
      const s = slot[ipOf[part.kinds[k]!]!]!;
      if (s >= 0) kindTotals[s * width + kindOf[part.kinds[k + 1]!]!]! += part.kinds[k + 2]!;
    }
  });
  const users = usersInFileOrder(parts, ipOfPart, slot, chosen.length, options.maxUsersPerIp);
  const records = chosen.map((ip, k): IpRecord => ({
    ip: ips.names[ip]!,
    count: totals[3 * ip]!,
    users: users[k]!,
    firstSeen: isoOrNull(totals[3 * ip + 1]!),
    lastSeen: isoOrNull(totals[3 * ip + 2]!),
    kinds: kindsRecord(kindTotals.subarray(k * width, (k + 1) * width), kindNames.names),
  }));
  return { ips: records, addresses: kept.length, matches };
}

const KIND_NAMES = MATCHERS.map((m) => m.kind);
const NONE = 0xffffffff;
const identity = (n: number) => { const a = new Uint32Array(n); for (let i = 0; i < n; i++) a[i] = i; return a; };
const isoOrNull = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

// By count (most first), then address in code-unit order (the same on every machine and locale);
// with `top`, only the addresses at or above the top-th count are sorted.
function busiest(kept: number[], totals: Float64Array, names: readonly string[], top: number): number[] {
  let candidates = kept;
  if (top > 0 && top < kept.length) {
    const counts = Float64Array.from(kept, (ip) => totals[3 * ip]!).sort();
    const threshold = counts[counts.length - top]!;
    candidates = kept.filter((ip) => totals[3 * ip]! >= threshold);
  }
  // Grouped by count, each group sorted by the built-in string order (no comparator call per pair).
  const byCount = new Map<number, string[]>();
  const numberOf = new Map<string, number>();
  for (const ip of candidates) {
    const count = totals[3 * ip]!;
    const group = byCount.get(count);
    if (group) group.push(names[ip]!);
    else byCount.set(count, [names[ip]!]);
    numberOf.set(names[ip]!, ip);
  }
  const order: number[] = [];
  for (const count of Float64Array.from(byCount.keys()).sort().reverse()) {
    for (const name of byCount.get(count)!.sort()) order.push(numberOf.get(name)!);
  }
  return top > 0 ? order.slice(0, top) : order;
}

// The kinds with a count, most first, then by name (code-unit order).
function kindsRecord(counts: Float64Array, names: readonly string[]): Record<string, number> {
  const seen: number[] = [];
  for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) seen.push(k);
  if (seen.length > 1) seen.sort((a, b) => counts[b]! - counts[a]! || (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const record: Record<string, number> = {};
  for (const k of seen) record[names[k]!] = counts[k]!;
  return record;
}

// The users of the chosen addresses (slot >= 0), each list in file order without repeats, at most
// `max`: the pairs of all parts in range order are bucketed by address (a counting sort), then each
// bucket is read once, repeats dropped with one stamp per user.
function usersInFileOrder(parts: readonly PartialCounts[], ipOfPart: readonly Uint32Array[], slot: Int32Array, chosen: number, max: number): string[][] {
  // Users numbered across the parts, only those of chosen addresses (a single part keeps its numbers).
  const single = parts.length === 1;
  const names = single ? { names: parts[0]!.users as string[], number: (name: string) => Number(name) } : numbering();
  const userOfPart = parts.map((p) => (single ? identity(p.users.length) : new Uint32Array(p.users.length).fill(NONE)));
  // Runs of pairs of one range, sorted by range (a part lists each range's pairs together).
  const runs: Array<{ part: number; range: number; from: number; to: number }> = [];
  parts.forEach(({ pairs }, part) => {
    for (let from = 0; from < pairs.length;) {
      const range = pairs[from + 2]!;
      let to = from + 3;
      while (to < pairs.length && pairs[to + 2] === range) to += 3;
      runs.push({ part, range, from, to });
      from = to;
    }
  });
  runs.sort((a, b) => a.range - b.range);
  const start = new Uint32Array(chosen + 1);
  for (const { part, from, to } of runs) {
    const { pairs } = parts[part]!;
    const ipOf = ipOfPart[part]!;
    for (let k = from; k < to; k += 3) {
      const s = slot[ipOf[pairs[k]!]!]!;
      if (s >= 0) start[s + 1]!++;
    }
  }
  for (let s = 0; s < chosen; s++) start[s + 1]! += start[s]!;
  const bucket = new Uint32Array(start[chosen]!);
  const fill = start.slice(0, chosen);
  for (const { part, from, to } of runs) {
    const { pairs } = parts[part]!;
    const ipOf = ipOfPart[part]!;
    const userOf = userOfPart[part]!;
    for (let k = from; k < to; k += 3) {
      const s = slot[ipOf[pairs[k]!]!]!;
      if (s < 0) continue;
      const id = pairs[k + 1]!;
      let user = userOf[id]!;
      if (user === NONE) userOf[id] = user = names.number(parts[part]!.users[id]!);
      bucket[fill[s]!++] = user;
    }
  }
  const stamp = new Int32Array(names.names.length).fill(-1);
  const out: string[][] = [];
  for (let s = 0; s < chosen; s++) {
    const list: string[] = [];
    for (let k = start[s]!; k < start[s + 1]! && list.length < max; k++) {
      const user = bucket[k]!;
      if (stamp[user] === s) continue;
      stamp[user] = s;
      list.push(names.names[user]!);
    }
    out.push(list);
  }
  return out;
}
