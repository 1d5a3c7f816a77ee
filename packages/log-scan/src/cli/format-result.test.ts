import { formatEvent, formatResult } from './format-result.js';
import type { ScanResult } from '../results/scan-result.js';
import type { AuthFailureEvent } from '../match/auth-failure.js';

const ip = (address: string, count: number, users = ['root']) => ({ ip: address, count, users, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:01Z', kinds: { 'failed-password': count } });
const result: ScanResult = {
  ips: [ip('203.0.113.9', 5), ip('2001:db8::7', 3), ip('198.51.100.2', 1)],
  stats: { sources: 1, bytes: 900, lines: 12, matches: 9, addresses: 3, seconds: 0.01, skippedLines: 0 },
  errors: [],
};
const text = (r: ScanResult, format: Parameters<typeof formatResult>[1], top?: number) => [...formatResult(r, format, top)].join('');

// What a hostile log can put in a user name: a window title, a screen clear, C1 CSI, a bidi
// override, a spreadsheet formula, invalid UTF-8 (a lone surrogate from decodeBytes).
const HOSTILE = ['\u001b]0;pwned\u0007\u001b[2J', '=HYPERLINK("http://x","y")', '\u009b31m', 'a\u202eb', 'bad\udcffbyte', 'a b', 'x\\y', '+1', '-2', '@SUM(1)', '\tt', '\rr'];

// Raw control characters, C1, the bidi override, or a lone surrogate: what must not reach a terminal.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]|[\udc00-\udfff](?<![\ud800-\udbff][\udc00-\udfff])/;

describe('formatResult', () => {
  test.each<[string, number | undefined, number, string]>([
    ['text, top 2', 2, 2, 'failures from 3 IP(s), the busiest 2 shown (1 more: --top 0 lists all, --format json gives every field)'],
    ['text, all', undefined, 3, 'failures from 3 IP(s) in'],
    ['text, top above the count', 10, 3, 'failures from 3 IP(s) in'],
  ])('%s', (_, top, rows, summary) => {
    const out = text(result, 'text', top);
    expect(out).toContain(summary);
    expect(out.split('\n').filter((l) => /^\S+\s+\d+\s/.test(l))).toHaveLength(rows);
  });

  test('the summary counts the addresses the scan did not make records for (scan with top)', () => {
    const cut: ScanResult = { ...result, ips: result.ips.slice(0, 1), stats: { ...result.stats, addresses: 50_000 } };
    expect(text(cut, 'text')).toContain('failures from 50000 IP(s), the busiest 1 shown (49999 more: --top 0 lists all');
  });

  test('json is the same value as JSON.stringify of the result, one address a line', () => {
    for (const r of [result, { ...result, ips: [] }, { ...result, errors: [{ source: 'a', byteOffset: 1, code: 'X', message: 'm' }] }]) {
      const out = text(r, 'json');
      expect(JSON.parse(out)).toEqual({ ips: r.ips, stats: r.stats, ...(r.errors.length ? { errors: r.errors } : {}) });
    }
    expect(text(result, 'json').split('\n').filter((l) => l.startsWith('    {"ip"'))).toHaveLength(3);
    expect((JSON.parse(text(result, 'json', 1)) as ScanResult).ips.map((r) => r.ip)).toEqual(['203.0.113.9']);
  });

  test('ips: one address a line, busiest first, nothing else', () => {
    expect(text(result, 'ips')).toBe('203.0.113.9\n2001:db8::7\n198.51.100.2\n');
    expect(text(result, 'ips', 1)).toBe('203.0.113.9\n');
  });

  test('text escapes every control character and invalid byte from a log, keeps emoji', () => {
    const hostile: ScanResult = { ...result, ips: [{ ...ip('203.0.113.9', 5, HOSTILE.slice(0, 5)), kinds: { 'k\u001b[2J': 1 } }, ip('198.51.100.1', 1, ['😀', 'ü'])] };
    const out = text(hostile, 'text', 0);
    expect(out).not.toMatch(RAW);
    expect(out).toContain('\\x1b]0;pwned\\x07\\x1b[2J,=HYPERLINK("http://x","y"),\\x9b31m,a\\u202eb,bad\\xffbyte');
    expect(out).toContain('k\\x1b[2J=1');
    expect(out).toContain('😀,ü');
  });

  test('json and jsonl escape DEL, C1 and bidi controls too (the same JSON value)', () => {
    const hostile: ScanResult = { ...result, ips: [ip('203.0.113.9', 5, HOSTILE)] };
    for (const format of ['json', 'jsonl'] as const) {
      const out = text(hostile, format);
      expect(out).not.toMatch(RAW);
      expect(out).toContain('bad\\udcffbyte');
      const users = format === 'json' ? (JSON.parse(out) as ScanResult).ips[0]!.users : (JSON.parse(out) as { users: string[] }).users;
      expect(users).toEqual(HOSTILE);
    }
  });

  test('csv: users as one JSON-array cell, formulas neutralized, control characters escaped', () => {
    const hostile: ScanResult = { ...result, ips: [{ ...ip('203.0.113.9', 5, HOSTILE), kinds: { '=cmd': 1 } }] };
    const [header, row, end] = text(hostile, 'csv').split('\n');
    expect(header).toBe('ip,count,users,firstSeen,lastSeen,kinds');
    expect(end).toBe('');
    expect(row).not.toMatch(RAW);
    const cells = parseCsvRow(row!);
    expect(cells).toHaveLength(6);
    expect(JSON.parse(cells[2]!)).toEqual(HOSTILE);
    expect(cells[5]).toBe("'=cmd=1");
  });
});

describe('formatEvent', () => {
  const event = (user: string | null, count = 1): AuthFailureEvent => ({ source: '/var/log/auth.log', line: 7, ip: '203.0.113.9', user, kind: 'sshd-invalid-user', time: '2026-01-01T00:00:00.000Z', count });

  test('text escapes the user and the source', () => {
    expect(formatEvent({ ...event('\u001b]0;x\u0007'), source: 'a\u001bb' }, 'text')).toBe('a\\x1bb:7 2026-01-01T00:00:00.000Z 203.0.113.9 \\x1b]0;x\\x07 sshd-invalid-user\n');
    expect(formatEvent(event(null, 3), 'text')).toBe('/var/log/auth.log:7 2026-01-01T00:00:00.000Z 203.0.113.9 - sshd-invalid-user x3\n');
  });

  test.each(HOSTILE.filter((u) => /^[=+\-@\t\r]/.test(u)))('csv neutralizes a user starting a formula: %j', (user) => {
    const cells = parseCsvRow(formatEvent(event(user), 'csv').trimEnd());
    expect(cells[3]).toMatch(/^('[=+\-@]|\\x0[9d])/);
  });

  test('csv gets the repeat count', () => {
    expect(formatEvent(event('root', 5), 'csv')).toBe('/var/log/auth.log,7,203.0.113.9,root,sshd-invalid-user,2026-01-01T00:00:00.000Z,5\n');
    expect(formatEvent(event('a,b'), 'csv')).toBe('/var/log/auth.log,7,203.0.113.9,"a,b",sshd-invalid-user,2026-01-01T00:00:00.000Z,1\n');
  });
});

// RFC 4180 fields of one row.
function parseCsvRow(row: string): string[] {
  const cells: string[] = [];
  for (let i = 0; i <= row.length;) {
    if (row[i] === '"') {
      let cell = '';
      for (i++; ; i++) {
        if (row[i] === '"' && row[i + 1] === '"') { cell += '"'; i++; } else if (row[i] === '"') { i++; break; } else cell += row[i];
      }
      cells.push(cell);
      i++;
    } else {
      const end = row.indexOf(',', i) === -1 ? row.length : row.indexOf(',', i);
      cells.push(row.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}
