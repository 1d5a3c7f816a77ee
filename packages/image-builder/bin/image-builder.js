#!/usr/bin/env node
// The command: runs the built CLI, dist/cli.cjs (one CommonJS file: no ESM loader at start-up;
// bin/package.json makes this file CommonJS too), from V8's code cache on Node 20, one for build
// and one for push (dist/run-cached.cjs, from scripts/run-cached.cjs: compiling the 170 KB file
// and the functions a build runs is ~10 ms of CPU, most of it before the first request to the
// engine). In a clone of the repository, `pnpm build` at its root makes dist/.
'use strict';
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '../dist/cli.cjs');
if (!existsSync(cli)) {
  console.error('image-builder: not built (no dist/cli.cjs): run `pnpm build` at the repository root');
  process.exit(3);
}
require('../dist/run-cached.cjs').runCached(cli, {
  name: 'image-builder',
  // One cache a command: each holds the code its own runs compiled (a push loading a build's
  // would read and deserialize code it does not run, and still compile its own).
  variant: process.argv.slice(2).find((arg) => arg === 'build' || arg === 'push'),
  // import() calls of the bundle (BuildKit's gRPC, the push's retries) resolve from here.
  importModule: (specifier) => import(specifier),
});
