import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { hasCode } from '@ops/core';
import { makeTempDir } from '@ops/testkit';
import { events } from './events.js';
import { scan } from './scan.js';
import { streamSource } from './sources/stdin-source.js';

const FIRST = 'Nov 19 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2\n';
const LAST = 'Nov 19 10:00:02 web1 sshd[2]: Invalid user bob from 203.0.113.155 port 22';
// The log cut inside the last line's address: `203.0.113.15` of `.155`.
const CUT = FIRST + LAST.slice(0, LAST.indexOf('.155') + 3);

// Gzip data that stops after `text` (flushed to a byte boundary, no final block): what a copy cut
// short delivers before gunzip fails.
const truncatedGzip = (text: string) => Buffer.concat([gzipSync('').subarray(0, 10), deflateRawSync(text, { finishFlush: constants.Z_SYNC_FLUSH })]);

const many = (n: number) => Array.from({ length: n }, (_, i) => FIRST.replace('port 1', `port ${i}`)).join('');

describe('never a cut address', () => {
  const dir = makeTempDir('log-scan-cut-').path;
  const write = (name: string, data: string | Buffer) => { const p = join(dir, name); writeFileSync(p, data); return p; };

  test.each([
    ['a file', { threads: 1 }],
    ['a file in ranges over threads', { threads: 2, minParallelBytes: 0, rangeBytes: 1 << 16 }],
  ])('%s whose last line ends inside its address without a newline: the line is skipped, the source fails saying so', async (_, options) => {
    const body = many(5000);
    const path = write(`cut-${options.threads}.log`, body + CUT);
    const r = await scan([path], options);
    expect(r.ips.map((e) => e.ip)).toEqual(['203.0.113.7']);
    expect(r.stats).toMatchObject({ lines: 5002, matches: 5001, skippedLines: 1 });
    expect(r.errors).toEqual([{ source: path, byteOffset: body.length + FIRST.length, code: 'LOG_SCAN_LAST_LINE_CUT', message: expect.stringMatching(/the last line \(\d+ bytes at byte \d+\) has no newline and ends inside its address.*not counted/) }]);
  });

  test.each([
    ['port', LAST],
    ['ssh2', 'Nov 19 10:00:02 web1 sshd[2]: Failed password for bob from 203.0.113.155 port 22 ssh2'],
    ['IPv6 then port', 'Nov 19 10:00:02 web1 sshd[2]: Invalid user bob from 2001:db8::155 port 22'],
  ])('a complete last line without a newline (ending in %s) still counts', async (_, last) => {
    const r = await scan([write('complete.log', FIRST + last)]);
    expect(r.ips).toHaveLength(2);
    expect(r.errors).toEqual([]);
    expect(r.stats.skippedLines).toBe(0);
  });

  test('an IPv6 address running into the end is left out too; pam_unix rhost= at the end as well', async () => {
    const pam = 'Nov 19 10:00:03 web1 sshd[3]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.2';
    for (const last of ['Nov 19 10:00:02 web1 sshd[2]: Invalid user bob from 2001:db8::15', pam]) {
      const r = await scan([write('v6.log', FIRST + last)]);
      expect(r.ips.map((e) => e.ip)).toEqual(['203.0.113.7']);
      expect(r.errors[0]!.code).toBe('LOG_SCAN_LAST_LINE_CUT');
    }
  });

  test('a .gz cut inside the last line\'s address: the line is not counted, the truncation error says so', async () => {
    const body = many(3000);
    const path = write('cut.log.gz', truncatedGzip(body + CUT));
    const r = await scan([path]);
    expect(r.ips.map((e) => e.ip)).toEqual(['203.0.113.7']);
    expect(r.stats).toMatchObject({ matches: 3001, skippedLines: 1 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ source: path, code: 'LOG_SCAN_SOURCE_FAILED', byteOffset: body.length + CUT.length });
    expect(r.errors[0]!.message).toMatch(/gzip data is truncated.*; the incomplete line before it \(\d+ bytes at byte \d+\) was not counted$/);
  });

  test('stdin: an unterminated last line and a cut gzip stream alike', async () => {
    const plain = await scan([streamSource(Readable.from([Buffer.from(CUT.slice(0, 50)), Buffer.from(CUT.slice(50))]))]);
    expect(plain.ips.map((e) => e.ip)).toEqual(['203.0.113.7']);
    expect(plain.errors).toEqual([expect.objectContaining({ source: '-', code: 'LOG_SCAN_LAST_LINE_CUT' })]);
    const zipped = await scan([streamSource(Readable.from([truncatedGzip(CUT)]))]);
    expect(zipped.ips.map((e) => e.ip)).toEqual(['203.0.113.7']);
    expect(zipped.errors).toEqual([expect.objectContaining({ source: '-', code: 'LOG_SCAN_SOURCE_FAILED', message: expect.stringContaining('was not counted') })]);
    const complete = await scan([streamSource(Readable.from([Buffer.from(FIRST + LAST)]))]);
    expect(complete.ips).toHaveLength(2);
    expect(complete.errors).toEqual([]);
  });

  test('events(): the cut line is not yielded, then LOG_SCAN_LAST_LINE_CUT is thrown', async () => {
    const seen: string[] = [];
    const error = await (async () => { for await (const e of events(write('events.log', CUT))) seen.push(e.ip); })().catch((e: unknown) => e);
    expect(seen).toEqual(['203.0.113.7']);
    expect(hasCode(error, 'LOG_SCAN_LAST_LINE_CUT')).toBe(true);
    expect((error as { exitCode: number }).exitCode).toBe(3);
  });
});
