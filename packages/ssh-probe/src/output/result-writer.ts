import type { Writable } from 'node:stream';
import type { ProbeResult } from '../types.js';
import { formatCsvRow, formatJsonLine, formatTextResult, formatTextRow, RESULT_FIELDS, TEXT_HEAD, textWidths, type OutputFormat } from './format-results.js';
import { createTally, formatSummary, type Summary } from './tally.js';

export interface ResultWriterOptions {
  readonly format: OutputFormat;
  readonly out: Writable;
  /** Every entry's host and user, in inventory order (text column widths). */
  readonly entries: ReadonlyArray<{ host: string; user: string }>;
  /** Write unreachable hosts only (the summary still counts every host). Defaults to false. */
  readonly onlyFailed?: boolean;
  /** Write the counts by reason only, no per-host rows. Defaults to false. */
  readonly summaryOnly?: boolean;
}

/** Writes results as they come in and closes the document; what it wrote is valid at any point it stops. */
export interface ResultWriter {
  /** The result of inventory entry `index`. */
  write(index: number, result: ProbeResult): void;
  /** Writes what is left and closes the document (the JSON array, the text summary). */
  end(notes?: readonly string[]): Summary;
}

/**
 * Streams results: `jsonl` in completion order; `json`, `csv` and `text` in inventory order, each
 * result written as soon as those before it are (so a slow host holds back only the rows after it,
 * and only finished results are ever held). `end()` writes the held results in order, then closes
 * the JSON array or writes the text summary: after Ctrl-C the output is a valid, partial document.
 */
export function createResultWriter(o: ResultWriterOptions): ResultWriter {
  const tally = createTally();
  const widths = o.format === 'text' ? textWidths(o.entries) : [];
  const held = new Map<number, ProbeResult>();
  let nextIndex = 0;
  let written = 0;
  let ended = false;

  const emit = (r: ProbeResult) => {
    tally.add(r);
    if (o.summaryOnly || (o.onlyFailed && r.status === 'reachable')) return;
    if (o.format === 'jsonl') o.out.write(formatJsonLine(r));
    else if (o.format === 'json') o.out.write(`${written === 0 ? '' : ',\n'}  ${JSON.stringify(r)}`);
    else if (o.format === 'csv') o.out.write(formatCsvRow(r));
    else o.out.write(formatTextResult(r, widths));
    written++;
  };

  if (!o.summaryOnly) {
    if (o.format === 'json') o.out.write('[\n');
    else if (o.format === 'csv') o.out.write(RESULT_FIELDS.join(',') + '\n');
    else if (o.format === 'text') o.out.write(formatTextRow(TEXT_HEAD, widths));
  }

  return {
    write(index, result) {
      if (o.format === 'jsonl') return emit(result);
      held.set(index, result);
      for (let r = held.get(nextIndex); r; r = held.get(nextIndex)) {
        held.delete(nextIndex++);
        emit(r);
      }
    },
    end(notes = []) {
      const summary = tally.summary();
      if (ended) return summary;
      ended = true;
      for (const index of [...held.keys()].sort((a, b) => a - b)) emit(held.get(index)!);
      held.clear();
      const s = tally.summary();
      if (o.summaryOnly) {
        o.out.write(summaryDocument(o.format, s, notes));
      } else if (o.format === 'json') {
        o.out.write(written ? '\n]\n' : ']\n');
      } else if (o.format === 'text') {
        o.out.write(`\n${formatSummary(s, notes)}`);
      }
      return s;
    },
  };
}

function summaryDocument(format: OutputFormat, s: Summary, notes: readonly string[]): string {
  if (format === 'text') return formatSummary(s, notes);
  const object = { hosts: s.reachable + s.unreachable, reachable: s.reachable, unreachable: s.unreachable, byReason: Object.fromEntries(s.byReason) };
  if (format === 'json') return JSON.stringify(object, null, 2) + '\n';
  if (format === 'jsonl') return JSON.stringify(object) + '\n';
  return ['reason,count', `reachable,${s.reachable}`, ...s.byReason.map(([r, n]) => `${r},${n}`)].join('\n') + '\n';
}
