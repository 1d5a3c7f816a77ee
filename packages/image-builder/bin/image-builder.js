#!/usr/bin/env node
// The command: runs the built CLI. In a clone of the repository, `pnpm build` at its root makes dist/.
import { existsSync } from 'node:fs';
import module from 'node:module';
// Node 22.1+ keeps V8's compiled code of the CLI between runs (its start-up time); Node 20 has no
// such cache and runs as before.
module.enableCompileCache?.();
const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) { console.error('image-builder: not built (no dist/cli.js): run `pnpm build` at the repository root'); process.exit(3); }
await import(cli.href);
