import { HANDLED, mutations, OTHERS, REF, WASM_HANDLED, WASM_NEAR } from '../../test/fixtures/auth-lines.js';
import { matchLineRaw } from '../match/match-line.js';
import { ANCHORS } from '../matchers/all.js';
import { createCandidateFinder } from './candidate-lines.js';
import { FINGERPRINTS, fingerprintOf } from './fingerprints.js';

describe('SIMD candidate finder', () => {
  const finder = createCandidateFinder();
  const lines = (text: string) => {
    const found: Array<[number, number, number]> = [];
    const newlines = finder!.find(Buffer.from(text), (start, end, before) => found.push([start, end, before]));
    return { found, newlines };
  };

  test('is available on this Node', () => {
    expect(finder).not.toBeNull();
  });

  test.each(ANCHORS.map((a) => [a]))('anchor %j contains its fingerprint', (anchor) => {
    expect(anchor).toContain(fingerprintOf(anchor));
  });

  test.each(FINGERPRINTS.map((f) => [f]))('finds the line of %j at every alignment, with the newlines before it', (fp) => {
    for (let pad = 0; pad < 40; pad++) {
      const head = '\n'.repeat(pad % 3);
      const text = `${head}${'x'.repeat(pad)}${fp}yy\nnext line\n`;
      const line = text.indexOf('\n', head.length);
      expect(lines(text)).toEqual({ found: [[head.length, line, pad % 3]], newlines: pad % 3 + 2 });
    }
  });

  test('reports a line once however many fingerprints it holds, and a last line without a newline', () => {
    expect(lines('Failed Failed FUSE\nquiet\nFAIL LOGIN')).toEqual({ found: [[0, 18, 0], [25, 35, 2]], newlines: 2 });
  });

  test('drops near misses of the nibble tables (bytes that share nibbles with a fingerprint)', () => {
    expect(lines('Fbi Gai Fah fAi\nnothing here\n')).toEqual({ found: [], newlines: 2 });
  });

  test('counts newlines exactly over large inputs with more candidate lines than one call reports', () => {
    const text = `${'quiet line\nFailed Failed Failed\n'.repeat(20000)}tail`;
    const { found, newlines } = lines(text);
    expect(newlines).toBe(40000);
    expect(found).toHaveLength(20000);
    expect(found[12345]).toEqual([text.indexOf('Failed') + 12345 * 32, text.indexOf('Failed') + 12345 * 32 + 20, 2 * 12345 + 1]);
  });
});

// What events() gets for a line: the module's reading, else the matchers' (the same answer).
describe('the candidate finder\'s line reader', () => {
  const P = 'Nov 19 10:00:01 web1';
  const finder = createCandidateFinder(REF)!;
  const read = (line: string) => finder.read(Buffer.from(line));
  const handled = [...HANDLED, ...Object.values(WASM_HANDLED).flat()];

  test.each(handled.map((l) => [l]))('reads %j itself, as the matchers do', (line) => {
    const expected = matchLineRaw(line, REF);
    expect(expected).not.toBeNull();
    expect(read(line)).toEqual(expected);
    expect(read(`${line}\r`)).toEqual(expected);
  });

  test.each([...OTHERS, ...Object.values(WASM_NEAR).flat()].map((l) => [l]))('leaves %j to the matchers or agrees with them', (line) => {
    const got = read(line);
    if (got !== undefined) expect(got).toEqual(matchLineRaw(line, REF));
  });

  test('reads the candidate lines in place while finding them, the time cached across lines', () => {
    const text = handled.join('\n');
    const seen: unknown[] = [];
    finder.find(Buffer.from(text), (start, end) => seen.push(finder.readFound(start, end)));
    expect(seen).toEqual(handled.map((line) => matchLineRaw(line, REF)));
  });

  test('keeps every distinct user name and address apart', () => {
    for (let i = 0; i < 3000; i++) {
      const line = `${P} sshd[1]: Failed password for invalid user u${i.toString(36)}x${i % 7} from 2001:db8::${(i % 500).toString(16)} port 22 ssh2`;
      expect(read(line)).toEqual(matchLineRaw(line, REF));
    }
  });

  test('agrees with the matchers on 30000 seeded mutations of handled lines (inserted, deleted and replaced bytes)', () => {
    let answered = 0;
    for (const line of mutations(handled, 30_000, 4242)) {
      const got = read(line);
      if (got === undefined) continue;
      answered++;
      expect([line, got]).toEqual([line, matchLineRaw(Buffer.from(line).toString('utf8'), REF)]);
    }
    expect(answered).toBeGreaterThan(1500);
  });

  test('reads the time against its reference (no year: the one before when the line would be in the future)', () => {
    const reference = Date.parse('2025-01-01T12:00:00Z');
    const line = 'Dec 31 23:59:59 web1 sshd[1]: Invalid user a from 192.0.2.1';
    expect(createCandidateFinder(reference)!.read(Buffer.from(line))?.timeMs).toBe(matchLineRaw(line, reference)!.timeMs);
  });
});
