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
  /** (address number, kind number, count) for each kind seen from an address. */
  readonly kinds: Float64Array<ArrayBuffer>;
  /** Kind names by kind number. Defaults to the kinds of MATCHERS, by index. */
  readonly kindNames?: readonly string[];
  /** User names, by user number. */
  readonly users: readonly string[];
  /**
   * (address number, user number, range) for each (address, user) pair, in the order the scanner
   * first saw them: ranges scanned one after the other, so each range's pairs are one run.
   * Ranges are numbered in file order across the sources of a scan (see buildResult).
   */
  readonly pairs: Uint32Array<ArrayBuffer>;
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
