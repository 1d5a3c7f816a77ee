import { OpsError, isOpsError, hasCode } from './ops-error.js';
import { UsageError } from './usage-error.js';
import { AbortError, throwIfAborted } from './abort-error.js';
import { formatErrorLine, stripCwd } from './error-message.js';
import { ExitCode } from './exit-codes.js';

class DemoError extends OpsError<'DEMO_FAILED'> {
  constructor(message: string, cause?: unknown) {
    super('DEMO_FAILED', message, { cause, exitCode: ExitCode.ENVIRONMENT, hint: 'start the demo daemon' });
  }
}

describe('error classes', () => {
  test.each([
    [new OpsError('X_Y', 'm'), 'OpsError', 'X_Y', 1],
    [new UsageError('bad flag'), 'UsageError', 'USAGE', 2],
    [new AbortError(), 'AbortError', 'ABORTED', 1],
    [new DemoError('daemon down'), 'DemoError', 'DEMO_FAILED', 3],
  ])('%#: name, code, exit code', (error, name, code, exitCode) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exitCode);
    expect(isOpsError(error)).toBe(true);
    expect(hasCode(error, code)).toBe(true);
  });

  test('guards reject other values', () => {
    expect(isOpsError(new Error('x'))).toBe(false);
    expect(isOpsError({ code: 'X' })).toBe(false);
    expect(hasCode(new OpsError('A', 'm'), 'B')).toBe(false);
  });

  test('brand works across copies (plain objects carrying the global symbol)', () => {
    const foreign = Object.assign(new Error('x'), { code: 'C' });
    Object.defineProperty(foreign, Symbol.for('@ops/core.OpsError'), { value: true });
    expect(isOpsError(foreign)).toBe(true);
  });

  test('keeps the cause and redacts secrets in message and context', () => {
    const cause = new Error('ECONNREFUSED');
    const e = new OpsError('HTTP_FAILED', 'GET https://u:pw1234@api.local/x failed', { cause, context: { url: 'https://u:pw1234@api.local', password: 'pw1234', status: 503 } });
    expect(e.cause).toBe(cause);
    expect(e.message).not.toContain('pw1234');
    expect(JSON.stringify(e.context)).not.toContain('pw1234');
    expect(e.context.status).toBe(503);
    expect(JSON.stringify(e)).not.toContain('pw1234');
    expect(e.toJSON()).toMatchObject({ code: 'HTTP_FAILED', cause: { message: 'ECONNREFUSED' } });
  });

  test('throwIfAborted', () => {
    const c = new AbortController();
    expect(() => throwIfAborted(c.signal)).not.toThrow();
    c.abort();
    expect(() => throwIfAborted(c.signal, 'the scan')).toThrow(/the scan was cancelled/);
  });
});

describe('formatErrorLine', () => {
  test('OpsError: code, message and hint on one line', () => {
    expect(formatErrorLine(new DemoError('daemon at /run/d.sock is down'))).toBe('DEMO_FAILED: daemon at /run/d.sock is down (start the demo daemon)');
  });
  test('unexpected errors are marked as bugs with the cwd stripped', () => {
    const line = formatErrorLine(new TypeError(`cannot read x at ${process.cwd()}/src/a.ts`));
    expect(line).toMatch(/^unexpected error: cannot read x at src\/a\.ts/);
    expect(line).toContain('bug');
  });
  test('stripCwd', () => expect(stripCwd('/w/p/a.ts and /w/p/b.ts', '/w/p')).toBe('a.ts and b.ts'));
});
