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
  // Addresses and users numbered across the parts, so pairs compare as numbers.
  const ips = numbering();
  const users = numbering();
  const runs: Run[] = [];
  for (const part of parts) {
    const kindsOf = part.ips.map((): Array<[string, number]> => []);
    for (let k = 0; k < part.kinds.length; k += 3) kindsOf[part.kinds[k]!]!.push([MATCHERS[part.kinds[k + 1]!]!.kind, part.kinds[k + 2]!]);
    part.ips.forEach((ip, id) => {
      aggregator.absorb({ ip, count: part.totals[3 * id]!, firstMs: part.totals[3 * id + 1]!, lastMs: part.totals[3 * id + 2]!, kinds: kindsOf[id]!, users: [] });
    });
    const ipOf = Uint32Array.from(part.ips, ips.number);
    const userOf = Uint32Array.from(part.users, users.number);
    const { pairs } = part;
    for (let from = 0; from < pairs.length;) {
      const range = pairs[from + 2]!;
      let to = from + 3;
      while (to < pairs.length && pairs[to + 2] === range) to += 3;
      runs.push({ pairs, ipOf, userOf, range, from, to });
      from = to;
    }
  }
  // In range order, the first of duplicates is the first seen (a part holds each pair once).
  runs.sort((a, b) => a.range - b.range);
  const seen = parts.length > 1 ? pairSet(ips.names.length, users.names.length) : null;
  const usersOf: Array<string[] | undefined> = [];
  for (const { pairs, ipOf, userOf, from, to } of runs) {
    for (let k = from; k < to; k += 3) {
      const ip = ipOf[pairs[k]!]!;
      const user = userOf[pairs[k + 1]!]!;
      if (seen && !seen.add(ip * users.names.length + user)) continue;
      (usersOf[ip] ??= []).push(users.names[user]!);
    }
  }
  usersOf.forEach((list, ip) => {
    if (list) aggregator.absorb({ ip: ips.names[ip]!, count: 0, kinds: [], firstMs: Infinity, lastMs: -Infinity, users: list });
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
function numbering(): { readonly names: string[]; readonly number: (name: string) => number } {
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
