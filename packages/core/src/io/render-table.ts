import { createRequire } from 'node:module';
import type TableClass from 'cli-table3';

// Loaded on the first table: importing @ops/core (a worker thread, a library call) does not pay for it.
let Table: typeof TableClass | undefined;

export interface RenderTableOptions {
  /** Right-align these column indexes (numbers). Defaults to none. */
  readonly alignRight?: readonly number[];
  /** Draw borders. Defaults to false: plain columns read best in CI logs. */
  readonly borders?: boolean;
}

/** A text table for terminals and CI logs, built with cli-table3. */
export function renderTable(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, options: RenderTableOptions = {}): string {
  const plain = !options.borders;
  Table ??= createRequire(import.meta.url)('cli-table3') as typeof TableClass;
  const table = new Table({
    head: [...head],
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': plain ? 2 : 1 },
    colAligns: head.map((_, i) => (options.alignRight?.includes(i) ? 'right' : 'left')),
    ...(plain
      ? { chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '' } }
      : {}),
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}
