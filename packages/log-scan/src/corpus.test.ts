import { Readable } from 'node:stream';
import { events } from './events.js';
import { scan } from './scan.js';
import type { ScanOptions } from './scan-options.js';
import { streamSource } from './sources/stdin-source.js';
import { CORPUS, type Annotated } from '../test/fixtures/annotated-corpus.js';
import { REF } from '../test/fixtures/auth-lines.js';

const source = (lines: readonly Annotated[], name: string) => streamSource(Readable.from([Buffer.from(lines.map((l) => l.line).join('\n'))]), name);

interface Score { family: string; failures: number; found: number; falsePositives: string[]; missed: string[] }

// Recall: failed-login lines reported with their address; false positives: lines reported that
// record no failed login, or with another address.
async function score(family: string, lines: readonly Annotated[], options: ScanOptions = {}): Promise<Score> {
  const expected = (l: Annotated) => (options.suspicious ? l.ip ?? l.suspicious ?? null : l.ip);
  const seen = new Map<number, string>();
  for await (const e of events(source(lines, family), { referenceMs: REF, ...options })) seen.set(e.line, e.ip);
  const result: Score = { family, failures: 0, found: 0, falsePositives: [], missed: [] };
  lines.forEach((l, i) => {
    const want = expected(l);
    const got = seen.get(i + 1);
    if (want !== null) result.failures++;
    if (want !== null && got === want) result.found++;
    else if (want !== null) result.missed.push(`${l.line} (got ${got ?? 'nothing'})`);
    if (got !== undefined && got !== want) result.falsePositives.push(`${l.line} (got ${got})`);
  });
  return result;
}

const table = (scores: Score[]) => ['| family | failed-login lines | found with their address | recall | false positives |', '| --- | ---: | ---: | ---: | ---: |',
  ...scores.map((s) => `| ${s.family} | ${s.failures} | ${s.found} | ${((100 * s.found) / s.failures).toFixed(1)}% | ${s.falsePositives.length} |`)].join('\n');

describe('the annotated corpus (test/fixtures/annotated-corpus.ts)', () => {
  const families = Object.keys(CORPUS);

  test('every failed login is found with its address, nothing else (recall and false positives per family)', async () => {
    const scores = await Promise.all(families.map((f) => score(f, CORPUS[f]!)));
    const total: Score = { family: '**all**', failures: 0, found: 0, falsePositives: [], missed: [] };
    for (const s of scores) { total.failures += s.failures; total.found += s.found; total.falsePositives.push(...s.falsePositives); total.missed.push(...s.missed); }
    console.log(`${table([...scores, total])}\n\nmissed:\n${total.missed.join('\n') || '(none)'}`);
    for (const s of scores) {
      expect(s.falsePositives).toEqual([]);
      expect(s.found / s.failures).toBeGreaterThanOrEqual(0.95);
    }
    expect(total.missed).toEqual([]);
  });

  test('the suspicious pre-auth disconnects count only with `suspicious`', async () => {
    const withOption = await score('openssh', CORPUS.openssh!, { suspicious: true });
    expect(withOption.falsePositives).toEqual([]);
    expect(withOption.missed).toEqual([]);
    const suspicious = CORPUS.openssh!.filter((l) => l.suspicious).length;
    expect(withOption.failures).toBe(CORPUS.openssh!.filter((l) => l.ip).length + suspicious);
  });

  test.each(families)('scan() counts the %s lines as events() finds them (the fast path and sessions included)', async (family) => {
    const lines = CORPUS[family]!;
    const result = await scan([source(lines, family)], { referenceMs: REF });
    const want = new Map<string, number>();
    for (const l of lines) if (l.ip) want.set(l.ip, (want.get(l.ip) ?? 0) + (/message repeated (\d+) times/.exec(l.line) ? Number(/message repeated (\d+)/.exec(l.line)![1]) : 1));
    expect(Object.fromEntries(result.ips.map((r) => [r.ip, r.count]))).toEqual(Object.fromEntries(want));
  });
});
