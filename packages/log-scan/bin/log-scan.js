#!/usr/bin/env node
// The command: runs the built CLI, dist/cli.cjs (one CommonJS file: no ESM loader at start-up;
// bin/package.json makes this file CommonJS too), from V8's code cache on Node 20, one for scans
// and one for merges (dist/run-cached.cjs, from scripts/run-cached.cjs). In a clone of the
// repository, `pnpm build` at its root makes dist/.
'use strict';
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
const { closeSync, existsSync, openSync, readSync, statSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '../dist/cli.cjs');
if (!existsSync(cli)) {
  console.error('log-scan: not built (no dist/cli.cjs): run `pnpm build` at the repository root');
  process.exit(3);
}
const args = process.argv.slice(2);
prestartWorkers(args);
require('../dist/run-cached.cjs').runCached(cli, {
  name: 'log-scan',
  // One cache for scans, one for merges; none for --help or --version.
  variant: args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V') ? undefined : args[0] === 'merge' ? 'merge' : 'scan',
  // import() calls of the bundle (tinyglobby, cli-progress, the S3 reads' retries) resolve from here.
  importModule: (specifier) => import(specifier),
});

// A large file is scanned by worker threads besides this one, and a thread takes ~0.1 s to start:
// they are started now, while the CLI loads, when an argument names a regular file of 64 MiB or
// more (scan()'s minParallelBytes), not gzip (read in one stream), in a scan by address (not
// `merge`, not `--events`, not `--help`).
// The scan takes them, and stops those it does not need; a guess that misses costs no result.
function prestartWorkers(args) {
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
  const threads = at < 0 ? Math.min(require('node:os').availableParallelism(), 8) : Number(args[at].includes('=') ? args[at].slice(10) : args[at + 1]);
  if (!(threads > 1)) return;
  // (The worker entry is one CommonJS file too; a code cache saves it nothing: measured.)
  const { prestartScanWorkers } = require('../dist/scanner/worker-pool.cjs');
  prestartScanWorkers(require('node:url').pathToFileURL(join(__dirname, '../dist/scanner/scan-worker.cjs')), Math.min(threads - 1, 64));
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
