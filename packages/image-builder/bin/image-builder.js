#!/usr/bin/env node
// The command: runs the built CLI, dist/cli.cjs (one CommonJS file: no ESM loader at start-up;
// bin/package.json makes this file CommonJS too). In a clone of the repository, `pnpm build` at
// its root makes dist/.
//
// V8's compiled code of dist/cli.cjs is kept between runs: compiling the 170 KB file and the
// functions a build runs is ~10 ms of CPU, most of it before the first request to the engine.
// Node 22.1+ does this itself (module.enableCompileCache(), in its own cache directory). On Node
// 20, the file is compiled here with vm.Script and V8's code cache, kept in
// $XDG_CACHE_HOME/ops-image-builder (default ~/.cache/ops-image-builder), one for build and one
// for push, each written after the first successful run of its command. A missing, stale,
// rejected or unwritable cache changes nothing but the start-up time; NODE_DISABLE_COMPILE_CACHE=1
// turns it off, as it does Node's own.
'use strict';
/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '../dist/cli.cjs');

function notBuilt() {
  console.error('image-builder: not built (no dist/cli.cjs): run `pnpm build` at the repository root');
  process.exit(3);
}

if (Number(process.versions.node.split('.')[0]) >= 22) {
  require('node:module').enableCompileCache?.();
  try {
    require.resolve(cli);
  } catch {
    notBuilt();
  }
  require(cli);
} else {
  runWithCodeCache();
}

function runWithCodeCache() {
  let source;
  try {
    source = readFileSync(cli, 'utf8');
  } catch {
    notBuilt();
  }
  const vm = require('node:vm');
  // The CommonJS loader's Module (the node:module builtin would load the ESM loader as well).
  const Module = module.constructor;
  // One cache a command: each holds the code its own runs compiled (a push loading a build's
  // would read and deserialize code it does not run, and still compile its own).
  const command = process.argv.slice(2).find((arg) => arg === 'build' || arg === 'push');
  const cache = command ? cacheFileOf(cli, command) : undefined;
  let cachedData;
  if (cache) {
    try {
      cachedData = readFileSync(cache.file);
    } catch {
      cachedData = undefined;
    }
  }
  // The shebang line made a comment of the same length: the file becomes a function body.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new vm.Script(Module.wrap(body), { filename: cli, cachedData });
  if (cache && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code === 0) saveCodeCache(script, cache);
    });
  }
  const dist = join(__dirname, '../dist');
  const mod = new Module(cli, module);
  mod.filename = cli;
  // import() in a vm script (BuildKit's gRPC, the push's retries) needs a loader of its own on
  // Node 20, which functions compiled from a code cache lose: the bundle's import() calls (made
  // __load() by scripts/bundle.mjs) come here, to an import() of this file, which resolves the
  // same packages (bin/ and dist/ are in the same package).
  mod.opsImport = (specifier) => import(specifier.startsWith('.') ? require('node:url').pathToFileURL(join(dist, specifier)).href : specifier);
  require.cache[cli] = mod;
  script.runInThisContext()(mod.exports, Module.createRequire(cli), mod, cli, dist);
  mod.loaded = true;
}

/** Where the code cache of `file` for `command` is, named by Node's version and the file's identity and change time. */
function cacheFileOf(file, command) {
  const env = process.env;
  if (env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  if (!base) return undefined;
  try {
    // ctime changes with every write or link of the file (a rebuild, an install) and cannot be set.
    const st = require('node:fs').statSync(file, { bigint: true });
    const dir = join(base, 'ops-image-builder');
    return { dir, file: join(dir, `cli-${command}-${process.version}-${process.arch}-${st.dev}-${st.ino}-${st.size}-${st.ctimeNs}.v8`) };
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
      if (path !== cache.file && name.startsWith('cli-') && fs.statSync(path).mtimeMs < weekAgo) fs.rmSync(path, { force: true });
    }
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}
