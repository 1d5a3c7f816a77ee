import { execFileSync } from 'node:child_process';
import { lstat, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic.js';
import { renderTable } from './render-table.js';
import { toCsv } from './to-csv.js';
import { sleep } from './sleep.js';
import { resolveOutputFormat } from './output-format.js';
import { hasCode } from '../errors/ops-error.js';
import { makeTempDir } from '@ops/testkit';

describe('writeFileAtomic', () => {
  test('replaces the file and leaves no temporary behind', async () => {
    const dir = makeTempDir('core-').path;
    const file = join(dir, 'out.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['out.json']);
  });
  test('a FIFO (like /dev/null or /dev/stdout) is written in place, not replaced by a regular file', async () => {
    const dir = makeTempDir('core-').path;
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const read = readFile(fifo, 'utf8');
    await writeFileAtomic(fifo, 'through the pipe\n');
    expect(await read).toBe('through the pipe\n');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['pipe']);
  });
  test('missing directory -> OUTPUT_WRITE_FAILED naming the path', async () => {
    await expect(writeFileAtomic('/nonexistent-dir/x.json', 'x')).rejects.toMatchObject({ code: 'OUTPUT_WRITE_FAILED', message: expect.stringContaining('/nonexistent-dir/x.json') });
  });
});

describe('renderTable', () => {
  test('aligned plain columns', () => {
    const text = renderTable(['IP', 'COUNT'], [['10.0.0.1', 12], ['2001:db8::1', 3]], { alignRight: [1] });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^IP\s+COUNT$/);
    expect(lines[1]).toMatch(/^10\.0\.0\.1\s+12$/);
    expect(lines[2]).toMatch(/^2001:db8::1\s+3$/);
  });
});

describe('toCsv', () => {
  test('quotes what needs quoting', () => {
    expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: 3 }, { a: undefined, b: ['u1', 'u2'], c: 0 }], ['a', 'b', 'c'])).toBe(
      'a,b,c\n"x,y","say ""hi""",3\n,"[""u1"",""u2""]",0\n');
  });
});

describe('sleep', () => {
  test('abort ends the wait with an AbortError', async () => {
    const c = new AbortController();
    setTimeout(() => c.abort(), 20);
    await expect(sleep(10_000, c.signal)).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('resolveOutputFormat', () => {
  test('defaults by TTY and validation', () => {
    expect(resolveOutputFormat(undefined, ['text', 'json'], { tty: 'text', pipe: 'json' }, { isTTY: true })).toBe('text');
    expect(resolveOutputFormat(undefined, ['text', 'json'], { tty: 'text', pipe: 'json' }, {})).toBe('json');
    try {
      resolveOutputFormat('xml', ['text', 'json'], { tty: 'text', pipe: 'json' });
      throw new Error('not reached');
    } catch (e) {
      expect(hasCode(e, 'USAGE')).toBe(true);
    }
  });
});
