import { createJsonLineSplitter, type JsonLine } from './json-lines.js';

const feed = (chunks: Array<string | Buffer>): JsonLine[] => {
  const s = createJsonLineSplitter();
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
};

describe('the Engine JSON stream splitter', () => {
  test.each<[string, Array<string | Buffer>, JsonLine[]]>([
    ['one message a line', ['{"stream":"a"}\n{"stream":"b"}\n'], [{ kind: 'message', message: { stream: 'a' } }, { kind: 'message', message: { stream: 'b' } }]],
    ['a message cut across chunks', ['{"str', 'eam":"Step 1/2 : FROM x"', '}\n'], [{ kind: 'message', message: { stream: 'Step 1/2 : FROM x' } }]],
    ['a last line without newline', ['{"aux":{"ID":"sha256:1"}}'], [{ kind: 'message', message: { aux: { ID: 'sha256:1' } } }]],
    ['a malformed line between good ones', ['{"stream":"a"}\n{"stream": nope\n{"stream":"b"}\n'], [{ kind: 'message', message: { stream: 'a' } }, { kind: 'malformed', text: '{"stream": nope' }, { kind: 'message', message: { stream: 'b' } }]],
    ['JSON that is not an object', ['42\n"text"\n[1]\n'], [{ kind: 'malformed', text: '42' }, { kind: 'malformed', text: '"text"' }, { kind: 'malformed', text: '[1]' }]],
    ['two objects glued on one line', ['{"stream":"a"}{"error":"boom"}\n'], [{ kind: 'message', message: { stream: 'a' } }, { kind: 'message', message: { error: 'boom' } }]],
    ['blank lines and CRLF', ['\r\n{"stream":"a"}\r\n\n'], [{ kind: 'message', message: { stream: 'a' } }]],
    ['an error line', ['{"errorDetail":{"code":2,"message":"failed"},"error":"failed"}\n'], [{ kind: 'message', message: { errorDetail: { code: 2, message: 'failed' }, error: 'failed' } }]],
  ])('%s', (_name, chunks, expected) => {
    expect(feed(chunks)).toEqual(expected);
  });

  test('a UTF-8 character split between two chunks survives', () => {
    const bytes = Buffer.from('{"stream":"caf\u00e9 \u2713"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ kind: 'message', message: { stream: 'caf\u00e9 \u2713' } }]);
  });

  test('every possible cut point of a stream gives the same messages', () => {
    const text = '{"stream":"Step 1/1 : RUN x"}\n{"stream":"out\\n"}\n{"aux":{"ID":"sha256:ab"}}\n';
    const whole = feed([text]);
    for (let i = 1; i < text.length; i++) expect(feed([text.slice(0, i), text.slice(i)])).toEqual(whole);
  });
});
