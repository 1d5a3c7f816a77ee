import { listStages } from './base-images.js';
import { parseDockerfile } from './parse-dockerfile.js';

describe('parseDockerfile', () => {
  test('directives, comments, continuations and heredocs keep their lines', () => {
    const info = parseDockerfile('# syntax=docker/dockerfile:1.4\n# escape=\\\n\n# a comment\nFROM busybox AS base\nRUN echo a && \\\n  # inside\n  echo b\nRUN <<EOF\necho in heredoc\nEOF\ncopy . /app\n');
    expect(info.syntax).toBe('docker/dockerfile:1.4');
    expect(info.instructions.map((i) => [i.keyword, i.line, i.endLine, i.heredoc])).toEqual([
      ['FROM', 5, 5, false],
      ['RUN', 6, 8, false],
      ['RUN', 9, 11, true],
      ['COPY', 12, 12, false],
    ]);
    expect(info.instructions[1]!.args).toBe('echo a &&   echo b');
  });

  test('a backtick escape (Windows Dockerfiles)', () => {
    const info = parseDockerfile('# escape=`\nFROM x\nRUN a `\n  b\n');
    expect(info.escape).toBe('`');
    expect(info.instructions[1]).toMatchObject({ args: 'a   b', line: 3, endLine: 4 });
  });

  test.each([
    ['a plain FROM', 'FROM busybox\n', {}, [{ from: 'busybox', name: undefined, external: true }]],
    ['scratch and an earlier stage', 'FROM scratch AS a\nFROM a\n', {}, [{ from: 'scratch', name: 'a', external: false }, { from: 'a', name: undefined, external: false }]],
    ['ARG defaults before FROM', 'ARG REG=127.0.0.1:5000\nARG TAG\nFROM ${REG}/team/api:${TAG:-1.4.2}\n', {}, [{ from: '127.0.0.1:5000/team/api:1.4.2', name: undefined, external: true }]],
    ['build args override defaults', 'ARG REG=a.example\nFROM --platform=linux/amd64 $REG/x\n', { REG: 'b.example' }, [{ from: 'b.example/x', name: undefined, external: true }]],
  ])('listStages: %s', (_name, text, args, expected) => {
    expect(listStages(parseDockerfile(text), args)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });
});
