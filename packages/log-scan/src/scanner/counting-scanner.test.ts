import { HANDLED, MATCHING, mutations, NOT_MATCHING, OTHERS, REF, WASM_HANDLED, WASM_NEAR } from '../../test/fixtures/auth-lines.js';
import { classicStampMs } from '../match/parse-prefix.js';
import { MATCHERS } from '../matchers/all.js';
import { DEFAULT_MAX_USERS_PER_IP } from '../results/aggregate.js';
import { buildResult } from '../results/build-result.js';
import { createCountingScanner, type CountingScannerOptions } from './counting-scanner.js';
import { createScannerInstance, type ScannerExports } from './scanner-module.js';

const P = 'Nov 19 10:00:01 web1';

function count(text: string | Buffer, options: Partial<CountingScannerOptions> = {}, cuts: number[] = []) {
  const scanner = createCountingScanner({ maxLineBytes: 1 << 16, referenceMs: REF, ...options });
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    scanner.push(bytes.subarray(at, cut));
    at = cut;
  }
  scanner.end();
  const built = buildResult([scanner.drain()], { maxUsersPerIp: DEFAULT_MAX_USERS_PER_IP });
  return { ips: built.ips, matches: built.matches, stats: { ...scanner.stats } };
}

// The WebAssembly scanner must count exactly what the JavaScript scanner and aggregator count.
function expectSameAsJavaScript(text: string | Buffer, options: Partial<CountingScannerOptions> = {}, cuts: number[] = []) {
  const wasm = count(text, options, cuts);
  expect(wasm).toEqual(count(text, { ...options, wasm: false }, cuts));
  return wasm;
}

// The candidate lines the WebAssembly module hands to JavaScript (`slow_line`) when it scans
// text: a bare instance, set up as createCountingScanner sets it up, whose slow_line only records
// the line. What it does not return, the fast path decided in C.
function slowLines(text: string, referenceMs = REF): string[] {
  return bareScan(text, referenceMs).slow;
}

// What a bare instance hands to JavaScript: candidate lines (`slow_line`) and classic stamps it
// could not read itself (`stamp_ms`).
function bareScan(text: string, referenceMs = REF): { slow: string[]; stamps: string[] } {
  const slow: string[] = [];
  const stamps: string[] = [];
  const bytes = () => Buffer.from(wasm.memory.buffer);
  const year = new Date(referenceMs).getFullYear();
  const wasm: ScannerExports = createScannerInstance({
    stamp_ms: (at: number): number => {
      stamps.push(bytes().toString('latin1', at, at + 15));
      return classicStampMs(bytes().toString('latin1', at, at + 15), referenceMs) ?? NaN;
    },
    hour_ms: (month: number, day: number, hour: number, yearsBack: number) => new Date(year - yearsBack, month, day, hour).getTime(),
    slow_line: (start: number, end: number) => { slow.push(bytes().toString('utf8', start, end)); },
    out_of_memory: () => { throw new Error('out of memory'); },
    export_out: () => { throw new Error('no export in these tests'); },
  })!;
  wasm.configure(-Infinity, Infinity, 1000, 1 << 16, referenceMs);
  const input = Buffer.from(text);
  const at = wasm.input(0, input.length);
  bytes().set(input, at);
  wasm.scan(at, at + input.length);
  return { slow, stamps };
}

// Every address form the fast path reads or leaves to normalizeIp.
const ADDRESSES = [
  '203.0.113.7', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3',
  '2001:db8::1', '2001:DB8::A', '2001:0db8:0000:0000:0000:0000:0000:0001', '::', '::1', '1::', '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::3:4:5:6:7:8', '1:0:0:1:0:0:0:1', '1:0:0:2:0:0:3:4', '0:0:1::',
  '::ffff:192.0.2.1', '::FFFF:c000:0201', '::192.0.2.1', '1:2:3:4:5:6:192.0.2.1', '1:2:3:4:5:6:7:192.0.2.1',
  '::ffff:01.2.3.4', ':1', '1:', ':::', '1:::2', '1::2::3', '12345::1', 'abcd', 'fe80::1', '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '0:0:0:0:0:0:0:0', '0::0', 'a:b:c:d:e:f:0:0',
];

