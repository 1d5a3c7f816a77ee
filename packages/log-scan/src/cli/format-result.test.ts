import { formatResult } from './format-result.js';
import type { ScanResult } from '../results/scan-result.js';

const ip = (address: string, count: number) => ({ ip: address, count, users: ['root'], firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:00:01Z', kinds: { 'failed-password': count } });
const result: ScanResult = {
  ips: [ip('203.0.113.9', 5), ip('2001:db8::7', 3), ip('198.51.100.2', 1)],
  stats: { sources: 1, bytes: 900, lines: 12, matches: 9, seconds: 0.01, skippedLines: 0 },
  errors: [],
};

describe('formatResult with --top', () => {
  test.each<[string, number | undefined, number, string]>([
    ['text, top 2', 2, 2, 'failures from 3 IP(s) (top 2 shown)'],
    ['text, all', undefined, 3, 'failures from 3 IP(s) in'],
    ['text, top above the count', 10, 3, 'failures from 3 IP(s) in'],
  ])('%s', (_, top, rows, summary) => {
    const text = formatResult(result, 'text', top);
    expect(text).toContain(summary);
    expect(text.split('\n').filter((l) => /^\S+\s+\d+\s/.test(l))).toHaveLength(rows);
  });

  test('json keeps the contract and cuts the ips', () => {
    const parsed = JSON.parse(formatResult(result, 'json', 1)) as ScanResult;
    expect(parsed.ips.map((r) => r.ip)).toEqual(['203.0.113.9']);
    expect(parsed.stats.matches).toBe(9);
  });
});
