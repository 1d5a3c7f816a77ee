import { decodeBytes, encodeBytes } from '../scanner/decode-bytes.js';
import { escapeText, jsonSafe } from './escape-text.js';

describe('escapeText', () => {
  test.each([
    ['plain ascii', 'plain ascii'],
    ['\u001b]0;title\u0007\u001b[2J', '\\x1b]0;title\\x07\\x1b[2J'],
    ['nul\u0000 del\u007f csi\u009b', 'nul\\x00 del\\x7f csi\\x9b'],
    ['tab\tnl\ncr\r', 'tab\\x09nl\\x0acr\\x0d'],
    ['back\\slash', 'back\\\\slash'],
    ['rtl\u202eoverride\u2066iso\u2028', 'rtl\\u202eoverride\\u2066iso\\u2028'],
    ['byte\udcffend', 'byte\\xffend'],
    ['lone\ud800high', 'lone\\ud800high'],
    ['emoji 😀 ü é 日本', 'emoji 😀 ü é 日本'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  test('jsonSafe keeps the JSON value and leaves no DEL, C1 or bidi control raw', () => {
    const value = ['\u007f\u0085\u009b\u202e\u2028x\u001b'];
    const json = jsonSafe(JSON.stringify(value));
    expect(json).toBe('["\\u007f\\u0085\\u009b\\u202e\\u2028x\\u001b"]');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('decodeBytes / encodeBytes', () => {
  test.each([
    [[0x72, 0x6f, 0x6f, 0x74], 'root'],
    [[0xc3, 0xbc], 'ü'],
    [[0xff, 0x61], '\udcffa'],
    [[0xc3, 0x28], '\udcc3('],
    [[0xe2, 0x82], '\udce2\udc82'],
    [[0xed, 0xa0, 0x80], '\udced\udca0\udc80'], // an encoded surrogate is not UTF-8
    [[0xf0, 0x9f, 0x98, 0x80, 0x80], '😀\udc80'],
  ])('%j <-> %j', (bytes, text) => {
    const buf = Buffer.from(bytes);
    expect(decodeBytes(buf, 0, buf.length)).toBe(text);
    expect([...encodeBytes(text)]).toEqual(bytes);
  });
});
