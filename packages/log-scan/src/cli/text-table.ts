/**
 * Plain columns (no borders), in time linear in the cells: each column as wide as its widest
 * cell (in UTF-16 units), two spaces between columns, the last column not padded. `alignRight`:
 * indexes of right-aligned columns (numbers). Cells must already be escaped.
 */
export function* textTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, alignRight: readonly number[] = []): Generator<string> {
  const widths = head.map((h) => h.length);
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) if (row[c]!.length > widths[c]!) widths[c] = row[c]!.length;
  }
  const right = head.map((_, c) => alignRight.includes(c));
  const last = head.length - 1;
  const line = (cells: readonly string[]) => {
    let text = '';
    for (let c = 0; c < last; c++) text += right[c] ? cells[c]!.padStart(widths[c]!) + '  ' : cells[c]!.padEnd(widths[c]! + 2);
    return `${text}${right[last] ? cells[last]!.padStart(widths[last]!) : cells[last]!}\n`;
  };
  yield line(head);
  for (const row of rows) yield line(row);
}
