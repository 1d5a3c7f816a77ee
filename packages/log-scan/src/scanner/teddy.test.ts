import { ANCHORS } from '../matchers/all.js';
import { FINGERPRINTS, fingerprintOf } from './fingerprints.js';
import { createCandidateFinder } from './teddy.js';

describe('SIMD candidate finder', () => {
  const finder = createCandidateFinder();

  test('is available on this Node', () => {
    expect(finder).not.toBeNull();
  });

  test.each(ANCHORS.map((a) => [a]))('anchor %j contains its fingerprint', (anchor) => {
    expect(anchor).toContain(fingerprintOf(anchor));
  });

  test.each(FINGERPRINTS.map((f) => [f]))('finds %j at every alignment, with the newlines before it', (fp) => {
    for (let pad = 0; pad < 40; pad++) {
      const text = `${'\n'.repeat(pad % 3)}${'x'.repeat(pad)}${fp}yy\n`;
      const found: Array<[number, number]> = [];
      const newlines = finder!.find(Buffer.from(text), (offset, before) => found.push([offset, before]));
      expect(found).toContainEqual([text.indexOf(fp), pad % 3]);
      expect(newlines).toBe(pad % 3 + 1);
    }
  });

  test('counts newlines exactly over large inputs and handles many candidates', () => {
    const text = `${'Failed Failed Failed\n'.repeat(20000)}tail`;
    let candidates = 0;
    expect(finder!.find(Buffer.from(text), () => candidates++)).toBe(20000);
    expect(candidates).toBeGreaterThanOrEqual(60000);
  });
});
