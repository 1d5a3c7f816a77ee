import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { hasCode } from '@ops/core';
import { makeTempDir } from '@ops/testkit';
import { events } from './events.js';
import { resolveScanOptions } from './scan-options.js';
import { scan, scanInWorkers } from './scan.js';
import { fileSource } from './sources/file-source.js';
import { streamSource } from './sources/stdin-source.js';
import { mergeResults } from './results/merge-results.js';
import { DEFAULT_MAX_USERS_PER_IP } from './results/aggregate.js';
import { buildResult } from './results/build-result.js';

const line = (i: number) => i % 3 === 0
  ? `Nov 19 10:${String(i % 60).padStart(2, '0')}:00 web1 sshd[${i}]: Failed password for user${i % 7} from 203.0.113.${i % 50} port ${i} ssh2\n`
  : `Nov 19 10:00:00 web1 sshd[${i}]: Accepted publickey for deploy from 10.0.0.${i % 200} port ${i} ssh2\n`;
const LOG = Array.from({ length: 3000 }, (_, i) => line(i)).join('');

describe('scan', () => {
  let dir: string;
  beforeAll(async () => {
    dir = makeTempDir('log-scan-').path;
    mkdirSync(join(dir, 'logs/sub'), { recursive: true });
    writeFileSync(join(dir, 'logs/auth.log'), LOG);
    writeFileSync(join(dir, 'logs/sub/auth.log.2.gz'), gzipSync(LOG));
    writeFileSync(join(dir, 'empty.log'), '');
    const gz = gzipSync(LOG);
    writeFileSync(join(dir, 'truncated.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  });

  test('a plain file and the same bytes gzipped (detected by content) give the same result', async () => {
    const plain = await scan([join(dir, 'logs/auth.log')]);
    const gz = await scan([join(dir, 'logs/sub/auth.log.2.gz')]);
    expect(plain.ips).toEqual(gz.ips);
    expect(plain.stats).toMatchObject({ sources: 1, bytes: LOG.length, lines: 3000, matches: 1000 });
    expect(plain.ips).toHaveLength(50);
    expect(plain.ips[0]!.count).toBeGreaterThanOrEqual(plain.ips[49]!.count);
  });

  test('a directory expands to every file under it, a glob to the files it matches', async () => {
    const all = await scan([join(dir, 'logs')]);
    expect(all.stats).toMatchObject({ sources: 2, matches: 2000 });
    const globbed = await scan([join(dir, 'logs/**/*.gz')]);
    expect(globbed.stats).toMatchObject({ sources: 1, matches: 1000 });
  });

  test('stdin (a stream), gzipped or not', async () => {
    const r = await scan([streamSource(Readable.from([Buffer.from(LOG)]))]);
    const z = await scan([streamSource(Readable.from([gzipSync(LOG)]))]);
    expect(r.stats.matches).toBe(1000);
    expect(z.ips).toEqual(r.ips);
  });

  test('worker threads over byte ranges give the same result as one thread', async () => {
    const path = join(dir, 'logs/auth.log');
    const single = await scan([path], { threads: 1 });
    const source = await fileSource(path);
    const { parts } = await scanInWorkers(source, resolveScanOptions({ threads: 4, minParallelBytes: 0 }));
    expect(parts).toHaveLength(4); // this thread and three workers
    // (The workers' tables were added to this thread's: the other parts have only their stats.)
    expect(parts.slice(1).every((p) => p.counts === undefined)).toBe(true);
    expect(buildResult([parts[0]!.counts!], { maxUsersPerIp: DEFAULT_MAX_USERS_PER_IP }).ips).toEqual(single.ips);
    expect(parts.reduce((n, p) => n + p.stats.lines, 0)).toBe(3000);
    const viaScan = await scan([path], { threads: 3, minParallelBytes: 0 });
    expect(viaScan.ips).toEqual(single.ips);
    expect(viaScan.stats.lines).toBe(3000);
  });

  test.each([[1], [3]])('an abort part-way through a file scanned in ranges rejects with its reason (threads: %i)', async (threads) => {
    const path = join(dir, 'logs/auth.log');
    const controller = new AbortController();
    const reason = new Error('stopped by the caller');
    let seen = 0;
    const scanning = scan([path], {
      threads, minParallelBytes: 0, rangeBytes: 4096, chunkBytes: 1024, signal: controller.signal,
      onProgress: (bytes) => { seen += bytes; if (seen > 8192) controller.abort(reason); },
    });
    await expect(scanning).rejects.toBe(reason);
    expect(seen).toBeLessThan(LOG.length);
  });

  test('an empty file scans to nothing', async () => {
    expect(await scan([join(dir, 'empty.log')])).toMatchObject({ ips: [], stats: { lines: 0, bytes: 0 }, errors: [] });
  });

  test('truncated gzip: counted lines kept, the failure names the source and the byte', async () => {
    const r = await scan([join(dir, 'truncated.gz'), join(dir, 'logs/auth.log')]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ source: join(dir, 'truncated.gz'), code: 'LOG_SCAN_SOURCE_FAILED' });
    expect(r.errors[0]!.message).toMatch(/truncated/);
    expect(r.stats.matches).toBeGreaterThan(1000);
    expect(r.errors[0]!.byteOffset).toBeGreaterThan(0);
  });

  test.each([['ranges, one thread', 1, 0], ['ranges, two threads', 2, 0], ['a stream', 1, undefined]] as const)('tables that cannot grow fail the source with a clear message at the byte reached, counts kept (%s)', async (_, threads, minParallelBytes) => {
    const path = join(dir, 'sprayed.log');
    writeFileSync(path, Array.from({ length: 120_000 }, (_, i) =>
      `Nov 19 10:00:01 web1 sshd[1]: Invalid user u${i % 97} from 2001:db8:${(i >> 16).toString(16)}::${(i & 0xffff).toString(16)} port 22\n`).join(''));
    const r = await scan([path, join(dir, 'logs/auth.log')], { threads, minParallelBytes, rangeBytes: 1 << 20, maxMemoryBytes: 10 << 20 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ source: path, code: 'LOG_SCAN_SOURCE_FAILED' });
    expect(r.errors[0]!.message).toMatch(/^.*sprayed\.log: the tables are full \(\d+ addresses and \d+ user names in \d+ MiB\): split the input .* `log-scan merge` \(at byte \d+\)$/);
    expect(r.errors[0]!.byteOffset).toBeGreaterThan(0);
    // Once full, the file's scan stops (no thread takes another range); the next source is read whole.
    expect(r.stats.bytes).toBeLessThan(statSync(path).size * 0.8 + LOG.length);
    const sprayed = r.ips.filter((e) => e.ip.startsWith('2001:db8:'));
    expect(sprayed.length).toBeGreaterThan(1000);
    expect(sprayed.length).toBeLessThan(120_000);
    // The next source is scanned in full.
    expect(r.ips.length - sprayed.length).toBe((await scan([join(dir, 'logs/auth.log')])).ips.length);
  });

  test('a missing path is SOURCE_NOT_FOUND (exit code 2)', async () => {
    const error = await scan([join(dir, 'nope.log')]).catch((e: unknown) => e);
    expect(hasCode(error, 'LOG_SCAN_SOURCE_NOT_FOUND')).toBe(true);
    expect((error as { exitCode: number }).exitCode).toBe(2);
    await expect(scan([join(dir, 'nothing-*.log')])).rejects.toThrow(/matches no file/);
  });

  test('a file truncated while being read fails at the byte reached, earlier lines counted', async () => {
    const path = join(dir, 'shrinking.log');
    writeFileSync(path, LOG);
    const source = await fileSource(path, { chunkBytes: 4096 });
    const seen: string[] = [];
    let truncated = false;
    const error = await (async () => {
      for await (const e of events(source)) {
        seen.push(e.ip);
        if (!truncated) { writeFileSync(path, LOG.slice(0, 8192)); truncated = true; }
      }
    })().catch((e: unknown) => e);
    expect(hasCode(error, 'LOG_SCAN_SOURCE_FAILED')).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as { byteOffset: number }).byteOffset).toBe(8192);
    expect(seen.length).toBeGreaterThan(0);
  });

  test('events() yields records with 1-based line numbers; since/until filter them', async () => {
    const path = join(dir, 'logs/auth.log');
    const all = [];
    for await (const e of events(path, { referenceMs: Date.parse('2024-12-01T00:00:00Z') })) all.push(e);
    expect(all).toHaveLength(1000);
    expect(all[0]).toMatchObject({ source: path, line: 1, kind: 'sshd-failed-password' });
    expect(all[1]!.line).toBe(4);
    const since = new Date(2024, 10, 19, 10, 30).getTime();
    const later = await scan([path], { since, referenceMs: Date.parse('2024-12-01T00:00:00Z') });
    expect(later.stats.matches).toBe(all.filter((e) => Date.parse(e.time!) >= since).length);
    expect(later.stats.matches).toBeGreaterThan(0);
    expect(later.stats.matches).toBeLessThan(1000);
  });

  test('merging two partial results equals scanning both', async () => {
    const a = await scan([join(dir, 'logs/auth.log')]);
    const b = await scan([join(dir, 'logs/sub/auth.log.2.gz')]);
    const both = await scan([join(dir, 'logs')]);
    expect(mergeResults([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]).ips).toEqual(both.ips);
  });

  test('binary garbage, NUL bytes, invalid UTF-8 and CRLF neither stop nor fool the scan', async () => {
    const path = join(dir, 'garbage.log');
    const garbage = Buffer.alloc(100_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    writeFileSync(path, Buffer.concat([
      garbage,
      Buffer.from('\nNov 19 10:00:00 h sshd[1]: Failed password for r\u0000t from 203.0.113.1 port 1 ssh2\r\n'),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from('Nov 19 10:00:00 h sshd[1]: Failed password for '), Buffer.from([0xc3, 0x28]), Buffer.from(' from 203.0.113.2 port 1 ssh2\r\n'),
      Buffer.from('\u0000\u0000Failed password for x from 203.0.113.3\u0000 port 1 ssh2\n'),
    ]));
    const r = await scan([path]);
    expect(r.errors).toEqual([]);
    expect(r.ips.map((i) => i.ip)).toEqual(['203.0.113.1', '203.0.113.2']);
    expect(r.ips[0]!.users).toEqual(['r\u0000t']);
    expect(r.ips[1]!.users).toEqual(['\udcc3(']); // the invalid byte kept (decodeBytes), not U+FFFD
  });

  test('a file renamed away (rotated) while being read is read to its end', async () => {
    const path = join(dir, 'rotating.log');
    writeFileSync(path, LOG);
    const source = await fileSource(path, { chunkBytes: 4096 });
    let count = 0;
    for await (const e of events(source)) {
      if (count++ === 0) { renameSync(path, `${path}.1`); writeFileSync(path, ''); }
      expect(e.source).toBe(path);
    }
    expect(count).toBe(1000);
  });

  test('a 1 GiB line without newline is skipped in bounded memory, the lines around it counted', async () => {
    const piece = Buffer.alloc(8 << 20, 'A');
    const head = Buffer.from('Failed password for a from 203.0.113.1 port 1 ssh2\n');
    const tail = Buffer.from('\nFailed password for b from 203.0.113.2 port 1 ssh2\n');
    async function* huge() {
      yield head;
      for (let i = 0; i < 128; i++) yield piece;
      yield tail;
    }
    const before = process.memoryUsage().rss;
    const r = await scan([{ name: 'huge', chunks: () => huge() }]);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 << 20);
    expect(r.stats).toMatchObject({ lines: 3, skippedLines: 1, matches: 2, bytes: (1 << 30) + head.length + tail.length });
  });

  test('option validation names the option', async () => {
    await expect(scan([], { threads: 0 })).rejects.toThrow(/`threads`/);
    await expect(scan([], { maxMemoryBytes: 4096 })).rejects.toThrow(/`maxMemoryBytes`/);
    chmodSync(join(dir, 'logs/auth.log'), 0o644);
    expect(readFileSync(join(dir, 'logs/auth.log')).length).toBe(LOG.length);
  });
});
