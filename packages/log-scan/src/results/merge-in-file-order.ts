import { MATCHERS } from '../matchers/all.js';
import type { Aggregator } from './aggregate.js';

/**
 * One scanner's counts over the file ranges it scanned, as flat tables: cheap to read off the
 * WebAssembly tables, to post from a worker thread (the typed arrays are transferred, not
 * copied) and to merge. Addresses, users and kinds are numbered within the part.
 */
export interface PartialCounts {
  /** Address text, by address number. */
  readonly ips: readonly string[];
  /** By address number: count, first and last time (epoch ms; Infinity and -Infinity when none). */
  readonly totals: Float64Array<ArrayBuffer>;
  /** (address number, kind as an index in MATCHERS, count) for each kind seen from an address. */
  readonly kinds: Float64Array<ArrayBuffer>;
  /** User names, by user number. */
  readonly users: readonly string[];
  /**
   * (address number, user number, range) for each (address, user) pair, in the order the scanner
   * first saw them: ranges scanned one after the other, so each range's pairs are one run.
   */
  readonly pairs: Uint32Array<ArrayBuffer>;
}

interface Run { readonly pairs: Uint32Array; readonly ipOf: Uint32Array; readonly userOf: Uint32Array; readonly range: number; readonly from: number; readonly to: number }

/**
 * Adds the counts of scanners that took a file's ranges in turns: every address's users come out
 * in file order (by the range, then the position, each was first seen in), whichever scanner saw
 * them, so the result does not depend on how the ranges fell to the threads.
 */
export function mergeInFileOrder(aggregator: Aggregator, parts: readonly PartialCounts[]): void {
  // Addresses and users numbered across the parts, so that totals add up in typed arrays and pairs
  // compare as numbers; the aggregator then gets each address once.
  const ips = numbering();
  const users = numbering();
  const runs: Run[] = [];
  const ipOfPart = parts.map((part) => Uint32Array.from(part.ips, ips.number));
  const totals = new Float64Array(3 * ips.names.length);
  for (let ip = 0; ip < ips.names.length; ip++) { totals[3 * ip + 1] = Infinity; totals[3 * ip + 2] = -Infinity; }
  const kindsOf: Array<Array<[string, number]>> = ips.names.map(() => []);
  parts.forEach((part, p) => {
    const ipOf = ipOfPart[p]!;
    for (let id = 0; id < ipOf.length; id++) {
      const ip = ipOf[id]!;
      totals[3 * ip] = totals[3 * ip]! + part.totals[3 * id]!;
      totals[3 * ip + 1] = Math.min(totals[3 * ip + 1]!, part.totals[3 * id + 1]!);
      totals[3 * ip + 2] = Math.max(totals[3 * ip + 2]!, part.totals[3 * id + 2]!);
    }
    for (let k = 0; k < part.kinds.length; k += 3) kindsOf[ipOf[part.kinds[k]!]!]!.push([MATCHERS[part.kinds[k + 1]!]!.kind, part.kinds[k + 2]!]);
    const userOf = Uint32Array.from(part.users, users.number);
    const { pairs } = part;
    for (let from = 0; from < pairs.length;) {
      const range = pairs[from + 2]!;
      let to = from + 3;
      while (to < pairs.length && pairs[to + 2] === range) to += 3;
      runs.push({ pairs, ipOf, userOf, range, from, to });
      from = to;
    }
  });
  // In range order, the first of duplicates is the first seen (a part holds each pair once).
  runs.sort((a, b) => a.range - b.range);
  const seen = parts.length > 1 ? pairSet(ips.names.length, users.names.length) : null;
  const usersOf: string[][] = ips.names.map(() => []);
  for (const { pairs, ipOf, userOf, from, to } of runs) {
    for (let k = from; k < to; k += 3) {
      const ip = ipOf[pairs[k]!]!;
      const user = userOf[pairs[k + 1]!]!;
      if (seen && !seen.add(ip * users.names.length + user)) continue;
      usersOf[ip]!.push(users.names[user]!);
    }
  }
  ips.names.forEach((ip, n) => {
    aggregator.absorb({ ip, count: totals[3 * n]!, firstMs: totals[3 * n + 1]!, lastMs: totals[3 * n + 2]!, kinds: kindsOf[n]!, users: usersOf[n]! });
  });
}

/** A set of numbers below ips * users: `add` says whether the number was new. A bitmap when it is small. */
function pairSet(ips: number, users: number): { add(key: number): boolean } {
  if (ips * users <= 2 ** 28) {
    const bits = new Uint32Array(Math.ceil((ips * users) / 32));
    return {
      add(key) {
        const bit = 1 << (key & 31);
        const word = bits[key >>> 5]!;
        bits[key >>> 5] = word | bit;
        return (word & bit) === 0;
      },
    };
  }
  const set = new Set<number>();
  return { add: (key) => set.size !== set.add(key).size };
}

/** Numbers strings in the order first given. */
export function numbering(): { readonly names: string[]; readonly number: (name: string) => number } {
  const index = new Map<string, number>();
  const names: string[] = [];
  return {
    names,
    number(name) {
      let n = index.get(name);
      if (n === undefined) {
        index.set(name, (n = names.length));
        names.push(name);
      }
      return n;
    },
  };
}
