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
