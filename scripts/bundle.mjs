// Bundles the entry points of the packages whose start-up time shows (run after `tsc -b`): each
// entry becomes one file over shared chunks (dist/chunk-*.js: beside the entries, so that paths
// relative to a module, like log-scan's worker script, hold in both layouts), replacing tsc's output for it, so
// Node loads a few files instead of dozens (@ops/core: 20 modules -> 1, about 20 ms; log-scan's
// scan() and its worker thread: 60 -> 3, about 40 ms each). Other packages (npm and @ops/*) stay
// imports: one copy of each at run time, and a dependency's fixes reach users through npm (kafkajs
// bundled would save ~0.1 s of CPU per kafka:// scan, not worth a frozen copy of it in our dist).
// tsc's other files and the .d.ts stay as they are.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// image-builder's command also as one CommonJS file, dist/cli.cjs, which its bin runs: a cached
// build or a push is over in ~100 ms of the daemon's time, so the CLI's own start-up is most of the
// difference with the docker CLI. CommonJS skips the ESM loader (resolving and linking each
// module: ~8 ms for the bin and its chunks), and @ops/core comes inside (~4 ms of resolving), as do
// node-tar's header and PAX codecs, which every build uses (four modules, ~8 ms of resolving them
// through tar's export map; inside, they cost ~1 ms and are node-tar's code all the same). Other
// npm packages stay requires from the package (gRPC, docker-modem's SSH agent: each loaded only
// when used), and @ops/resilient-http an import on the retry path. core's lazy
// createRequire(import.meta.url) (winston, cli-table3) resolves from core's own directory.
await build({
  absWorkingDir: process.cwd(),
  entryPoints: ['packages/image-builder/src/cli.ts'],
  outfile: 'packages/image-builder/dist/cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  external: ['@ops/resilient-http'],
  plugins: [{
    name: 'bundle-ops-core-tar-codecs-and-http1',
    setup(b) {
      const fromImageBuilder = createRequire(join(process.cwd(), 'packages/image-builder/package.json'));
      b.onResolve({ filter: /^tar\/(header|pax)$/ }, (args) => ({ path: fromImageBuilder.resolve(args.path) }));
      // resilient-http's HTTP/1.1 parser, which the Engine client speaks with: an ESM module that
      // a CommonJS file cannot require on Node 20, and needed on every call, so inside too.
      b.onResolve({ filter: /^@ops\/resilient-http\/http1$/ }, () => ({ path: join(process.cwd(), 'packages/resilient-http/dist/http1.js') }));
      b.onResolve({ filter: /^@ops\/core$/ }, () => ({ path: join(process.cwd(), 'packages/core/dist/index.js') }));
      // core's writeFileAtomic is the only user of node:fs/promises in a build or a push, and only
      // with --iidfile or --digest-file: loaded when first called, not at start-up (with the
      // readline and fs/dir modules it pulls in, ~2 ms before the first request). A name core
      // imports that is not listed here fails this build ("No matching export").
      // core's createRequire (node:module) likewise: it loads winston for a debug line; node:module
      // brings the ESM loader's modules along (four modules, ~0.5 ms and ~30 page faults at start-up).
      const LAZY = { 'node:fs/promises': ['open', 'rename', 'rm', 'stat', 'writeFile'], 'node:module': ['createRequire'] };
      b.onResolve({ filter: /^node:(fs\/promises|module)$/ }, (args) => (args.importer.endsWith(join('packages', 'core', 'dist', 'index.js')) ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
        contents: ['let m;', `const builtin = () => (m ??= require(${JSON.stringify(args.path)}));`, ...LAZY[args.path].map((name) => `export const ${name} = (...args) => builtin().${name}(...args);`)].join('\n'),
        loader: 'js',
      }));
      b.onLoad({ filter: /packages\/core\/dist\/index\.js$/ }, (args) => ({ contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', '__opsCoreUrl()'), loader: 'js' }));
    },
  }],
  // Text esbuild leaves alone: core's directory is found at run time, when winston is first needed;
  // __load() is import() (below).
  // import.meta (the CLI's package.json, read for --version only): a getter, so that other runs
  // compute nothing; dist/cli.cjs is beside dist/cli.js, so relative URLs resolve alike.
  define: { 'import.meta': '__opsImportMeta' },
  banner: { js: 'const __opsCoreUrl = () => require("node:url").pathToFileURL(require.resolve("@ops/core")).href;\nconst __opsImportMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };\nconst __load = module.opsImport ?? ((specifier) => import(specifier));' },
  // Whitespace and syntax minified (names kept: error classes are named after them, stack traces
  // stay readable): a smaller file to read, copy and scan at every start.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
// The bin runs dist/cli.cjs from V8's code cache on Node 20 (bin/image-builder.js), where an
// import() in it has no loader: each `import("...")` becomes `__load("...")` (same length: the
// source map holds), which is the bin's import() there and the file's own under require().
const cliCjs = 'packages/image-builder/dist/cli.cjs';
const bundled = readFileSync(cliCjs, 'utf8');
const loads = bundled.replace(/\bimport\("/g, '__load("');
if (/\bimport\(["'`]/.test(loads) || loads === bundled) throw new Error(`${cliCjs}: the import() calls were not all made __load() calls`);
writeFileSync(cliCjs, loads);
