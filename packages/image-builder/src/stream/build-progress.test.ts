import { createBuildProgress, type BuildEvent } from './build-progress.js';
import { createJsonLineSplitter } from './json-lines.js';

function run(stream: string) {
  const events: BuildEvent[] = [];
  const progress = createBuildProgress((e) => events.push(e));
  const splitter = createJsonLineSplitter();
  for (const line of [...splitter.push(stream), ...splitter.end()]) progress.accept(line);
  return { outcome: progress.finish(), events };
}

const ok = [
  '{"stream":"Step 1/2 : FROM ops-test/busybox"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e d68121065d8b\\n"}',
  '{"stream":"Step 2/2 : RUN echo hi"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in e3711a275acb\\n"}',
  '{"stream":"h"}',
  '{"stream":"i\\n"}',
  '{"aux":{"ID":"sha256:117613368f69aaaa"}}',
  '{"stream":"Successfully built 117613368f69\\n"}',
].join('\n');

describe('build stream progress', () => {
  test('steps, output lines joined across messages and the image ID', () => {
    const { outcome, events } = run(ok);
    expect(outcome).toMatchObject({ imageId: 'sha256:117613368f69aaaa', step: 'Step 2/2 : RUN echo hi', stepIndex: 2, error: undefined, lastLines: ['hi'] });
    expect(events.filter((e) => e.type === 'step').map((e) => (e as { index: number }).index)).toEqual([1, 2]);
    expect(events).toContainEqual({ type: 'output', line: 'hi', step: 'Step 2/2 : RUN echo hi', index: 2 });
  });

  test('an error in the stream is recorded with its step, code and the last lines', () => {
    const failing = [
      '{"stream":"Step 1/1 : RUN make"}', '{"stream":"\\n"}',
      ...Array.from({ length: 25 }, (_, i) => `{"stream":"line ${i}\\n"}`),
      '{"stream":"partial without newline"}',
      '{"errorDetail":{"code":2,"message":"The command \'/bin/sh -c make\' returned a non-zero code: 2"},"error":"The command \'/bin/sh -c make\' returned a non-zero code: 2"}',
    ].join('\n');
    const { outcome } = run(failing);
    expect(outcome.error).toEqual({ message: "The command '/bin/sh -c make' returned a non-zero code: 2", code: 2 });
    expect(outcome.step).toBe('Step 1/1 : RUN make');
    expect(outcome.lastLines).toHaveLength(20);
    expect(outcome.lastLines.at(-1)).toBe('partial without newline');
    expect(outcome.lastLines[0]).toBe('line 6');
  });

  test.each([
    ['error only', '{"error":"boom"}', { message: 'boom', code: undefined }],
    ['errorDetail only', '{"errorDetail":{"message":"bad"}}', { message: 'bad', code: undefined }],
    ['empty error', '{"error":""}', { message: 'the build failed (no message)', code: undefined }],
  ])('%s fails the build', (_name, line, error) => {
    expect(run(line).outcome.error).toEqual(error);
  });

  test('malformed lines are counted and reported, not thrown', () => {
    const { outcome, events } = run(`{"stream":"Step 1/1 : FROM x\\n"}\n{oops\n${'{"aux":{"ID":"sha256:1"}}'}`);
    expect(outcome.malformedLines).toBe(1);
    expect(outcome.imageId).toBe('sha256:1');
    expect(events.some((e) => e.type === 'warning')).toBe(true);
  });

  test('output lines reset at each step', () => {
    const { outcome } = run('{"stream":"Step 1/2 : RUN a\\nfirst\\nStep 2/2 : RUN b\\nsecond\\n"}');
    expect(outcome.lastLines).toEqual(['second']);
  });
});
