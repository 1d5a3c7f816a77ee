import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { makeTempDir } from '@ops/testkit';
import { formatResult, JSON_HEAD, jsonTail } from './cli/format-result.js';
import { DEFAULT_MAX_USERS_PER_IP } from './results/aggregate.js';
import { buildResult } from './results/build-result.js';
import { scan } from './scan.js';
import type { ScanOptions } from './scan-options.js';
import { scanToJson } from './scan-to-json.js';
import { createCountingScanner } from './scanner/counting-scanner.js';
import { streamSource } from './sources/stdin-source.js';
import { CORPUS } from '../test/fixtures/annotated-corpus.js';
import { MATCHING, REF } from '../test/fixtures/auth-lines.js';

// User names JSON and a terminal must not take raw: quotes, backslashes, C0 and C1 controls,
// DEL, bidirectional controls, line separators, invalid UTF-8 (bytes as lone surrogates), a cut
// sequence, and characters that need no escape (é, an emoji).
const NASTY: Buffer[] = [
  Buffer.from('a"b'), Buffer.from('back\\slash'), Buffer.from('\x1b]0;owned\x07\x1b[2J'), Buffer.from('\x7fdel'),
  Buffer.from('c1\u0085\u009b'), Buffer.from('rtl\u202eevil'), Buffer.from('ls\u2028ps\u2029'), Buffer.from('alm\u061c'),
  Buffer.from('lrm\u200e\u200f\u2066\u2069'), Buffer.from('caf\u00e9'), Buffer.from('smile\u{1f600}'), Buffer.of(0x78, 0xff, 0xfe, 0x79),
  Buffer.of(0x63, 0x75, 0x74, 0xc3), Buffer.of(0xed, 0xa0, 0x80), Buffer.of(0xf4, 0x90, 0x80, 0x80), Buffer.from('=HYPERLINK("x")'), Buffer.from('\x01\x08\x0c\x1f'),
];

/** A log: the table lines, the corpus, nasty user names over a few addresses, repeats. */
function log(): Buffer {
  const lines: Buffer[] = [...MATCHING.map(([line]) => Buffer.from(line)), ...Object.values(CORPUS).flat().map((l) => Buffer.from(l.line))];
  for (let i = 0; i < 400; i++) {
    const ip = i % 5 === 0 ? `2001:db8::${i % 7}` : `198.51.100.${i % 11}`;
    const user = NASTY[(i * 7) % NASTY.length]!;
    lines.push(Buffer.concat([Buffer.from(`Nov 19 10:${String(i % 60).padStart(2, '0')}:01 web1 sshd[${i}]: Failed password for invalid user `), user, Buffer.from(` from ${ip} port 22 ssh2`)]));
    lines.push(Buffer.concat([Buffer.from(`Nov 19 10:00:0${i % 10} web1 nginx: 2024/11/19 10:00:01 [error] 1#1: *${i} user "`), user, Buffer.from(`": password mismatch, client: 203.0.113.${i % 3}, server: x, request: "GET / HTTP/1.1", host: "x"`)]));
  }
  lines.push(Buffer.from('{"message":"Failed password for root from 192.0.2.99 port 22 ssh2","program":"sshd"}'));
  return Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
}

const masked = (json: string) => json.replace(/"seconds":[0-9.]+/, '"seconds":0');

