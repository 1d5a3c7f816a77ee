import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { extract } from 'tar-stream';
import { packContext } from './pack-context.js';

interface TarEntry { name: string; type: string; uid: number; linkname?: string; body: string }

async function listTar(stream: NodeJS.ReadableStream): Promise<TarEntry[]> {
  const ex = extract();
  const entries: TarEntry[] = [];
  ex.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c) => chunks.push(c as Buffer));
    body.on('end', () => {
      entries.push({ name: header.name, type: header.type ?? 'file', uid: header.uid ?? -1, linkname: header.linkname ?? undefined, body: Buffer.concat(chunks).toString() });
      next();
    });
  });
  const finished = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  stream.pipe(ex as unknown as NodeJS.WritableStream);
  await finished;
  return entries;
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ib-pack-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  return root;
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('packContext', () => {
  test('honours .dockerignore with exceptions and always sends the Dockerfile and .dockerignore', async () => {
    const root = tree({
      'Dockerfile': 'FROM scratch\n',
      '.dockerignore': 'node_modules\n*.log\ndocs\n!docs/keep.md\nDockerfile\n.dockerignore\n**/secret.txt\n',
      'app.js': 'x',
      'debug.log': 'x',
      'sub/nested.log': 'kept: *.log is root-only',
      'sub/secret.txt': 'x',
      'node_modules/dep/index.js': 'x',
      'docs/keep.md': 'keep',
      'docs/drop.md': 'drop',
    });
    roots.push(root);
    symlinkSync('app.js', join(root, 'link.js'));
    const packed = await packContext(root);
    const entries = await listTar(packed.stream);
    expect(entries.map((e) => e.name)).toEqual(['.dockerignore', 'Dockerfile', 'app.js', 'docs/keep.md', 'link.js', 'sub/', 'sub/nested.log']);
    expect(entries.every((e) => e.uid === 0)).toBe(true);
    expect(entries.find((e) => e.name === 'link.js')).toMatchObject({ type: 'symlink', linkname: 'app.js' });
    expect(packed.dockerfile).toBe('Dockerfile');
    expect(await packed.done).toEqual({ entries: 7, bytes: expect.any(Number) });
  });

  test('<Dockerfile>.dockerignore wins over .dockerignore', async () => {
    const root = tree({ 'build/app.Dockerfile': 'FROM scratch\n', 'build/app.Dockerfile.dockerignore': 'a.txt\n', '.dockerignore': 'b.txt\n', 'a.txt': 'a', 'b.txt': 'b' });
    roots.push(root);
    const packed = await packContext(root, { dockerfile: 'build/app.Dockerfile' });
    const names = (await listTar(packed.stream)).map((e) => e.name);
    expect(names).toContain('b.txt');
    expect(names).not.toContain('a.txt');
    expect(packed.dockerfile).toBe('build/app.Dockerfile');
  });

  test('a Dockerfile outside the context is added under a generated name and ignored by COPY', async () => {
    const root = tree({ 'ctx/app.js': 'x', 'ctx/.dockerignore': 'tmp\n', 'Dockerfile.outside': 'FROM scratch\nCOPY . /\n' });
    roots.push(root);
    const packed = await packContext(join(root, 'ctx'), { dockerfile: join(root, 'Dockerfile.outside') });
    expect(packed.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const entries = await listTar(packed.stream);
    expect(entries.map((e) => e.name).sort()).toEqual(['.dockerignore', packed.dockerfile, 'app.js'].sort());
    expect(entries.find((e) => e.name === packed.dockerfile)?.body).toBe('FROM scratch\nCOPY . /\n');
    expect(entries.find((e) => e.name === '.dockerignore')?.body).toBe(`tmp\n\n${packed.dockerfile}\n`);
  });

  test('long names (ustar prefix and PAX), long symlink targets, UTF-8 names and files streamed in chunks', async () => {
    const prefixed = `${'d'.repeat(90)}/${'e'.repeat(90)}.txt`;
    const pax = `${'p'.repeat(120)}/${'q'.repeat(120)}/${'r'.repeat(120)}.txt`;
    const big = 'z'.repeat(700 * 1024 + 3);
    const root = tree({ 'Dockerfile': 'FROM scratch\n', [prefixed]: 'prefix', [pax]: 'pax', 'caf\u00e9.txt': 'utf8', 'big.bin': big });
    roots.push(root);
    const target = `${'t'.repeat(150)}.txt`;
    symlinkSync(target, join(root, 'longlink'));
    const entries = await listTar((await packContext(root)).stream);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get(prefixed)?.body).toBe('prefix');
    expect(byName.get(pax)?.body).toBe('pax');
    expect(byName.get('caf\u00e9.txt')?.body).toBe('utf8');
    expect(byName.get('big.bin')?.body).toBe(big);
    expect(byName.get('longlink')).toMatchObject({ type: 'symlink', linkname: target });
  });

  test('extra ignore patterns apply after the file', async () => {
    const root = tree({ 'Dockerfile': 'FROM scratch\n', 'a.txt': 'a', 'b.txt': 'b' });
    roots.push(root);
    const names = (await listTar((await packContext(root, { ignore: ['*.txt', '!b.txt'] })).stream)).map((e) => e.name);
    expect(names).toEqual(['Dockerfile', 'b.txt']);
  });

  test.each([
    ['a missing context', (root: string) => packContext(join(root, 'nope')), /is not a directory/],
    ['a missing Dockerfile', (root: string) => packContext(root, { dockerfile: 'Nope' }), /Nope does not exist/],
  ])('%s is a ContextError (exit 2)', async (_name, call, message) => {
    const root = tree({ 'x': 'x' });
    roots.push(root);
    await expect(call(root)).rejects.toMatchObject({ code: 'IMAGE_CONTEXT_INVALID', exitCode: 2, message: expect.stringMatching(message) });
  });
});
