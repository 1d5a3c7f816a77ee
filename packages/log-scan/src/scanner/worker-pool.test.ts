import { writeFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';
import { scan } from '../scan.js';
import { prestartScanWorkers } from './worker-pool.js';

// The built worker entry (what bin/log-scan.js starts ahead).
const SCRIPT = new URL('../../dist/scanner/scan-worker.cjs', import.meta.url);
const POOL = Symbol.for('@ops/log-scan/prestarted-workers');
const pool = () => (globalThis as { [POOL]?: Worker[] })[POOL] ?? [];

const line = (i: number) => `Nov 19 10:00:${String(i % 60).padStart(2, '0')} web1 sshd[${i}]: Failed password for u${i % 37} from 198.51.100.${i % 23} port 22 ssh2\n`;

describe('workers started ahead of a scan', () => {
  let path: string;
  beforeAll(() => {
    path = join(makeTempDir('log-scan-pool-').path, 'auth.log');
    writeFileSync(path, Array.from({ length: 5000 }, (_, i) => line(i)).join(''));
  });

  test.each([[1], [3]])('%i started ahead: the scan takes what it needs, stops the others, and gives the one-thread result', async (count) => {
    const single = await scan([path], { threads: 1 });
    prestartScanWorkers(SCRIPT, count);
    expect(pool()).toHaveLength(count);
    // The first one started ahead does the scan's worker part: it posts its counts.
    let posted = 0;
    pool()[0]!.on('message', () => posted++);
    const split = await scan([path], { threads: 2, minParallelBytes: 0, rangeBytes: 4096 });
    expect(pool()).toHaveLength(0);
    expect(split.ips).toEqual(single.ips);
    expect(split.stats).toMatchObject({ lines: 5000, matches: 5000 });
    expect(posted).toBeGreaterThan(0);
  });
});
