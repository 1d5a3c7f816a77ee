import { renderTable, toCsv } from '@ops/core';
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

export function formatCsv(results: readonly ProbeResult[]): string {
  return toCsv(results as ProbeResult[], [...RESULT_FIELDS]);
}

/** Counts of unreachable hosts by reason (and stage for timeouts), largest first. */
export function summarize(results: readonly ProbeResult[]): { reachable: number; unreachable: number; byReason: Array<[string, number]> } {
  const byReason = new Map<string, number>();
  let reachable = 0;
  for (const r of results) {
    if (r.status === 'reachable') {
      reachable++;
      continue;
    }
    const key = r.reason === 'timeout' ? `timeout (${r.stage})` : String(r.reason);
    byReason.set(key, (byReason.get(key) ?? 0) + 1);
  }
  return { reachable, unreachable: results.length - reachable, byReason: [...byReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) };
}

/** A table of every host, then a summary of the unreachable ones by reason. */
export function formatText(results: readonly ProbeResult[]): string {
  const rows = results.map((r) => [r.host, r.port, r.user, r.status, r.reason ?? '', r.stage ?? '', r.latencyMs, r.status === 'reachable' ? (r.banner ?? '') : (r.error ?? '')]);
  const table = results.length ? renderTable(['HOST', 'PORT', 'USER', 'STATUS', 'REASON', 'STAGE', 'MS', 'BANNER / ERROR'], rows, { alignRight: [1, 6] }) + '\n' : '';
  const s = summarize(results);
  const head = `${results.length} host${results.length === 1 ? '' : 's'}: ${s.reachable} reachable, ${s.unreachable} unreachable`;
  const reasons = s.byReason.map(([reason, n]) => `  ${reason}: ${n}`).join('\n');
  return `${table}\n${head}${reasons ? `\nunreachable by reason:\n${reasons}` : ''}\n`;
}
