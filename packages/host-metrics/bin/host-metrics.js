#!/usr/bin/env node
// The command: runs the built CLI. In a clone of the repository, `pnpm build` at its root makes dist/.
import { existsSync } from 'node:fs';
const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) { console.error('host-metrics: not built (no dist/cli.js): run `pnpm build` at the repository root'); process.exit(3); }
await import(cli.href);
