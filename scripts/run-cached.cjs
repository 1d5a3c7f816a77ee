// Runs a bundled CommonJS command from V8's code cache: compiling a file of ~150-250 KB and the
// functions a run calls costs ~5-10 ms of CPU per start, most of it before the command's first
// useful work. The bins of @ops/image-builder and @ops/log-scan start through here (log-scan's
// worker threads do not: for their 58 KB, reading and checking a cache measured no faster than
// compiling). scripts/bundle.mjs copies this file into their dist/ (dist/run-cached.cjs), which a
// bin requires by its path: resolving a package subpath through an export map would load Node's
// ESM resolver (~3.5 ms at every start).
//
// Node 22.1+ does this itself (module.enableCompileCache(), in its own cache directory). On Node
// 20, the file is compiled here with vm.Script and V8's code cache, kept in $XDG_CACHE_HOME/ops-<name>
// (default ~/.cache/ops-<name>), one file per `variant` (a run's kind, e.g. `build` and `push`:
// each holds the code its own runs compiled), written after the first run of that variant that
// exits with 0. A missing, stale, rejected or unwritable cache changes nothing but the start-up
// time; NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's own.
'use strict';
/* global require, module, exports */
/* eslint-disable @typescript-eslint/no-require-imports */
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/**
 * Runs `file` as a CommonJS module. `name`: the cache directory is ops-<name>; `variant`: which
 * cache (none when undefined); `importModule`: the caller's `(specifier) => import(specifier)`,
 * so that the file's import() calls (made __load() calls by scripts/bundle.mjs) resolve packages
 * from the caller's package on Node 20.
 */
function runCached(file, { name, variant, importModule }) {
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    require('node:module').enableCompileCache?.();
    require(file);
    return;
  }
  const source = readFileSync(file, 'utf8');
  const vm = require('node:vm');
  // The CommonJS loader's Module (the node:module builtin would load the ESM loader as well).
  const Module = module.constructor;
  const cache = variant ? cacheFileOf(file, name, variant) : undefined;
  let cachedData;
  if (cache) {
    try {
      cachedData = readFileSync(cache.file);
    } catch {
      cachedData = undefined;
    }
  }
  // A shebang line made a comment of the same length: the file becomes a function body.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new vm.Script(Module.wrap(body), { filename: file, cachedData });
  if (cache && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code === 0) saveCodeCache(script, cache);
    });
  }
  const dir = dirname(file);
  const mod = new Module(file, module);
  mod.filename = file;
  // import() in a vm script needs a loader of its own on Node 20, which functions compiled from a
  // code cache lose: the bundle's import() calls (made __load() by scripts/bundle.mjs) come here,
  // to the caller's import(), which resolves the same packages (the bin and the file are in the
  // same package).
  mod.opsImport = (specifier) => importModule(specifier.startsWith('.') ? require('node:url').pathToFileURL(join(dir, specifier)).href : specifier);
  require.cache[file] = mod;
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, dir);
  mod.loaded = true;
}

/** Where the code cache of `file` for `variant` is, named by Node's version and the file's identity and change time. */
function cacheFileOf(file, name, variant) {
  const env = process.env;
  if (env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  if (!base) return undefined;
  try {
    // ctime changes with every write or link of the file (a rebuild, an install) and cannot be set.
    const st = require('node:fs').statSync(file, { bigint: true });
    const dir = join(base, `ops-${name}`);
    return { dir, file: join(dir, `${variant}-${process.version}-${process.arch}-${st.dev}-${st.ino}-${st.size}-${st.ctimeNs}.v8`) };
  } catch {
    return undefined;
  }
}

/** Writes the code cache (with the functions this run compiled) atomically; removes week-old ones. */
function saveCodeCache(script, cache) {
  const fs = require('node:fs');
  const temp = `${cache.file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temp, cache.file);
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    for (const name of fs.readdirSync(cache.dir)) {
      const path = join(cache.dir, name);
      if (path !== cache.file && name.endsWith('.v8') && fs.statSync(path).mtimeMs < weekAgo) fs.rmSync(path, { force: true });
    }
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

exports.runCached = runCached;
