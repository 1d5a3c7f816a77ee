// Bundles the entry points of the packages whose start-up time shows (run after `tsc -b`): each
// entry becomes one file over shared chunks (dist/chunk-*.js: beside the entries, so that paths
// relative to a module, like log-scan's worker script, hold in both layouts), replacing tsc's output for it, so
// Node loads a few files instead of dozens (@ops/core: 20 modules -> 1, about 20 ms; log-scan's
// scan(): 60 -> 3, about 40 ms; its worker thread is one CommonJS file, below). Other packages (npm and @ops/*) stay
// imports: one copy of each at run time, and a dependency's fixes reach users through npm (kafkajs
// bundled would save ~0.1 s of CPU per kafka:// scan, not worth a frozen copy of it in our dist).
// tsc's other files and the .d.ts stay as they are.
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const ENTRIES = {
  core: ['index'],
  'log-scan': ['index', 'cli'],
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

// core's writeFileAtomic is the only user of node:fs/promises in a build or a push, and only with
// --iidfile or --digest-file: loaded when first called, not at start-up (with the readline and
// fs/dir modules it pulls in, ~2 ms before the first request). core's createRequire (node:module)
// likewise: it loads winston for a debug line; node:module brings the ESM loader's modules along
// (four modules, ~0.5 ms and ~30 page faults at start-up).
const CORE_LAZY = { 'node:fs/promises': ['open', 'rename', 'rm', 'stat', 'writeFile'], 'node:module': ['createRequire'] };

// Commands whose start-up shows also as one CommonJS file each, which their bin runs (see
// bundleCommonJs): image-builder's dist/cli.cjs (a cached build or a push is over in ~100 ms of the
// daemon's time, so the CLI's own start-up is most of the difference with the docker CLI), and
// log-scan's dist/cli.cjs and its worker thread's dist/scanner/scan-worker.cjs (on a 2-core machine
// each ms either thread starts earlier is a ms of scanning: on a 1 GiB file the ESM graph costs the
// command ~40 ms and the worker ~60 ms before their first byte).
//
// image-builder: node-tar's header and PAX codecs, which every build uses, come inside (four
// modules, ~8 ms of resolving them through tar's export map; inside, they cost ~1 ms and are
// node-tar's code all the same). Other npm packages stay requires from the package (gRPC,
// docker-modem's SSH agent: each loaded only when used), and @ops/resilient-http an import on the
// retry path.
await bundleCommonJs('image-builder', 'cli', {
  external: ['@ops/resilient-http'],
  resolve(b) {
    const fromImageBuilder = createRequire(join(process.cwd(), 'packages/image-builder/package.json'));
    b.onResolve({ filter: /^tar\/(header|pax)$/ }, (args) => ({ path: fromImageBuilder.resolve(args.path) }));
    // resilient-http's HTTP/1.1 parser, which the Engine client speaks with: an ESM module that
    // a CommonJS file cannot require on Node 20, and needed on every call, so inside too.
    b.onResolve({ filter: /^@ops\/resilient-http\/http1$/ }, () => ({ path: join(process.cwd(), 'packages/resilient-http/dist/http1.js') }));
  },
});
// log-scan: the S3 and Kafka sources come inside (each evaluated only when used: esbuild wraps
// what an import() loads); their npm packages stay requires, @ops/resilient-http an import.
// node:zlib is for gzip sources only (~1.5 ms at start-up).
await bundleCommonJs('log-scan', 'cli', { lazy: { 'node:zlib': ['createGunzip'] } });
// The worker has no import() and no import.meta. It is always given the calling thread's compiled
// scanner module (scan.ts: none only where it could not compile one either), so the module's
// 90 KB of base64 stay out (compiling them cost a worker ~3 ms before its first range); its own
// compile, never called, would make no module of the empty text, as without WebAssembly SIMD.
// node:net (~1.3 ms before its first range) is for addresses the JavaScript scanner reads.
await bundleCommonJs('log-scan', 'scanner/scan-worker', {
  lazy: { 'node:net': ['isIPv4', 'isIPv6'] },
  resolve(b) {
    b.onResolve({ filter: /\/scanner-wasm\.js$/ }, () => ({ path: 'scanner-wasm', namespace: 'no-wasm' }));
    b.onLoad({ filter: /.*/, namespace: 'no-wasm' }, () => ({ contents: "export const SCANNER_WASM_BASE64 = '';", loader: 'js' }));
  },
});
// What the bin needs to start the workers before it loads the command.
await bundleCommonJs('log-scan', 'scanner/worker-pool');
// The loader the bins run these files with (from V8's code cache on Node 20), one copy a package.
for (const dir of ['image-builder', 'log-scan']) copyFileSync('scripts/run-cached.cjs', join('packages', dir, 'dist', 'run-cached.cjs'));

/**
 * Bundles packages/<dir>/src/<entry>.ts as one CommonJS file, dist/<entry>.cjs (beside the ESM
 * entry, so that URLs relative to a module resolve alike). CommonJS skips the ESM loader
 * (resolving and linking each module: ~8 ms for image-builder's bin and its chunks), and
 * @ops/core comes inside (~4 ms of resolving). npm packages stay requires from the package.
 * core's lazy createRequire(import.meta.url) (winston, cli-table3) resolves from core's own
 * directory. `resolve`: more onResolve hooks; `lazy`: builtins loaded when first used (see below).
 */
async function bundleCommonJs(dir, entry, { external = [], resolve, lazy = {} } = {}) {
  const outfile = join('packages', dir, 'dist', `${entry}.cjs`);
  await build({
    absWorkingDir: process.cwd(),
    entryPoints: [join('packages', dir, 'src', `${entry}.ts`)],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    external,
    plugins: [{
      name: 'bundle-ops-core',
      setup(b) {
        resolve?.(b);
        b.onResolve({ filter: /^@ops\/core$/ }, () => ({ path: join(process.cwd(), 'packages/core/dist/index.js') }));
        // A builtin listed in `lazy` (or, for core's imports, in CORE_LAZY) is required when one of
        // the named functions is first called, not at start-up. A name imported that is not listed
        // fails this build ("No matching export").
        b.onResolve({ filter: /^node:/ }, (args) => {
          if (args.namespace === 'lazy-builtin') return undefined; // its own require() of the builtin
          const names = lazy[args.path] ?? (args.importer.endsWith(join('packages', 'core', 'dist', 'index.js')) ? CORE_LAZY[args.path] : undefined);
          return names ? { path: args.path, namespace: 'lazy-builtin', pluginData: names } : undefined;
        });
        b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
          contents: ['let m;', `const builtin = () => (m ??= require(${JSON.stringify(args.path)}));`, ...args.pluginData.map((name) => `export const ${name} = (...args) => builtin().${name}(...args);`)].join('\n'),
          loader: 'js',
        }));
        b.onLoad({ filter: /packages\/core\/dist\/index\.js$/ }, (args) => ({ contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', '__opsCoreUrl()'), loader: 'js' }));
      },
    }],
    // Text esbuild leaves alone: core's directory is found at run time, when winston is first needed;
    // __load() is import() (below).
    // import.meta (the CLI's package.json, read for --version only; log-scan's worker script): a
    // getter, so that other runs compute nothing.
    define: { 'import.meta': '__opsImportMeta' },
    banner: { js: 'const __opsCoreUrl = () => require("node:url").pathToFileURL(require.resolve("@ops/core")).href;\nconst __opsImportMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };\nconst __load = module.opsImport ?? ((specifier) => import(specifier));' },
    // Whitespace and syntax minified (names kept: error classes are named after them, stack traces
    // stay readable): a smaller file to read, copy and scan at every start.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // The bins run these files from V8's code cache on Node 20 (scripts/run-cached.cjs), where an
  // import() in them has no loader: each `import("...")` becomes `__load("...")` (same length: the
  // source map holds), which is the loader's import() there and the file's own under require().
  const bundled = readFileSync(outfile, 'utf8');
  const loads = bundled.replace(/\bimport\("/g, '__load("');
  if (/\bimport\(["'`]/.test(loads)) throw new Error(`${outfile}: the import() calls were not all made __load() calls`);
  writeFileSync(outfile, loads);
}