function collector(): { out: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const out = new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(Buffer.from(chunk)); done(); } });
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('the JSON records written by the WebAssembly module', () => {
  const bytes = log();

  // The records of the module's tables (written `bytes` at a time) next to formatResult's text of the same counts.
  function bothTexts(log: Buffer, options: { top?: number; minFailures?: number }, bytes: number) {
    const scanner = createCountingScanner({ maxLineBytes: 1 << 16, referenceMs: REF });
    scanner.push(log);
    scanner.end();
    const records = scanner.jsonRecords(options);
    expect(records).not.toBeNull(); // (WebAssembly SIMD: Node 20 and later)
    const pieces: string[] = [];
    for (let chunk = records!.next(bytes); chunk; chunk = records!.next(bytes)) pieces.push(chunk.toString('utf8'));
    const built = buildResult([scanner.drain()], { ...options, maxUsersPerIp: DEFAULT_MAX_USERS_PER_IP });
    const result = { ips: built.ips, stats: { sources: 1, bytes: 0, lines: 0, matches: built.matches, addresses: built.addresses, seconds: 0, skippedLines: 0 }, errors: [] };
    expect({ count: records!.count, matches: records!.matches, addresses: records!.addresses }).toEqual({ count: built.ips.length, matches: built.matches, addresses: built.addresses });
    return { written: JSON_HEAD + pieces.join('') + jsonTail(records!.count, result), formatted: [...formatResult(result, 'json')].join(''), built, pieces };
  }

  test.each([[{}], [{ top: 3 }], [{ minFailures: 40 }], [{ top: 1, minFailures: 2 }], [{ minFailures: 100000 }]])('are the bytes formatResult writes for the same counts (%j)', (options) => {
    const { written, formatted, built } = bothTexts(bytes, options, 64);
    expect(written).toBe(formatted);
    if (!('minFailures' in options)) expect(built.ips.some((r) => r.users.some((u) => /[\u0085\u202e\u2028\udcff"\\]/.test(u)))).toBe(true);
  });

  test('a record larger than the area it is written in, and times over three centuries', () => {
    // One address with 1,350 users of 68 bytes (1,000 listed: about 70 kB of record), a few
    // others; a failure every 90 days from 1969 on.
    const day = Date.UTC(1969, 11, 31, 23, 59, 59, 999);
    const lines = Array.from({ length: 1500 }, (_, i) => `${new Date(day + i * 7_777_777_777).toISOString()} web1 sshd[1]: Failed password for invalid user ${'u'.repeat(64)}${i} from 192.0.2.${i % 10 === 0 ? 1 + (i % 7) : 0} port 22 ssh2\n`);
    const { written, formatted, built, pieces } = bothTexts(Buffer.from(lines.join('')), {}, 4096);
    expect(written).toBe(formatted);
    expect(built.ips.find((r) => r.ip === '192.0.2.0')!.users.length).toBe(DEFAULT_MAX_USERS_PER_IP);
    expect(Math.max(...built.ips.map((r) => JSON.stringify(r).length))).toBeGreaterThan(65000);
    expect(pieces[0]!.split('\n    {')).toHaveLength(2); // (the big record alone: more than the 4096 bytes asked)
    expect(pieces[0]!.length).toBeGreaterThan(65000);
    expect(pieces.length).toBeGreaterThan(1);
    expect(built.ips.map((r) => r.firstSeen)).toContain('1969-12-31T23:59:59.999Z');
  });

  test.each([
    ['a file over two threads', { threads: 2, minParallelBytes: 0, rangeBytes: 4096 }],
    ['a file, top 5', { threads: 2, minParallelBytes: 0, rangeBytes: 4096, top: 5 }],
    ['a file with --ignore (built in JavaScript)', { threads: 2, minParallelBytes: 0, ignore: '198.51.100.0/24' }],
  ] as Array<[string, ScanOptions]>)('scanToJson prints what formatResult prints of scan() (%s)', async (_, options) => {
    const path = join(makeTempDir('log-scan-json-').path, 'auth.log');
    writeFileSync(path, bytes);
    const opts = { ...options, referenceMs: REF };
    const { out, text } = collector();
    const { stats } = await scanToJson([path], opts, out);
    const expected = [...formatResult(await scan([path], opts), 'json')].join('');
    expect(masked(text())).toBe(masked(expected));
    expect(stats.lines).toBe(bytes.toString('latin1').split('\n').length - 1);
  });

  test.each([
    ['one thread', { threads: 1 }],
    ['two threads over small ranges (the counts merged)', { threads: 2, minParallelBytes: 0, rangeBytes: 4096 }],
  ] as Array<[string, ScanOptions]>)('counts of the rarer kinds past 16 bits stay exact (%s)', async (_, options) => {
    // The rarer kinds count in 16 bits in an address's entry until one would pass 65,535: dovecot
    // failures ("message repeated N times" counts N) take one address past it, over several
    // ranges, its postfix and nginx counts before and after; another address stays at 65,535.
    const dovecot = (n: number, ip: string) => `Nov 19 10:00:01 web1 dovecot: message repeated ${n} times: [ imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=${ip}, lip=10.0.0.5, TLS]\n`;
    const postfix = (ip: string) => `Nov 19 10:00:02 web1 postfix/smtpd[101]: warning: unknown[${ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6\n`;
    const nginx = (ip: string) => `2024/11/19 10:00:03 [error] 812#812: *41 user "admin": password mismatch, client: ${ip}, server: example.com, request: "GET / HTTP/1.1", host: "example.com"\n`;
    const filler = 'Nov 19 10:00:04 web1 CRON[1]: pam_unix(cron:session): session opened for user root\n'.repeat(60);
    const lines = [postfix('192.0.2.7'), dovecot(65000, '192.0.2.7'), filler, dovecot(535, '192.0.2.7'), filler, postfix('192.0.2.7'), dovecot(1, '192.0.2.7'),
      filler, dovecot(70000, '192.0.2.7'), nginx('192.0.2.7'), dovecot(65535, '192.0.2.8'), filler, postfix('192.0.2.8')];
    const path = join(makeTempDir('log-scan-wide-').path, 'auth.log');
    writeFileSync(path, lines.join(''));
    const opts = { ...options, referenceMs: REF };
    const result = await scan([path], opts);
    expect(result.ips.map((r) => [r.ip, r.count, r.kinds])).toEqual([
      ['192.0.2.7', 135539, { 'dovecot-login-auth-failed': 135536, 'postfix-sasl-auth-failed': 2, 'nginx-basic-auth': 1 }],
      ['192.0.2.8', 65536, { 'dovecot-login-auth-failed': 65535, 'postfix-sasl-auth-failed': 1 }],
    ]);
    const { out, text } = collector();
    await scanToJson([path], opts, out);
    expect(masked(text())).toBe(masked([...formatResult(result, 'json')].join('')));
  });

  test('scan() takes its records from the JSON of the module, in several chunks of 1 MiB', async () => {
    // 30,000 addresses, each with its own user: about 4 MB of records.
    const many = Array.from({ length: 30000 }, (_, i) => `Nov 19 10:00:01 web1 sshd[1]: Failed password for invalid user user${i} from 10.${i >> 16}.${(i >> 8) & 255}.${i & 255} port 22 ssh2\n`).join('');
    const path = join(makeTempDir('log-scan-chunks-').path, 'auth.log');
    writeFileSync(path, many + many.split('\n').slice(0, 100).join('\n') + '\n');
    const result = await scan([path], { referenceMs: REF });
    expect(result.ips).toHaveLength(30000);
    expect(result.ips[0]).toEqual({ ip: '10.0.0.0', count: 2, users: ['user0'], firstSeen: '2024-11-19T10:00:01.000Z', lastSeen: '2024-11-19T10:00:01.000Z', kinds: { 'sshd-failed-password': 2 } });
    expect(result.ips[29999]!.ip).toBe('10.0.99.99'); // (count 1, in code-unit order)
    expect(new Set(result.ips.map((r) => r.users[0])).size).toBe(30000);
    const { out, text } = collector();
    await scanToJson([path], { referenceMs: REF }, out);
    expect(masked(text())).toBe(masked([...formatResult(result, 'json')].join('')));
    // To a file: the chunks go out as views of the module's memory, its two areas in turns
    // (each grown to 1 MiB first, once the other's write is done).
    const file = createWriteStream(`${path}.json`);
    await scanToJson([path], { referenceMs: REF }, file);
    await new Promise((resolve) => file.end(resolve));
    expect(masked(readFileSync(`${path}.json`, 'utf8'))).toBe(masked(text()));
  });

  test('two sources: built and formatted in JavaScript, the same text', async () => {
    const sources = () => [streamSource(Readable.from([bytes]), 'a'), streamSource(Readable.from([bytes.subarray(0, 5000)]), 'b')];
    const { out, text } = collector();
    await scanToJson(sources(), { referenceMs: REF }, out);
    expect(masked(text())).toBe(masked([...formatResult(await scan(sources(), { referenceMs: REF }), 'json')].join('')));
  });
});
