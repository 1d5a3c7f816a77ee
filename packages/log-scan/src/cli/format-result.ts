import { renderTable, toCsv } from '@ops/core';
import type { AuthFailureEvent } from '../match/auth-failure.js';
import type { ScanResult } from '../results/scan-result.js';

export type OutputFormat = 'text' | 'json' | 'jsonl' | 'csv';
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'jsonl', 'csv'];

const kindsText = (kinds: Record<string, number>) => Object.entries(kinds).map(([k, n]) => `${k}=${n}`).join(' ');

/** Renders a scan result in one of the output formats, showing only the `top` IPs when given. */
export function formatResult(result: ScanResult, format: OutputFormat, top?: number): string {
  const { stats, errors } = result;
  const ips = top === undefined ? result.ips : result.ips.slice(0, top);
  switch (format) {
    case 'json':
      return JSON.stringify({ ips, stats, ...(errors.length ? { errors } : {}) }, null, 2) + '\n';
    case 'jsonl':
      return ips.map((r) => JSON.stringify(r) + '\n').join('');
    case 'csv':
      return toCsv(ips.map((r) => ({
        ip: r.ip, count: r.count, users: r.users.join(' '), firstSeen: r.firstSeen ?? '', lastSeen: r.lastSeen ?? '', kinds: kindsText(r.kinds),
      })), ['ip', 'count', 'users', 'firstSeen', 'lastSeen', 'kinds']);
    case 'text': {
      const table = ips.length
        ? renderTable(['IP', 'COUNT', 'USERS', 'FIRST SEEN', 'LAST SEEN', 'KINDS'], ips.map((r) => [
          r.ip, r.count, abbreviate(r.users), r.firstSeen ?? '-', r.lastSeen ?? '-', kindsText(r.kinds),
        ]), { alignRight: [1] })
        : 'no failed authentication found';
      const shown = ips.length < result.ips.length ? ` (top ${ips.length} shown)` : '';
      const summary = `${stats.sources} source(s), ${stats.lines} lines, ${stats.bytes} bytes, ${stats.matches} failures from ${result.ips.length} IP(s)${shown} in ${stats.seconds}s`;
      return `${table}\n${summary}\n`;
    }
  }
}

/** Renders one event (for `--events`). */
export function formatEvent(event: AuthFailureEvent, format: OutputFormat): string {
  const record = { source: event.source, line: event.line, ip: event.ip, user: event.user, kind: event.kind, time: event.time, ...(event.count > 1 ? { repeat: event.count } : {}) };
  if (format === 'text') return `${event.source}:${event.line} ${event.time ?? '-'} ${event.ip} ${event.user ?? '-'} ${event.kind}${event.count > 1 ? ` x${event.count}` : ''}\n`;
  return JSON.stringify(record) + '\n';
}

function abbreviate(users: readonly string[]): string {
  return users.length <= 5 ? users.join(',') : `${users.slice(0, 5).join(',')},+${users.length - 5}`;
}
