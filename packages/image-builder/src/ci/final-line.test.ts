import { OpsError, registerSecret } from '@ops/core';
import { finalErrorLine } from './final-line.js';
import { resolveLogMode } from './log-mode.js';
import { createOutputPrinter, safeLine } from './output-printer.js';

describe('log mode', () => {
  test.each([
    [['build'], {}, 'text', ['build']],
    [['build'], { GITHUB_ACTIONS: 'true' }, 'github', ['build']],
    [['build', '--log-format', 'json'], { GITHUB_ACTIONS: 'true' }, 'json', ['build', '--log-format', 'json']],
    [['build', '--log-format', 'github'], {}, 'github', ['build']],
    [['build', '--log-format=github', '--tag', 'x'], {}, 'github', ['build', '--tag', 'x']],
    [['build', '--log-format', 'pretty'], { GITHUB_ACTIONS: 'true' }, 'text', ['build', '--log-format', 'pretty']],
    [['build', '--', '--log-format', 'github'], {}, 'text', ['build', '--', '--log-format', 'github']],
  ])('%j with %j is %s', (argv, env, mode, rest) => {
    expect(resolveLogMode(argv, env)).toEqual({ mode, argv: rest });
  });
});

describe('output printer', () => {
  const printed = (mode: 'text' | 'github' | 'json', fn: (p: ReturnType<typeof createOutputPrinter>) => void) => {
    let out = '';
    const p = createOutputPrinter({ write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream, mode);
    fn(p);
    p.end();
    return out;
  };

  test('GitHub: groups, and a build line cannot issue a workflow command', () => {
    expect(printed('github', (p) => {
      p.step('[1/2] FROM x');
      p.line('::add-mask::nothing');
      p.step('[2/2] RUN y');
      p.line('ok');
    })).toBe('::group::[1/2] FROM x\n ::add-mask::nothing\n::endgroup::\n::group::[2/2] RUN y\nok\n::endgroup::\n');
  });

  test('JSON lines only in json mode, with the step', () => {
    const lines = printed('json', (p) => {
      p.step('[1/1] RUN z');
      p.line('out');
    }).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', message: '[1/1] RUN z', type: 'step' }), expect.objectContaining({ level: 'info', message: 'out', step: '[1/1] RUN z' })]);
  });

  test.each([['text'], ['github'], ['json']] as const)('%s: a registered secret never reaches the log', (mode) => {
    registerSecret('hunter2-printer-secret');
    expect(printed(mode, (p) => {
      p.step('[1/1] RUN cat /run/secrets/token');
      p.line('token is hunter2-printer-secret');
    })).not.toContain('hunter2-printer-secret');
  });

  test.each([['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'], ['tab\tkept', 'tab\tkept'], ['bell\u0007', 'bell\\x07']])('control characters are escaped: %j', (text, expected) => {
    expect(safeLine(text, 'text')).toBe(expected);
  });
});

describe('final line', () => {
  const error = new OpsError('IMAGE_BUILD_FAILED', 'build failed at [2/2] RUN make\n--- last output lines ---\nerror: x', { hint: 'fix the failing step' });
  test('text', () => {
    expect(finalErrorLine('image-builder', error, 'text', 1)).toBe('image-builder: IMAGE_BUILD_FAILED: build failed at [2/2] RUN make\n--- last output lines ---\nerror: x (fix the failing step)\n');
  });
  test('json: one object with the code and exit code', () => {
    expect(JSON.parse(finalErrorLine('image-builder', error, 'json', 5))).toMatchObject({ level: 'error', code: 'IMAGE_BUILD_FAILED', exitCode: 5, hint: 'fix the failing step' });
  });
  test('the last output lines cannot drive the terminal nor the CI log: control characters escaped, no workflow command', () => {
    const hostile = new OpsError('IMAGE_BUILD_FAILED', 'build failed at [2/2] RUN x\n--- last output lines ---\nbad \u001b[31mred\u001b]0;t\u0007\n::add-mask::x', { hint: 'fix the failing step' });
    expect(finalErrorLine('image-builder', hostile, 'text', 1)).toBe('image-builder: IMAGE_BUILD_FAILED: build failed at [2/2] RUN x\n--- last output lines ---\nbad \\x1b[31mred\\x1b]0;t\\x07\n::add-mask::x (fix the failing step)\n');
    const [annotation, ...text] = finalErrorLine('image-builder', hostile, 'github', 1).split('\n');
    expect(annotation).toBe('::error title=IMAGE_BUILD_FAILED::build failed at [2/2] RUN x%0A--- last output lines ---%0Abad \\x1b[31mred\\x1b]0;t\\x07%0A::add-mask::x (fix the failing step)');
    expect(text).toEqual(['image-builder: IMAGE_BUILD_FAILED: build failed at [2/2] RUN x', '--- last output lines ---', 'bad \\x1b[31mred\\x1b]0;t\\x07', ' ::add-mask::x (fix the failing step)', '']);
  });
  test('github: an annotation on the Dockerfile line, then the text line', () => {
    expect(finalErrorLine('image-builder', error, 'github', 1, { file: 'app/Dockerfile', line: 7 }).split('\n')[0]).toBe('::error file=app/Dockerfile,line=7,title=IMAGE_BUILD_FAILED::build failed at [2/2] RUN make%0A--- last output lines ---%0Aerror: x (fix the failing step)');
  });
});
