import { PassThrough } from 'node:stream';
import { runCli, type CliMain } from './run-cli.js';
import { dispatchCommand } from './dispatch-command.js';
import { extractCommonFlags } from './common-flags.js';
import { parseCliArgs, parseKeyValues } from './parse-cli-args.js';
import { OpsError } from '../errors/ops-error.js';
import { UsageError } from '../errors/usage-error.js';
import { ExitCode } from '../errors/exit-codes.js';

async function run(main: CliMain, argv: string[] = []) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(main, { name: 'demo', argv, stdout, stderr, exit: false });
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

describe('extractCommonFlags', () => {
  test('quiet means error level unless given', () => {
    expect(extractCommonFlags(['-q', 'x']).flags.logLevel).toBe('error');
    expect(extractCommonFlags(['-q', '--log-level', 'debug']).flags.logLevel).toBe('debug');
  });
  test('stops at --', () => {
    expect(extractCommonFlags(['a', '--', '--quiet']).rest).toEqual(['a', '--', '--quiet']);
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
