#!/usr/bin/env node
// The command: runs the built CLI, dist/cli.cjs (one CommonJS file: no ESM loader at start-up;
// bin/package.json makes this file CommonJS too). In a clone of the repository, `pnpm build` at
// its root makes dist/.
'use strict';
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
const { existsSync } = require('node:fs');
const { join } = require('node:path');
// Node 22.1+ keeps V8's compiled code of the CLI between runs (its start-up time); Node 20 has no
// such cache and runs as before, without loading node:module for nothing.
if (Number(process.versions.node.split('.')[0]) >= 22) require('node:module').enableCompileCache?.();
const cli = join(__dirname, '../dist/cli.cjs');
if (!existsSync(cli)) {
  console.error('image-builder: not built (no dist/cli.cjs): run `pnpm build` at the repository root');
  process.exit(3);
}
require(cli);
