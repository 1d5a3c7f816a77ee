// Writes the common skeleton files of a workspace package (package.json, tsconfig.json).
// Usage: node scripts/new-package.mjs <dir> <description> [dep ...]
import { writeFileSync, mkdirSync } from 'node:fs';
const [dir, description, ...deps] = process.argv.slice(2);
const name = `@ops/${dir}`;
mkdirSync(`packages/${dir}/src`, { recursive: true });
const pkg = {
  name, version: '0.1.0', description, license: 'MIT', type: 'module', sideEffects: false,
  repository: { type: 'git', url: 'https://example.invalid/ops.git', directory: `packages/${dir}` },
  engines: { node: '>=20.18' }, files: ['dist', '!dist/**/*.test.*', '!dist/.tsbuildinfo'],
  main: './dist/index.js', types: './dist/index.d.ts',
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
  dependencies: Object.fromEntries(deps.map((d) => [d, 'workspace:^'])),
};
writeFileSync(`packages/${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
const tsconfig = {
  extends: '../../tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
  include: ['src'], exclude: ['src/**/*.test.ts'],
  references: deps.map((d) => ({ path: `../${d.replace('@ops/', '')}` })),
};
writeFileSync(`packages/${dir}/tsconfig.json`, JSON.stringify(tsconfig, null, 2) + '\n');
