#!/usr/bin/env node
// The command: runs the built CLI. In a clone of the repository, `pnpm build` at its root makes dist/.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) { console.error('log-scan: not built (no dist/cli.js): run `pnpm build` at the repository root'); process.exit(3); }
await prestartWorkers(process.argv.slice(2));
await import(cli.href);

// A large file is scanned by worker threads besides this one, and a thread takes ~0.1 s to start:
// they are started now, while the CLI loads, when an argument names a regular file of 64 MiB or
// more (scan()'s minParallelBytes), not gzip (read in one stream), in a scan by address (not
// `merge`, not `--events`, not `--help`).
// The scan takes them, and stops those it does not need; a guess that misses costs no result.
async function prestartWorkers(args) {
  if (args[0] === 'merge' || args.some((a) => a === '--events' || a === '--help' || a === '-h')) return;
  const large = args.some((a) => {
    if (a.startsWith('-')) return false;
    try {
      const st = statSync(a);
      return st.isFile() && st.size >= 64 << 20 && !isGzip(a);
    } catch {
      return false;
    }
  });
  if (!large) return;
  const at = args.findIndex((a) => a === '--threads' || a.startsWith('--threads='));
  const threads = at < 0 ? Math.min(availableParallelism(), 8) : Number(args[at].includes('=') ? args[at].slice(10) : args[at + 1]);
  if (!(threads > 1)) return;
  const { prestartScanWorkers } = await import(new URL('../dist/scanner/worker-pool.js', import.meta.url).href);
  prestartScanWorkers(new URL('../dist/scanner/scan-worker.js', import.meta.url), Math.min(threads - 1, 64));
}

function isGzip(path) {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
