// Bundles the entry points of the packages whose start-up time shows (run after `tsc -b`): each
// entry becomes one file over shared chunks (dist/chunk-*.js: beside the entries, so that paths
// relative to a module, like log-scan's worker script, hold in both layouts), replacing tsc's output for it, so
// Node loads a few files instead of dozens (@ops/core: 20 modules -> 1, about 20 ms; log-scan's
// scan() and its worker thread: 60 -> 3, about 40 ms each). Other packages (npm and @ops/*) stay
// imports: one copy of each at run time, and a dependency's fixes reach users through npm (kafkajs
// bundled would save ~0.1 s of CPU per kafka:// scan, not worth a frozen copy of it in our dist).
// tsc's other files and the .d.ts stay as they are.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ENTRIES = {
  core: ['index'],
  'log-scan': ['index', 'cli', 'scanner/scan-worker'],
  'resilient-http': ['index', 'cli'],
  'config-schema': ['index', 'cli'],
  'image-builder': ['index', 'cli'],
};

for (const [dir, entries] of Object.entries(ENTRIES)) {
  const root = join('packages', dir);
  for (const old of readdirSync(join(root, 'dist')).filter((f) => f.startsWith('chunk-'))) rmSync(join(root, 'dist', old));
  await build({
    absWorkingDir: process.cwd(),
    entryPoints: entries.map((e) => join(root, 'src', `${e}.ts`)),
    outbase: join(root, 'src'),
    outdir: join(root, 'dist'),
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
