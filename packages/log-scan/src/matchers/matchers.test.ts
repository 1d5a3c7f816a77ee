import { readFileSync } from 'node:fs';
import { matchLine } from '../match/match-line.js';
import { MATCHERS } from './all.js';
import { MATCHING, NOT_MATCHING, REF } from '../../test/fixtures/auth-lines.js';

const P = 'Nov 19 10:00:01 web1';

describe('matchLine', () => {
  test.each(MATCHING)('%s', (line, ip, user, kind) => {
    expect(matchLine(line, { referenceMs: REF })).toMatchObject({ ip, user, kind });
  });

  test.each(NOT_MATCHING.map((l) => [l]))('does not match %j', (line) => {
    expect(matchLine(line, { referenceMs: REF })).toBeNull();
  });

  test.each(MATCHERS.map((m) => [m.kind, m.example]))('%s matches its documented example', (kind, example) => {
    expect(matchLine(example)?.kind).toBe(kind);
  });

  test('counts "message repeated N times" N times', () => {
    expect(matchLine(`${P} sshd[1]: message repeated 7 times: [ Failed password for root from 203.0.113.8 port 1 ssh2]`)?.count).toBe(7);
  });

  test('the README table documents every matcher: key, description, example', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const m of MATCHERS) {
      expect(readme).toContain(`| \`${m.kind}\` | ${m.class ?? 'failure'} | ${m.description} | \`${m.example.replaceAll('|', '\\|')}\` |`);
    }
  });

  test('every matcher has a kind unique among matchers', () => {
    expect(new Set(MATCHERS.map((m) => m.kind)).size).toBe(MATCHERS.length);
  });
});
