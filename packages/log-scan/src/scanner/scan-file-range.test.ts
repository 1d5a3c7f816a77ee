import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';
import { scanFileRange, type RangeJob } from './scan-file-range.js';

const REF = Date.parse('2024-12-01T00:00:00Z');
const lines = Array.from({ length: 400 }, (_, i) =>
  i % 3 === 0
    ? `Nov 19 10:00:${String(i % 60).padStart(2, '0')} web1 sshd[1]: Failed password for invalid user u${i % 7} from 203.0.113.${i % 50} port 22 ssh2`
    : `Nov 19 10:00:01 web1 CRON[2]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
const text = lines.join('\n') + '\n';

describe('scanFileRange', () => {
  let path: string;
  beforeAll(() => {
    path = join(makeTempDir('log-scan-range-').path, 'auth.log');
    writeFileSync(path, text);
  });

  const job = (over: Partial<RangeJob>): RangeJob => ({ path, start: 0, end: text.length, chunkBytes: 1 << 20, maxLineBytes: 1 << 16, referenceMs: REF, ...over });

  test.each([[97], [1000], [4096]])('reads in chunks of %i bytes (the next read overlapping the scan) with the same result as in one chunk', async (chunkBytes) => {
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
});
