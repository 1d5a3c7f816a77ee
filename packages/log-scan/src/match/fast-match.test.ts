import { createFastMatcher } from './fast-match.js';
import { matchLineRaw } from './match-line.js';
import { HANDLED, mutations, OTHERS, REF } from '../../test/fixtures/auth-lines.js';

const P = 'Nov 19 10:00:01 web1';

const bytes = (line: string) => Buffer.from(line, 'utf8');

describe('createFastMatcher', () => {
  test.each(HANDLED.map((l) => [l]))('reads %j itself, as the matchers do', (line) => {
    const fast = createFastMatcher(REF);
    const b = bytes(line);
    const expected = matchLineRaw(line, REF);
    expect(expected).not.toBeNull();
    expect(fast(b, 0, b.length)).toEqual(expected);
  });

  test.each(OTHERS.map((l) => [l]))('leaves %j to the matchers or agrees with them', (line) => {
    const fast = createFastMatcher(REF);
    const b = bytes(line);
    const got = fast(b, 0, b.length);
    if (got !== undefined) expect(got).toEqual(matchLineRaw(line, REF));
  });

  test('reads lines inside a larger buffer, with the time cached across lines', () => {
    const fast = createFastMatcher(REF);
    const text = HANDLED.join('\n');
    const b = bytes(text);
    let start = 0;
    for (const line of HANDLED) {
      const end = start + Buffer.byteLength(line);
      expect(fast(b, start, end)).toEqual(matchLineRaw(line, REF));
      start = end + 1;
    }
  });

  test('keeps every distinct user name and address apart (names and tokens are interned by a hash of their bytes)', () => {
    const fast = createFastMatcher(REF);
    for (let i = 0; i < 3000; i++) {
      const line = `${P} sshd[1]: Failed password for invalid user u${i.toString(36)}x${i % 7} from 2001:db8::${(i % 500).toString(16)} port 22 ssh2`;
      const b = bytes(line);
      expect(fast(b, 0, b.length)).toEqual(matchLineRaw(line, REF));
    }
  });

  test('agrees with the matchers on 20000 seeded mutations of handled lines (inserted, deleted and replaced bytes)', () => {
    let answered = 0;
    for (const line of mutations(HANDLED, 20_000)) {
      const b = bytes(line);
      const got = createFastMatcher(REF)(b, 0, b.length);
      if (got === undefined) continue;
      answered++;
      expect([line, got]).toEqual([line, matchLineRaw(b.toString('utf8'), REF)]);
    }
    expect(answered).toBeGreaterThan(1000);
  });

  test('reads the time against its reference (no year: the one before when the line would be in the future)', () => {
    const line = bytes(`Dec 31 23:59:59 web1 sshd[1]: Invalid user a from 192.0.2.1`);
    expect(createFastMatcher(Date.parse('2025-01-01T12:00:00Z'))(line, 0, line.length)?.timeMs)
      .toBe(matchLineRaw(line.toString(), Date.parse('2025-01-01T12:00:00Z'))!.timeMs);
  });
});
