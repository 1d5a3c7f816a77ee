import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

  test('a small context is also there whole (the same tar as its stream); a large one is not', async () => {
    const root = tree({ 'Dockerfile': 'FROM scratch\n', 'app.js': 'x' });
    roots.push(root);
    const small = await packContext(root);
    const streamed: Buffer[] = [];
    for await (const chunk of small.stream as AsyncIterable<Buffer>) streamed.push(chunk);
    expect(small.whole?.equals(Buffer.concat(streamed))).toBe(true);
    expect((await listTar(Readable.from([small.whole!]))).map((e) => e.name)).toEqual(['Dockerfile', 'app.js']);
    expect(await small.done).toEqual({ entries: 2, bytes: small.whole!.length });
    writeFileSync(join(root, 'big.bin'), Buffer.alloc(300 * 1024));
    const large = await packContext(root);
    expect(large.whole).toBeUndefined();
    large.stream.destroy();
  });

  test('dockerfileFirst: the Dockerfile\'s entry is readable at once, first, and the rest follows once it is taken', async () => {
    const files = { 'Dockerfile': 'FROM scratch\nCOPY . /\n', '.dockerignore': 'Dockerfile\n*.log\n', 'app.js': 'x', 'a.log': 'x', 'sub/b.js': 'b' };
    const root = tree(files);
    roots.push(root);
    const packed = await packContext(root, { dockerfileFirst: true });
    expect(packed.whole).toBeUndefined();
    // Before any tick: the stream holds the Dockerfile's entry (header, body, padding) and nothing else yet.
    const first = packed.stream.read() as Buffer;
    expect(first.length).toBe(1024);
    expect(first.subarray(0, 10).toString()).toBe('Dockerfile');
    expect(first.subarray(512, 512 + files.Dockerfile.length).toString()).toBe(files.Dockerfile);
    expect(packed.stream.read()).toBeNull();
    const rest: Buffer[] = [];
    for await (const chunk of packed.stream as AsyncIterable<Buffer>) rest.push(chunk);
    const entries = await listTar(Readable.from([Buffer.concat([first, ...rest])]));
    // Once (excluded by .dockerignore, sent all the same), with the same entries as without the option.
    expect(entries.map((e) => e.name)).toEqual(['Dockerfile', '.dockerignore', 'app.js', 'sub/', 'sub/b.js']);
    const plain = await listTar((await packContext(root)).stream);
    expect(entries.map((e) => e.name).sort()).toEqual(plain.map((e) => e.name).sort());
    expect(await packed.done).toEqual({ entries: 5, bytes: first.length + Buffer.concat(rest).length });
  });

  test('dockerfileFirst with a large context, a Dockerfile in a subdirectory, a symlinked one', async () => {
    const root = tree({ 'build/Dockerfile': 'FROM scratch\n', 'big.bin': 'y'.repeat(300 * 1024), 'app.js': 'x' });
    roots.push(root);
    const large = await packContext(root, { dockerfile: 'build/Dockerfile', dockerfileFirst: true });
    const entries = await listTar(large.stream);
    expect(entries.map((e) => e.name)).toEqual(['build/Dockerfile', 'app.js', 'big.bin', 'build/']);
    expect(entries.find((e) => e.name === 'big.bin')?.body.length).toBe(300 * 1024);
    expect(await large.done).toEqual({ entries: 4, bytes: expect.any(Number) });
    // A symlink is sent as one, where the walk finds it (its target is the engine's to read).
    symlinkSync('build/Dockerfile', join(root, 'Dockerfile'));
    const linked = await listTar((await packContext(root, { dockerfileFirst: true })).stream);
    expect(linked.map((e) => e.name)).toEqual(['Dockerfile', 'app.js', 'big.bin', 'build/', 'build/Dockerfile']);
    expect(linked.find((e) => e.name === 'Dockerfile')).toMatchObject({ type: 'symlink', linkname: 'build/Dockerfile' });
    // Under a symlinked directory: sent where the walk finds it (the link), not as a file first.
    symlinkSync('build', join(root, 'conf'));
    const underLink = await listTar((await packContext(root, { dockerfile: 'conf/Dockerfile', dockerfileFirst: true })).stream);
    expect(underLink.map((e) => e.name)).toEqual(['Dockerfile', 'app.js', 'big.bin', 'build/', 'build/Dockerfile', 'conf']);
  });

  test('a context over one batch of small files goes on from where the first batch stopped: every entry once, in order', async () => {
    const files: Record<string, string> = { 'Dockerfile': 'FROM scratch\n' };
    for (let i = 0; i < 120; i++) files[`src/f${String(i).padStart(3, '0')}.txt`] = String(i).repeat(4000);
    files['src/m-big.bin'] = 'w'.repeat(300 * 1024);
    const root = tree(files);
    roots.push(root);
    for (const dockerfileFirst of [false, true]) {
      const packed = await packContext(root, { dockerfileFirst });
      expect(packed.whole).toBeUndefined();
      const entries = await listTar(packed.stream);
      const expected = ['Dockerfile', 'src/', ...Object.keys(files).filter((f) => f.startsWith('src/')).sort()];
      expect(entries.map((e) => e.name)).toEqual(expected);
      for (const e of entries) if (e.type === 'file') expect(e.body).toBe(files[e.name]);
      expect(await packed.done).toEqual({ entries: expected.length, bytes: expect.any(Number) });
    }
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

  test('large files are read in reused buffers: chunks released once written come back with the right bytes', async () => {
    const size = 3 * 1024 * 1024 + 5;
    const files: Record<string, string> = { 'Dockerfile': 'FROM scratch\n' };
    for (const name of ['a.bin', 'b.bin', 'c.bin']) files[name] = Array.from({ length: size }, (_, i) => String.fromCharCode(97 + ((i + name.charCodeAt(0)) % 26))).join('');
    const root = tree(files);
    roots.push(root);
    const packed = await packContext(root);
    const copies: Buffer[] = [];
    const seen = new Set<ArrayBufferLike>();
    for await (const chunk of packed.stream as AsyncIterable<Buffer>) {
      copies.push(Buffer.from(chunk));
      if (chunk.buffer.byteLength === 1024 * 1024) seen.add(chunk.buffer);
      packed.release(chunk);
    }
    const entries = await listTar(Readable.from([Buffer.concat(copies)]));
    for (const name of ['a.bin', 'b.bin', 'c.bin']) expect(entries.find((e) => e.name === name)?.body).toBe(files[name]);
    // 9 MiB of file reads (1 MiB each) went through a few buffers, not one each
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.size).toBeLessThan(4);
    expect(await packed.done).toEqual({ entries: 4, bytes: Buffer.concat(copies).length });
  });

  test('GNU tar lists the same entries (ustar, prefix and PAX headers are standard)', async () => {
    const long = `${'p'.repeat(120)}/${'q'.repeat(120)}.txt`;
    const root = tree({ 'Dockerfile': 'FROM scratch\n', [long]: 'pax', 'caf\u00e9.txt': 'utf8', [`${'d'.repeat(90)}/${'e'.repeat(90)}.txt`]: 'prefix' });
    roots.push(root);
    const tarFile = join(root, '..', `${basename(root)}.tar`);
    const packed = await packContext(root);
    await pipeline(packed.stream, createWriteStream(tarFile));
    roots.push(tarFile);
    const listed = execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8' }).trim().split('\n');
    expect(listed.map((l) => l.split(/\s+/).slice(5).join(' ')).sort()).toEqual(['Dockerfile', long, 'caf\u00e9.txt', `${'d'.repeat(90)}/`, `${'d'.repeat(90)}/${'e'.repeat(90)}.txt`, `${'p'.repeat(120)}/`].sort());
    expect(listed.every((l) => l.includes(' 0/0 ') || l.includes('root/root') || / \d+\/\d+ /.test(l))).toBe(true);
    expect(execFileSync('tar', ['-xOf', tarFile, long], { encoding: 'utf8' })).toBe('pax');
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
