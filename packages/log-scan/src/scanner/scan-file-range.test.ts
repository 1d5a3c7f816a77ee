import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';
import { open } from 'node:fs/promises';
import { DEFAULT_MAX_USERS_PER_IP } from '../results/aggregate.js';
import { buildResult } from '../results/build-result.js';
import type { PartialCounts } from '../results/partial-counts.js';
import { createRangeScanner, type FileScanJob } from './scan-file-range.js';
import { splitRanges } from './split-ranges.js';

const REF = Date.parse('2024-12-01T00:00:00Z');
const lines = Array.from({ length: 400 }, (_, i) =>
  i % 3 === 0
    ? `Nov 19 10:00:${String(i % 60).padStart(2, '0')} web1 sshd[1]: Failed password for invalid user u${i % 7} from 203.0.113.${i % 50} port 22 ssh2`
    : `Nov 19 10:00:01 web1 CRON[2]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
const text = lines.join('\n') + '\n';

type RangeJob = FileScanJob & { readonly start: number; readonly end: number };

// One range, one scanner: the one-pass result the tests compare with (with its records).
async function scanFileRange(job: RangeJob) {
  const scanner = createRangeScanner(job);
  await scanner.scanRange(job.start, job.end, 0);
  const result = await scanner.finish();
  return { ...result, records: recordsOf([result.counts!]) };
}

function recordsOf(parts: PartialCounts[]) {
  return buildResult(parts, { maxUsersPerIp: DEFAULT_MAX_USERS_PER_IP }).ips;
}

describe('createRangeScanner', () => {
  let path: string;
  beforeAll(() => {
    path = join(makeTempDir('log-scan-range-').path, 'auth.log');
    writeFileSync(path, text);
  });

  const job = (over: Partial<RangeJob>): RangeJob => ({ path, start: 0, end: text.length, chunkBytes: 1 << 20, rangeBase: 0, maxLineBytes: 1 << 16, referenceMs: REF, ...over });

  test.each([[97], [1000], [4096]])('reads in chunks of %i bytes with the same result as in one chunk', async (chunkBytes) => {
    const whole = await scanFileRange(job({}));
    const chunked = await scanFileRange(job({ chunkBytes }));
    expect(chunked.error).toBeUndefined();
    expect(chunked.stats).toEqual(whole.stats);
    expect(chunked.records).toEqual(whole.records);
    expect(whole.records.reduce((n, r) => n + r.count, 0)).toBe(134);
  });

  test('a file shorter than its range: the lines read are kept and the failure names the byte', async () => {
    const r = await scanFileRange(job({ end: text.length + 5000, chunkBytes: 1000 }));
    expect(r.error).toMatchObject({ source: path, byteOffset: text.length });
    expect(r.error!.message).toMatch(/shrank/);
    expect(r.stats.lines).toBe(400);
    expect(r.records.reduce((n, r2) => n + r2.count, 0)).toBe(134);
  });

  test.each([[true], [false]])('ranges scanned by two scanners in any split merge to the one-pass result, users in file order (WebAssembly: %s)', async (wasm) => {
    // Each address meets its users in its own order over the whole file; a quarter of the
    // lines take the JavaScript matchers (brackets), the rest the WebAssembly fast path.
    const usersPath = join(makeTempDir('log-scan-order-').path, 'auth.log');
    writeFileSync(usersPath, Array.from({ length: 4000 }, (_, i) => {
      const ip = `198.51.100.${i % 13}`;
      const user = `u${(i * 7919) % 997}`;
      return `Nov 19 10:00:00 web1 sshd[1]: Failed password for ${user} from ${i % 4 === 0 ? `[${ip}]` : ip} port 22 ssh2\n`;
    }).join(''));
    const size = statSync(usersPath).size;
    const fh = await open(usersPath);
    const ranges = splitRanges(fh, size, 12);
    await fh.close();
    const base = { path: usersPath, chunkBytes: 1000, rangeBase: 0, maxLineBytes: 1 << 16, referenceMs: REF, wasm };
    const whole = (await scanFileRange({ ...base, start: 0, end: size })).records;
    const [a, b] = [createRangeScanner(base), createRangeScanner(base)];
    // Interleaved and out of order, as threads taking ranges in turns may end up with them.
    for (const [k, [start, end]] of ranges.entries()) await (k % 3 === 1 ? a : b).scanRange(start, end, k);
    const merged = recordsOf([(await a.finish()).counts!, (await b.finish()).counts!]);
    expect(whole[0]!.users.length).toBeGreaterThan(100);
    expect(merged).toEqual(whole);
    // One scanner's tables added to the other's (as a worker thread's are to the calling thread's).
    const [c, d] = [createRangeScanner(base), createRangeScanner(base)];
    for (const [k, [start, end]] of ranges.entries()) await (k % 3 === 1 ? c : d).scanRange(start, end, k);
    const block = await d.finish('tables');
    expect(block.counts === undefined).toBe(wasm);
    if (block.tables) c.absorb(block.tables);
    const absorbed = recordsOf([(await c.finish()).counts!, ...(block.counts ? [block.counts] : [])]);
    expect(absorbed).toEqual(whole);
    // Three threads: two send what they counted so far while they scan (a worker's block mid-scan)
    // and the rest at the end; the third adds the blocks between its own ranges, each sender's in
    // the order sent.
    const [e, f, g] = [createRangeScanner(base), createRangeScanner(base), createRangeScanner(base)];
    const sent: ArrayBuffer[] = [];
    let blocks = 0;
    for (const [k, [start, end]] of ranges.entries()) {
      await [f, e, g][k % 3]!.scanRange(start, end, k);
      if (k === 3 || k === 6) for (const t of [f.exportTables(), g.exportTables()]) if (t) { sent.push(t); blocks++; }
      if (k === 4 || k === 7) for (const t of sent.splice(0)) e.absorb(t);
    }
    const rest = [await f.finish('tables'), await g.finish('tables')];
    for (const r of rest) if (r.tables) e.absorb(r.tables);
    expect(blocks).toBe(wasm ? 4 : 0);
    expect(recordsOf([(await e.finish()).counts!, ...rest.flatMap((r) => (r.counts ? [r.counts] : []))])).toEqual(whole);
  });
  test('blocks larger than the export window (handed over in pieces of 256 KiB) add up to the one-pass result', async () => {
    // 30,000 addresses (IPv4 and IPv6) with a few users each: blocks of megabytes, each made in
    // many pieces, a piece ending at the window's end among them (records are 8-byte multiples).
    const path = join(makeTempDir('log-scan-big-block-').path, 'auth.log');
    writeFileSync(path, Array.from({ length: 90000 }, (_, i) => {
      const n = (i * 7919) % 30000;
      const ip = n % 10 === 0 ? `2001:db8::${n.toString(16)}` : `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
      return `Nov 19 10:00:00 web1 sshd[1]: Failed password for invalid user user${(i * 31) % 4001}x${'y'.repeat(i % 13)} from ${ip} port 22 ssh2\n`;
    }).join(''));
    const size = statSync(path).size;
    const fh = await open(path);
    const ranges = splitRanges(fh, size, 8);
    await fh.close();
    const base = { path, chunkBytes: 1 << 16, rangeBase: 0, maxLineBytes: 1 << 16, referenceMs: REF };
    const whole = (await scanFileRange({ ...base, start: 0, end: size })).records;
    const [receiver, sender] = [createRangeScanner(base), createRangeScanner(base)];
    const sent: ArrayBuffer[] = [];
    for (const [k, [start, end]] of ranges.entries()) {
      await (k % 2 === 0 ? sender : receiver).scanRange(start, end, k);
      if (k === 4) sent.push(sender.exportTables()!);
    }
    sent.push((await sender.finish('tables')).tables!);
    expect(sent[0]!.byteLength).toBeGreaterThan(4 << 18);
    expect(sent[1]!.byteLength).toBeGreaterThan(1 << 18);
    for (const block of sent) receiver.absorb(block);
    const merged = recordsOf([(await receiver.finish()).counts!]);
    expect(merged).toHaveLength(30000);
    expect(merged).toEqual(whole);
  });
});
