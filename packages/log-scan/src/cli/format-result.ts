import type { AuthFailureEvent } from '../match/auth-failure.js';
import type { IpRecord } from '../results/aggregate.js';
import type { ScanResult } from '../results/scan-result.js';
import { csvCell, csvList } from './csv-cell.js';
import { escapeText, jsonSafe } from './escape-text.js';
import { textTable } from './text-table.js';

export type OutputFormat = 'text' | 'json' | 'jsonl' | 'csv' | 'ips';
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'jsonl', 'csv', 'ips'];

const kindsText = (kinds: Record<string, number>) => Object.entries(kinds).map(([k, n]) => `${k}=${n}`).join(' ');

/**
 * A scan result in one of the output formats, as pieces of text made one after the other (write
 * them as they come: see writeChunks). `top`: only the first `top` addresses (0 or none: all).
 * Everything taken from a log is escaped: text and CSV cells as `\x1b` (escapeText), JSON with
 * `\u` escapes; CSV cells that would start a formula are neutralized.
 */
export function* formatResult(result: ScanResult, format: OutputFormat, top?: number): Generator<string> {
  const ips = top ? result.ips.slice(0, top) : result.ips;
  switch (format) {
    case 'json': {
      // One address a line: the same JSON value as before, in time linear in its size.
      yield JSON_HEAD;
      for (let i = 0; i < ips.length; i++) yield `${i ? ',' : ''}\n    ${jsonSafe(JSON.stringify(ips[i]))}`;
      yield jsonTail(ips.length, result);
      return;
    }
    case 'jsonl':
      for (const r of ips) yield jsonSafe(JSON.stringify(r)) + '\n';
      return;
    case 'ips':
      for (const r of ips) yield `${r.ip}\n`;
      return;
    case 'csv':
      yield 'ip,count,users,firstSeen,lastSeen,kinds\n';
      for (const r of ips) yield `${r.ip},${r.count},${csvList(r.users)},${r.firstSeen ?? ''},${r.lastSeen ?? ''},${csvCell(kindsText(r.kinds))}\n`;
      return;
    case 'text':
      yield* textResult(result, ips);
  }
}

/** The start of `--format json`, before the records of "ips" (each `\n    {...}`, `,` between them). */
export const JSON_HEAD = '{\n  "ips": [';

/** The end of `--format json`, after `count` records: the stats and errors. */
export function jsonTail(count: number, result: Pick<ScanResult, 'stats' | 'errors'>): string {
  const errors = result.errors.length ? `,\n  "errors": ${jsonSafe(JSON.stringify(result.errors))}` : '';
  return `${count ? '\n  ' : ''}],\n  "stats": ${JSON.stringify(result.stats)}${errors}\n}\n`;
}

function* textResult(result: ScanResult, ips: readonly IpRecord[]): Generator<string> {
  const { stats } = result;
  if (ips.length) {
    yield* textTable(['IP', 'COUNT', 'USERS', 'FIRST SEEN', 'LAST SEEN', 'KINDS'], ips.map((r) => [
      r.ip, String(r.count), abbreviate(r.users), r.firstSeen ?? '-', r.lastSeen ?? '-', escapeText(kindsText(r.kinds)),
    ]), [1]);
  } else {
    yield 'no failed authentication found\n';
  }
  const total = Math.max(stats.addresses ?? result.ips.length, result.ips.length);
  const more = total - ips.length;
  const shown = more > 0 ? `, the busiest ${ips.length} shown (${more} more: --top 0 lists all, --format json gives every field)` : '';
  yield `${stats.sources} source(s), ${stats.lines} lines, ${stats.bytes} bytes, ${stats.matches} failures from ${total} IP(s)${shown} in ${stats.seconds}s\n`;
}

/** The header of `--events --format csv`. */
export const EVENT_CSV_HEADER = 'source,line,ip,user,kind,time,repeat\n';

/** One event (for `--events`): text (escaped), jsonl, or csv (`repeat`: the count of a "message repeated N times" line, else 1). */
export function formatEvent(event: AuthFailureEvent, format: 'text' | 'jsonl' | 'csv'): string {
  if (format === 'csv') return `${csvCell(event.source)},${event.line},${event.ip},${csvCell(event.user)},${event.kind},${event.time ?? ''},${event.count}\n`;
  if (format === 'text') return `${escapeText(event.source)}:${event.line} ${event.time ?? '-'} ${event.ip} ${event.user === null ? '-' : escapeText(event.user)} ${event.kind}${event.count > 1 ? ` x${event.count}` : ''}\n`;
  const record = { source: event.source, line: event.line, ip: event.ip, user: event.user, kind: event.kind, time: event.time, ...(event.count > 1 ? { repeat: event.count } : {}) };
  return jsonSafe(JSON.stringify(record)) + '\n';
}

function abbreviate(users: readonly string[]): string {
  const shown = users.length <= 5 ? users : users.slice(0, 5);
  const text = shown.map(escapeText).join(',');
  return users.length <= 5 ? text : `${text},+${users.length - 5}`;
}
