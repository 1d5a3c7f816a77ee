// Every CLI of the workspace, run from its real bin (built dist/, as `pnpm exec <cli>` runs it):
// `--version` and `-V` print its package.json's version and exit 0, and its help lists them.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

interface Manifest { name: string; version: string; bin?: Record<string, string> }

const clis = readdirSync(join(root, 'packages')).flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest;
  return Object.entries(manifest.bin ?? {}).map(([name, bin]) => ({ name, bin: join(root, 'packages', dir, bin), version: manifest.version }));
});

test('the six CLIs are found', () => {
  expect(clis.map((c) => c.name).sort()).toEqual(['config-schema', 'host-metrics', 'image-builder', 'log-scan', 'resilient-http', 'ssh-probe']);
});

describe.each(clis)('$name', ({ bin, version }) => {
  test.each([['--version'], ['-V']])('%s prints the package version and exits 0', async (flag) => {
    const { stdout, stderr } = await run(process.execPath, [bin, flag]);
    expect({ stdout, stderr }).toEqual({ stdout: `${version}\n`, stderr: '' });
  });

  test('--help lists -V, --version', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toMatch(/^ {2}-V, --version +print the version and exit$/m);
  });
});