describe('createCountingScanner', () => {
  test('numbers the matchers as wasm/scanner.c does', () => {
    expect([0, 1, 2, 3, 4, 7, 9, 10].map((k) => MATCHERS[k]!.kind)).toEqual([
      'sshd-failed-password', 'sshd-failed-publickey', 'sshd-failed-keyboard-interactive', 'sshd-failed-none',
      'sshd-invalid-user', 'sshd-max-auth-attempts', 'sshd-preauth-disconnect', 'pam-unix-auth-failure',
    ]);
  });

  test('decides the fast-path lines in WebAssembly (none comes back to JavaScript), near misses go back', () => {
    const handled = [...HANDLED, ...Object.values(WASM_HANDLED).flat()];
    expect(slowLines(handled.join('\n'))).toEqual([]);
    expect(slowLines(handled.join('\r\n'))).toEqual([]);
    const near = Object.values(WASM_NEAR).flat();
    // (most near misses are candidate lines it leaves; a few hold no anchor or are read exactly)
    expect(slowLines(near.join('\n')).length).toBeGreaterThan(near.length * 0.8);
    // The hook sees what the fast path leaves: a line it cannot read does come back.
    expect(slowLines(`${P} sshd[1]: Failed password for root from [2001:db8::1] port 22 ssh2`)).toHaveLength(1);
  });

  test.each(Object.keys(WASM_HANDLED) as Array<keyof typeof WASM_HANDLED>)('counts the %s lines and their near misses as the matchers do', (form) => {
    const lines = [...WASM_HANDLED[form], ...WASM_NEAR[form]];
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.ips.length).toBeGreaterThanOrEqual(new Set(WASM_HANDLED[form].map((l) => /(?:from|rhost=|user \S+) (\S+)(?: port|$|\])/.exec(l)?.[1])).size - 3);
    expect(r.matches).toBeGreaterThanOrEqual(WASM_HANDLED[form].length);
  });

  // (Apache's near misses outnumber its handled lines four to one, and most of them match nothing.)
  test.each([['repeated', 101, 4000], ['methods', 202, 4000], ['iso', 303, 4000], ['apache', 404, 2000]] as const)('agrees with the JavaScript scanner on 20000 seeded mutations of the %s lines', (form, seed, minMatches) => {
    const lines = mutations([...WASM_HANDLED[form], ...WASM_NEAR[form]], 20_000, seed);
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.matches).toBeGreaterThan(minMatches);
    // Many mutations of a handled line keep its form: the fast path decides them itself.
    // (about one in ten: most edits break the fixed words, as for the mutations of HANDLED).
    const kept = mutations(WASM_HANDLED[form], 5000, seed);
    expect(slowLines(kept.join('\n')).length).toBeLessThan(kept.length - 300);
  });

  test('reads RFC 3339 stamps as Date.parse does (fraction cut to ms, offsets, impossible dates left to JavaScript)', () => {
    let state = 5;
    const rnd = (n: number) => { state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff; return (state >>> 8) % n; };
    const pick = <T>(list: readonly T[]) => list[rnd(list.length)]!;
    const two = (n: number) => String(n).padStart(2, '0');
    const offsets = ['Z', '+01:00', '+0100', '-05:30', '-0930', '+14:00', '+23:59', '+24:00', '-00:00', '+00:60', '', '+01:0', 'z'];
    const lines = Array.from({ length: 20_000 }, (_, i) => {
      const year = pick([1969, 1970, 2000, 2023, 2024, 2100, 2400, 9999]);
      const frac = pick(['', '', '.1', '.12', '.123', '.123456', '.999999999', '.']);
      const stamp = `${year}-${two(rnd(14))}-${two(rnd(33))}${pick(['T', 'T', 'T', ' '])}${two(rnd(25))}:${two(rnd(61))}:${two(rnd(61))}${frac}${pick(offsets)}`;
      return `${stamp} web1 sshd[1]: Invalid user u from 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} port 22`;
    });
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.ips.length).toBeGreaterThan(4000);
    expect(slowLines(lines.join('\n')).length).toBeLessThan(lines.length * 0.9);
    const sinceMs = Date.parse('2024-01-01T00:00:00Z');
    expectSameAsJavaScript(lines.join('\n'), { sinceMs, untilMs: sinceMs + 366 * 86_400_000 });
  });

  test('counts the matcher table as the matchers do', () => {
    const lines = [...MATCHING.map(([line]) => line), ...NOT_MATCHING, ...HANDLED, ...OTHERS, ...Object.values(WASM_HANDLED).flat(), ...Object.values(WASM_NEAR).flat()];
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.ips.length).toBeGreaterThan(40);
    expect(r.stats.lines).toBe(lines.length);
  });

  test('reads every address form as normalizeIp does, in each line shape of the fast path', () => {
    const shapes = [
      (ip: string) => `${P} sshd[1]: Failed password for root from ${ip} port 22 ssh2`,
      (ip: string) => `${P} sshd[1]: Invalid user bob from ${ip} port 22`,
      (ip: string) => `${P} sshd[1]: Connection closed by invalid user bob ${ip} port 22 [preauth]`,
      (ip: string) => `${P} sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 rhost=${ip}  user=root`,
    ];
    const lines = shapes.flatMap((shape) => ADDRESSES.map(shape));
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.ips.map((e) => e.ip)).toEqual(expect.arrayContaining(['2001:db8::1', '2001:db8::a', '::', '192.0.2.1', '1:0:0:1::1', '1::2:0:0:3:4', '::c000:201']));
  });

  test('reads 20000 seeded random address-like tokens as normalizeIp does', () => {
    const groups = ['0', '0', '0', '1', 'ff', 'FFFF', 'abcd', '0db8', '00000', '12345', 'g', ''];
    const tails = ['192.0.2.1', '01.2.3.4', '1.2.3', '255.255.255.255'];
    let state = 99;
    const rnd = (n: number) => { state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff; return (state >>> 8) % n; };
    const lines = Array.from({ length: 20_000 }, () => {
      const parts = Array.from({ length: 1 + rnd(8) }, () => groups[rnd(groups.length)]!);
      if (rnd(3) === 0) parts.push(tails[rnd(tails.length)]!);
      if (rnd(4) !== 0) parts.splice(rnd(parts.length + 1), 0, '');
      if (rnd(8) === 0) parts.splice(rnd(parts.length + 1), 0, '');
      const token = parts.join(':');
      return `${P} sshd[1]: Failed password for root from ${token} port 22 ssh2`;
    });
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.ips.length).toBeGreaterThan(500);
  });

  test('agrees with the JavaScript scanner on 30000 seeded mutations of failure lines', () => {
    const lines = mutations([...HANDLED, ...MATCHING.map(([line]) => line)], 30_000, 777);
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.matches).toBeGreaterThan(8000);
  });

  test('keeps users in first-seen order across fast and slow lines, and caps nothing below 1000', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const user = `u${i % 1200}`;
      lines.push(i % 3 === 0
        ? `${P} sshd[1]: Failed password for ${user} from [203.0.113.1] port 22 ssh2` // brackets: the matchers read it
        : `${P} sshd[1]: Failed password for ${user} from 203.0.113.1 port 22 ssh2`);
    }
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.ips[0]!.users).toHaveLength(1000);
    expect(r.ips[0]!.users.slice(0, 3)).toEqual(['u0', 'u1', 'u2']);
  });

  test('gives the same counts whatever the chunk boundaries', () => {
    const text = [...HANDLED, ...MATCHING.map(([line]) => line)].join('\r\n');
    const whole = expectSameAsJavaScript(text);
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut += 37) expect(count(bytes, {}, [cut])).toEqual(whole);
    expect(count(bytes, {}, Array.from({ length: 200 }, (_, k) => k * 7))).toEqual(whole);
  });

  test('keeps only failures inside --since/--until', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `Nov 19 10:${String(i % 60).padStart(2, '0')}:00 web1 sshd[1]: Invalid user u${i} from 192.0.2.${i} port 22`);
    lines.push('Failed password for root from 192.0.2.250 port 22 ssh2'); // no time: dropped with a bound
    const sinceMs = Date.parse('2024-11-19T10:10:00Z');
    const untilMs = Date.parse('2024-11-19T10:20:00Z');
    const r = expectSameAsJavaScript(lines.join('\n'), { sinceMs, untilMs });
    expect(r.matches).toBe(20);
    expect(r.ips.every((e) => Date.parse(e.firstSeen!) >= sinceMs && Date.parse(e.lastSeen!) < untilMs)).toBe(true);
  });

  test('reads classic stamps as the matchers do: the year before the reference when a day ahead, odd forms left to JavaScript', () => {
    const stamps = ['Dec 31 23:59:59', 'Jan  1 00:00:01', 'Jan  2 12:00:00', 'Jan  3 12:00:00', 'Jan  1 25:61:61', 'Jan 1  00:00:00', 'jan 01 00:00:00', 'Feb 29 10:00:00', 'Jan 01 0a:00:00'];
    const lines = stamps.map((stamp, i) => `${stamp} web1 sshd[1]: Invalid user u${i} from 192.0.2.${i} port 22`);
    const r = expectSameAsJavaScript(lines.join('\n'), { referenceMs: Date.parse('2025-01-01T12:00:00') });
    const seen = (ip: string) => r.ips.find((e) => e.ip === ip)?.firstSeen;
    expect(new Date(seen('192.0.2.0')!).getFullYear()).toBe(2024); // Dec 31: last year
    expect(new Date(seen('192.0.2.2')!).getFullYear()).toBe(2025); // Jan 2: within a day ahead
    expect(new Date(seen('192.0.2.3')!).getFullYear()).toBe(2024); // Jan 3: more than a day ahead
  });

  test('reads every strict classic stamp itself (JavaScript gets only the odd forms)', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    const strict = Array.from({ length: 24 * 60 }, (_, i) => `Nov ${i % 2 ? ' 9' : '19'} ${two(i % 24)}:${two(i % 60)}:${two((i * 7) % 60)}`);
    const odd = ['Nov 1  00:00:00', 'Nov 19 0a:00:00'];
    const lines = [...strict, ...odd].map((stamp, i) => `${stamp} web1 sshd[1]: Invalid user u from 10.0.${i >> 8}.${i & 255} port 22`);
    expect(bareScan(lines.join('\n')).stamps).toEqual(odd);
    expectSameAsJavaScript(lines.join('\n'));
  });

  test('counts many distinct addresses and users (tables grow) exactly', () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => i % 2
      ? `${P} sshd[1]: Invalid user n${i % 4999} from 2001:db8::${(i % 20011).toString(16)} port 22`
      : `${P} sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 rhost=10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} user=x${i % 77}`);
    const r = expectSameAsJavaScript(lines.join('\n'));
    expect(r.ips.length).toBeGreaterThan(30_000);
  });

  test('skips an over-long line and counts the lines around it', () => {
    const text = `Invalid user a from 192.0.2.1\n${'x'.repeat(5000)}\nInvalid user b from 192.0.2.2\n`;
    const r = expectSameAsJavaScript(text, { maxLineBytes: 1000 }, [10, 2000, 4000]);
    expect(r.stats).toEqual({ bytes: Buffer.byteLength(text), lines: 3, skippedLines: 1 });
    expect(r.matches).toBe(2);
  });
  test('gives address-less sshd lines the address of their session (host and pid), from fast-path and JavaScript lines alike', () => {
    const lines = [
      `${P} sshd[10]: Failed password for root from 203.0.113.70 port 1 ssh2`, // fast path
      `${P} sshd[11]: Failed password for root from [2001:db8::71] port 1 ssh2`, // JavaScript (brackets)
      `${P} sshd[12]: Failed hostbased for dan from 203.0.113.72 port 1 ssh2: RSA SHA256:x, client user "dan", client host "h"`,
      'Nov 19 10:00:02 web2 sshd[10]: Failed password for root from 203.0.113.73 port 1 ssh2',
      `${P} sshd[10]: Disconnecting: Too many authentication failures [preauth]`,
      `${P} sshd[11]: Disconnecting: Too many authentication failures for root [preauth]`,
      `${P} sshd[12]: error: maximum authentication attempts exceeded for dan [preauth]`,
      'Nov 19 10:00:03 web2 sshd[10]: message repeated 2 times: [ Disconnecting: Too many authentication failures [preauth]]',
      `${P} sshd[13]: Disconnecting: Too many authentication failures [preauth]`, // no session
      'Nov 19 11:00:03 web1 sshd[10]: Disconnecting: Too many authentication failures [preauth]', // an hour later
      `${P} sshd[14]: Connection closed by authenticating user x 203.0.113.74 port 1 [preauth]`, // suspicious: not counted, remembered
      `${P} sshd[14]: Disconnecting: Too many authentication failures [preauth]`,
    ];
    const kinds = ['sshd-failed-password', 'sshd-failed-hostbased', 'sshd-max-auth-attempts'];
    const r = expectSameAsJavaScript(lines.join('\n'), { kinds });
    expect(Object.fromEntries(r.ips.map((e) => [e.ip, e.kinds]))).toEqual({
      '203.0.113.70': { 'sshd-failed-password': 1, 'sshd-max-auth-attempts': 1 },
      '2001:db8::71': { 'sshd-failed-password': 1, 'sshd-max-auth-attempts': 1 },
      '203.0.113.72': { 'sshd-failed-hostbased': 1, 'sshd-max-auth-attempts': 1 },
      '203.0.113.73': { 'sshd-failed-password': 1, 'sshd-max-auth-attempts': 2 },
      '203.0.113.74': { 'sshd-max-auth-attempts': 1 },
    });
  });

  test('counts only the kinds asked for, in the fast path and in JavaScript alike', () => {
    const lines = [...HANDLED, ...MATCHING.map(([line]) => line), ...OTHERS];
    for (const kinds of [[], ['sshd-failed-password'], ['sshd-invalid-user', 'apache-auth-failure', 'sshd-preauth-disconnect'], MATCHERS.map((m) => m.kind).filter((k) => k !== 'pam-unix-auth-failure')]) {
      const r = expectSameAsJavaScript(lines.join('\n'), { kinds });
      expect(new Set(r.ips.flatMap((e) => Object.keys(e.kinds)))).toEqual(new Set(kinds.filter((k) => lines.some((l) => MATCHING.some(([m, , , kind]) => m === l && kind === k)))));
    }
  });
});
