import { csvField } from '@ops/core';
import { formatSummary, summarize } from './tally.js';
import type { ProbeResult } from '../types.js';

export type OutputFormat = 'text' | 'json' | 'jsonl' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'jsonl', 'csv'];

/** Columns of the csv output, in the order of the JSON fields. */
export const RESULT_FIELDS = ['host', 'port', 'user', 'status', 'reason', 'stage', 'latencyMs', 'banner', 'hostKey', 'error'] as const;

/** One JSON line per result (the `jsonl` format, streamed as probes finish). */
export function formatJsonLine(result: ProbeResult): string {
  return JSON.stringify(result) + '\n';
}

/** A JSON array of the results, in inventory order. */
export function formatJson(results: readonly ProbeResult[]): string {
  return JSON.stringify(results, null, 2) + '\n';
}

/** A text field safe for a terminal: control characters (ESC, CR, BEL...) shown as `\xNN`. */
export function terminalSafe(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A CSV field a spreadsheet shows as text: a leading `=`, `+`, `-`, `@`, tab or CR is quoted away with `'`. */
function spreadsheetSafe(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV line of a result (RESULT_FIELDS order), formula-safe. */
export function formatCsvRow(result: ProbeResult): string {
  return RESULT_FIELDS.map((f) => csvField(spreadsheetSafe(result[f]))).join(',') + '\n';
}

export function formatCsv(results: readonly ProbeResult[]): string {
  return RESULT_FIELDS.join(',') + '\n' + results.map(formatCsvRow).join('');
}

/** Text columns: HOST, PORT, USER, STATUS, REASON, STAGE, MS, BANNER / ERROR. */
export const TEXT_HEAD = ['HOST', 'PORT', 'USER', 'STATUS', 'REASON', 'STAGE', 'MS', 'BANNER / ERROR'] as const;

function textCells(r: ProbeResult): string[] {
  return [r.host, String(r.port), r.user, r.status, r.reason ?? '', r.stage ?? '', String(r.latencyMs), r.status === 'reachable' ? (r.banner ?? '') : (r.error ?? '')].map(terminalSafe);
}

/** One text row with fixed column widths (so rows can be written as results come in). */
export function formatTextRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : i === 1 || i === 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n';
}

/** Column widths for an inventory, from its hosts and users (the other columns have known widths). */
export function textWidths(hosts: Iterable<{ host: string; user: string }>): number[] {
  let host = TEXT_HEAD[0].length;
  let user = TEXT_HEAD[2].length;
  for (const h of hosts) {
    host = Math.max(host, Math.min(h.host.length, 60));
    user = Math.max(user, Math.min(h.user.length, 32));
  }
  return [host, 5, user, 11, 11, 7, 6, 0];
}

/** A result as a text row. */
export function formatTextResult(r: ProbeResult, widths: readonly number[]): string {
  return formatTextRow(textCells(r), widths);
}

/** A table of every host, then a summary of the unreachable ones by reason. */
export function formatText(results: readonly ProbeResult[]): string {
  const widths = textWidths(results);
  const table = results.length ? formatTextRow(TEXT_HEAD, widths) + results.map((r) => formatTextResult(r, widths)).join('') : '';
  return `${table}\n${formatSummary(summarize(results))}`;
}
