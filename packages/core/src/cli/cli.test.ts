import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { jest } from '@jest/globals';
import { makeTempDir } from '@ops/testkit';
import { runCli, type CliMain } from './run-cli.js';
import { dispatchCommand } from './dispatch-command.js';
import { extractCommonFlags } from './common-flags.js';
import { parseCliArgs, parseKeyValues } from './parse-cli-args.js';
import { readPackageVersion } from './read-package-version.js';
import { OpsError } from '../errors/ops-error.js';
import { UsageError } from '../errors/usage-error.js';
import { ExitCode } from '../errors/exit-codes.js';

async function run(main: CliMain, argv: string[] = [], version?: string | (() => string)) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(main, { name: 'demo', argv, stdout, stderr, exit: false, version });
  await new Promise((r) => setImmediate(r));
  return { code, out, err };
}

describe('runCli exit-code mapping', () => {
  test.each<[string, CliMain, number]>([
    ['returns nothing', () => undefined, 0],
    ['returns 1', () => 1, 1],
    ['usage error', () => { throw new UsageError('bad --x'); }, ExitCode.USAGE],
    ['environment error', () => { throw new OpsError('X_DOWN', 'daemon down', { exitCode: ExitCode.ENVIRONMENT }); }, 3],
    ['problem', async () => { throw new OpsError('X_BAD', 'bad'); }, 1],
    ['unexpected error', () => { throw new TypeError('oops'); }, 1],
  ])('%s -> %d', async (_, main, expected) => {
    expect((await run(main)).code).toBe(expected);
  });

  test('one clear stderr line for an OpsError, with secrets redacted', async () => {
    const { err } = await run(() => { throw new OpsError('IMAGE_PUSH_DENIED', 'push to https://bob:hunter2@reg denied', { hint: 'check the credentials' }); });
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('demo: IMAGE_PUSH_DENIED: push to https://bob:[REDACTED]@reg denied (check the credentials)');
    expect(err).not.toContain('hunter2');
  });

  test('common flags are taken out and configure the logger', async () => {
    const { code, out, err } = await run(({ argv, logger, flags }) => {
      logger.debug('dbg');
      logger.info('inf');
      expect(flags.logLevel).toBe('warn');
      expect(flags.logFormat).toBe('json');
      return argv.length;
    }, ['--log-level=warn', 'a', '--log-format', 'json', 'b']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).not.toContain('inf');
  });

  test('bad common flag is a usage error', async () => {
    const { code, err } = await run(() => 0, ['--log-level', 'loud']);
    expect(code).toBe(2);
    expect(err).toContain('--log-level');
  });
});

describe('runCli --version', () => {
  test.each([[['--version']], [['-V']], [['check', '--quiet', '--version']], [['--help', '-V']]])('%j: prints the version on stdout, exits 0, main not run', async (argv) => {
    const main = jest.fn(() => 1);
    expect(await run(main, argv, '1.2.3')).toEqual({ code: 0, out: '1.2.3\n', err: '' });
    expect(main).not.toHaveBeenCalled();
  });
  test('a version function is called only for --version', async () => {
    const version = jest.fn(() => '4.5.6');
    expect((await run(() => 0, ['a'], version)).code).toBe(0);
    expect(version).not.toHaveBeenCalled();
    expect((await run(() => 0, ['--version'], version)).out).toBe('4.5.6\n');
  });
  test('after --, --version is an argument', async () => {
    expect((await run(({ argv }) => (argv.includes('--version') ? 7 : 0), ['--', '--version'], '1.2.3')).code).toBe(7);
  });
  test('a program that declares no version: a usage error naming the fix', async () => {
    const { code, out, err } = await run(() => 0, ['--version']);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toContain('demo: USAGE: `--version`: demo does not declare its version');
  });
  test('a version that cannot be read: one line, exit 3', async () => {
    const { code, err } = await run(() => 0, ['-V'], () => readPackageVersion('/nonexistent/package.json'));
    expect(code).toBe(3);
    expect(err).toContain('PACKAGE_VERSION_UNREADABLE: Could not read the version from /nonexistent/package.json');
  });
});

describe('readPackageVersion', () => {
  test('reads the version of a package.json given as a URL or a path', () => {
    const url = new URL('../../package.json', import.meta.url);
    const expected = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
    expect(expected).toMatch(/^\d+\.\d+\.\d+/);
    expect(readPackageVersion(url)).toBe(expected);
    expect(readPackageVersion(url.pathname)).toBe(expected);
  });
  test.each([
    ['a missing file', undefined, /Could not read the version from .*\/package\.json: ENOENT/],
    ['no version', '{"name":"x"}', /has no "version" string/],
    ['not JSON', '{', /Could not read the version from .*JSON/],
  ])('%s -> PACKAGE_VERSION_UNREADABLE, exit code 3', (_, text, message) => {
    const dir = makeTempDir('core-version-').path;
    const file = join(dir, 'package.json');
    if (text !== undefined) writeFileSync(file, text);
    expect(() => readPackageVersion(file)).toThrow(expect.objectContaining({ code: 'PACKAGE_VERSION_UNREADABLE', exitCode: 3, message: expect.stringMatching(message) }));
  });
});

describe('extractCommonFlags', () => {
  test('quiet means error level unless given', () => {
    expect(extractCommonFlags(['-q', 'x']).flags.logLevel).toBe('error');
    expect(extractCommonFlags(['-q', '--log-level', 'debug']).flags.logLevel).toBe('debug');
  });
  test('stops at --', () => {
    expect(extractCommonFlags(['a', '--', '--quiet']).rest).toEqual(['a', '--', '--quiet']);
  });
  test('--version and -V anywhere before --', () => {
    expect(extractCommonFlags(['a', '--version', 'b'])).toEqual({ flags: expect.objectContaining({ version: true }), rest: ['a', 'b'] });
    expect(extractCommonFlags(['-V']).flags.version).toBe(true);
    expect(extractCommonFlags(['a']).flags.version).toBe(false);
  });
});

describe('parseCliArgs', () => {
  test('unknown flag -> usage error', () => {
    expect(() => parseCliArgs(['--nope'], { top: { type: 'string' } })).toThrow(UsageError);
  });
  test('values and positionals', () => {
    const { values, positionals } = parseCliArgs(['--top', '5', 'a.log'], { top: { type: 'string' } });
    expect(values.top).toBe('5');
    expect(positionals).toEqual(['a.log']);
  });
  test('parseKeyValues', () => {
    expect(parseKeyValues(['A=1', 'B=x=y'], '--build-arg')).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseKeyValues(['oops'], '--label')).toThrow(/`--label` as KEY=VALUE/);
  });
});

describe('dispatchCommand', () => {
  const commands = { greet: (argv: string[]) => (argv[0] === 'fail' ? 1 : 0) };
  test.each<[string[], number, string]>([
    [['greet'], 0, ''],
    [['greet', 'fail'], 1, ''],
    [[], 2, 'USAGE TEXT'],
    [['--help'], 0, 'USAGE TEXT'],
    [['nope'], 2, ''],
  ])('%j -> %d', async (argv, code, out) => {
    const result = await run((ctx) => dispatchCommand(ctx, commands, { name: 'demo', usage: 'USAGE TEXT' }), argv);
    expect(result.code).toBe(code);
    expect(result.out).toBe(out);
    if (argv[0] === 'nope') expect(result.err).toContain('unknown command "nope" (expected one of greet)');
  });
});
