/**
 * The scanner's tables (addresses, users, pairs) cannot grow: past `maxMemoryBytes`, or past the
 * 4 GiB a WebAssembly memory can hold (tens of millions of distinct addresses). It fails the
 * source at the byte reached (as a `SourceError`); what was counted before is kept.
 */
export class TablesFullError extends Error {
  constructor(addresses: number, users: number, memoryBytes: number) {
    super(`the tables are full (${addresses} addresses and ${users} user names in ${Math.round(memoryBytes / 2 ** 20)} MiB): `
      + 'split the input (by file, or with --since/--until) and add the parts up with `log-scan merge`');
    this.name = 'TablesFullError';
  }
}
