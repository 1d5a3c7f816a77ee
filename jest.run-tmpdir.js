// The temporary directory of one jest run: TMPDIR of the workers, their tests, and every process
// those start. Short (unix socket paths are limited to 108 bytes, and services put sockets there),
// named after the jest process, so a run that was killed before its teardown is swept by the next.
// Mode 1777 like /tmp: tests run programs as other users (a permission-denied source, sshd's
// session as the test user), which must reach their files in it as they would in /tmp.
import { chmodSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'ops-jest-';
// Caches that programs keep in TMPDIR by design, not temporary files of a test: Node's own compile
// cache ($TMPDIR/node-compile-cache, written on Node 22+ by module.enableCompileCache() without a
// directory, as image-builder's bin calls it). Not reported; removed with the directory.
const CACHES = new Set(['node-compile-cache']);
let created;

export const runTmpDir = {
  /** Makes the directory, sets TMPDIR to it, and removes those of runs that are gone. */
  create() {
    const base = realpathSync(tmpdir());
    sweepDeadRuns(base);
    created = { dir: mkdtempSync(join(base, `${PREFIX}${process.pid}-`)), previous: process.env.TMPDIR };
    chmodSync(created.dir, 0o1777);
    process.env.TMPDIR = created.dir;
    return created.dir;
  },
  /** Restores TMPDIR, removes the directory, and returns what was in it (2 levels; known caches left out). */
  remove() {
    if (!created) return [];
    const { dir, previous } = created;
    created = undefined;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = existsSync(dir) ? describe(dir) : [];
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    return left;
  },
};

function describe(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (CACHES.has(entry.name)) return [];
    if (!entry.isDirectory()) return [entry.name];
    const inside = readdirSync(join(dir, entry.name));
    const shown = inside.slice(0, 5).join(', ');
    return [`${entry.name}/ (${inside.length === 0 ? 'empty' : `${shown}${inside.length > 5 ? `, ... ${inside.length - 5} more` : ''}`})`];
  });
}

function sweepDeadRuns(base) {
  for (const name of readdirSync(base)) {
    const pid = Number(/^ops-jest-(\d+)-/.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    try {
      rmSync(join(base, name), { recursive: true, force: true });
    } catch (error) {
      // A mount left by a killed run's dockerd (EBUSY): it stays, this run goes on.
      console.warn(`could not remove ${join(base, name)}, left by a test run that was killed: ${error.message}`);
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
