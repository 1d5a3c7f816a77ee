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

interface Run { readonly part: PartialCounts; readonly range: number; readonly from: number; readonly to: number }

/**
 * Adds the counts of scanners that took a file's ranges in turns: every address's users come out
 * in file order (by the range, then the position, each was first seen in), whichever scanner saw
 * them, so the result does not depend on how the ranges fell to the threads.
 */
export function mergeInFileOrder(aggregator: Aggregator, parts: readonly PartialCounts[]): void {
  const runs: Run[] = [];
  for (const part of parts) {
    const kindsOf = part.ips.map((): Array<[string, number]> => []);
    for (let k = 0; k < part.kinds.length; k += 3) kindsOf[part.kinds[k]!]!.push([MATCHERS[part.kinds[k + 1]!]!.kind, part.kinds[k + 2]!]);
    part.ips.forEach((ip, id) => {
      aggregator.absorb({ ip, count: part.totals[3 * id]!, firstMs: part.totals[3 * id + 1]!, lastMs: part.totals[3 * id + 2]!, kinds: kindsOf[id]!, users: [] });
    });
    const { pairs } = part;
    for (let from = 0; from < pairs.length;) {
      const range = pairs[from + 2]!;
      let to = from + 3;
      while (to < pairs.length && pairs[to + 2] === range) to += 3;
      runs.push({ part, range, from, to });
      from = to;
    }
  }
  // The aggregator keeps the first of duplicates: in range order, that is the first seen.
  runs.sort((a, b) => a.range - b.range);
  for (const { part, from, to } of runs) {
    for (let k = from; k < to; k += 3) aggregator.addUser(part.ips[part.pairs[k]!]!, part.users[part.pairs[k + 1]!]!);
  }
}
