import { createBuildkitProgress } from './buildkit-progress.js';
import type { BuildEvent } from './build-progress.js';
import { createJsonLineSplitter } from './json-lines.js';
import { readFields, writeFields } from './protobuf-wire.js';

const ts = writeFields([[1, 1_700_000_000]]);
const vertex = (digest: string, name: string, extra: Array<readonly [number, string | Uint8Array | number]> = []) => writeFields([[1, digest], [3, name], ...extra]);
const log = (digest: string, text: string) => writeFields([[1, digest], [3, 1], [4, Buffer.from(text)]]);
const trace = (...parts: Array<readonly [number, Uint8Array]>) => JSON.stringify({ id: 'moby.buildkit.trace', aux: writeFields(parts).toString('base64') });

function run(lines: string[]) {
  const events: BuildEvent[] = [];
  const progress = createBuildkitProgress((e) => events.push(e));
  const splitter = createJsonLineSplitter();
  for (const l of splitter.push(`${lines.join('\n')}\n`)) progress.accept(l);
  return { outcome: progress.finish(), events };
}

describe('createBuildkitProgress', () => {
  test('steps, output split across messages, internal steps hidden, the image ID', () => {
    const { outcome, events } = run([
      trace([1, vertex('sha256:ctx', '[internal] load build definition from Dockerfile', [[5, ts]])]),
      trace([1, vertex('sha256:a', '[1/2] FROM docker.io/library/busybox', [[5, ts], [6, ts], [4, 1]])]),
      trace([1, vertex('sha256:b', '[2/2] RUN make', [[5, ts]])], [3, log('sha256:b', 'compiling\nhalf ')]),
      trace([3, log('sha256:b', 'a line\n')], [1, vertex('sha256:b', '[2/2] RUN make', [[5, ts], [6, ts]])]),
      JSON.stringify({ id: 'moby.image.id', aux: { ID: 'sha256:feed' } }),
    ]);
    expect(events).toEqual([
      { type: 'step', step: '[1/2] FROM docker.io/library/busybox', index: 1, total: 2 },
      { type: 'output', line: 'CACHED', step: '[1/2] FROM docker.io/library/busybox', index: undefined },
      { type: 'step', step: '[2/2] RUN make', index: 2, total: 2 },
      { type: 'output', line: 'compiling', step: '[2/2] RUN make', index: 2 },
      { type: 'output', line: 'half a line', step: '[2/2] RUN make', index: 2 },
      { type: 'built', imageId: 'sha256:feed' },
    ]);
    expect(outcome).toMatchObject({ imageId: 'sha256:feed', error: undefined });
  });

  test('a failing vertex is the step of the failure, with its own last lines', () => {
    const { outcome } = run([
      trace([1, vertex('sha256:a', '[a 2/2] RUN ok', [[5, ts]])], [3, log('sha256:a', 'fine\n')]),
      trace([1, vertex('sha256:b', '[b 2/2] RUN bad', [[5, ts]])], [3, log('sha256:b', 'error: nope\n')]),
      trace([1, vertex('sha256:b', '[b 2/2] RUN bad', [[5, ts], [6, ts], [7, 'exit code: 3']])]),
      trace([1, vertex('sha256:a', '[a 2/2] RUN ok', [[5, ts], [6, ts], [7, 'context canceled']])]),
      JSON.stringify({ errorDetail: { message: 'executor failed running [/bin/sh -c bad]: exit code: 3' }, error: 'executor failed' }),
    ]);
    expect(outcome).toMatchObject({ step: '[b 2/2] RUN bad', stepIndex: 2, lastLines: ['error: nope'], error: { message: 'executor failed running [/bin/sh -c bad]: exit code: 3' } });
  });

  test('a trace that is not protobuf is counted, not thrown', () => {
    const { outcome } = run([JSON.stringify({ id: 'moby.buildkit.trace', aux: Buffer.from([0x0a, 0xff, 0xff]).toString('base64') })]);
    expect(outcome.malformedLines).toBe(1);
  });
});

test('protobuf wire round trip: varints past 2^31, strings, bytes, nested', () => {
  const nested = writeFields([[1, 'inner']]);
  const fields = [...readFields(writeFields([[1, 2 ** 40 + 5], [2, 'häl'], [3, nested]]))];
  expect(fields[0]).toEqual({ field: 1, varint: 2 ** 40 + 5 });
  expect(Buffer.from(fields[1]!.bytes!).toString()).toBe('häl');
  expect([...readFields(fields[2]!.bytes!)].map((f) => Buffer.from(f.bytes!).toString())).toEqual(['inner']);
});
