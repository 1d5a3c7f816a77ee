import { textTable } from './text-table.js';

describe('textTable', () => {
  test('plain columns as wide as their widest cell, numbers right-aligned, the last column not padded', () => {
    const out = [...textTable(['IP', 'COUNT', 'USERS'], [['203.0.113.9', '5', 'root'], ['2001:db8::7', '1234', 'a']], [1])].join('');
    expect(out).toBe([
      'IP           COUNT  USERS',
      '203.0.113.9      5  root',
      '2001:db8::7   1234  a',
      '',
    ].join('\n'));
  });

  test('50,000 rows: one line each, every row as wide as the header says', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, String(50_000 - i), `u${i}`]);
    const lines = [...textTable(['IP', 'COUNT', 'USERS'], rows, [1])];
    expect(lines).toHaveLength(50_001);
    const usersAt = lines[0]!.indexOf('USERS');
    expect(lines.every((l, i) => i === 0 || l.slice(usersAt).startsWith('u'))).toBe(true);
  });
});
