import { describe, expect, test } from '@jest/globals';
import { checkConfigText } from '../check-config.js';
import { stringifyConfig } from '../output/standardize.js';

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('merge keys (YAML 1.1 <<, as docker-compose and GitLab CI use them)', () => {
  const compose = `x-common: &common
  restart: always
  image: base:1
  environment: {A: "1"}
services:
  web:
    <<: *common
    image: web:2
  db:
    image: db:3
    <<: *common
`;

  test('keys written in the mapping win over merged ones, before or after the <<', () => {
    const check = checkConfigText(compose, { file: 'compose.yaml' });
    expect(check.problems).toEqual([]);
    expect(plain(check.documents[0])).toMatchObject({
      services: { web: { restart: 'always', image: 'web:2', environment: { A: '1' } }, db: { restart: 'always', image: 'db:3', environment: { A: '1' } } },
    });
    expect(Object.keys((check.documents[0] as { services: { web: object } }).services.web)).not.toContain('<<');
  });

  test('in a list of sources the earlier one wins', () => {
    const text = 'a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2}\nc:\n  <<: [*a, *b, {r: 3, s: 3}]\n  s: 4\n';
    expect(plain(checkConfigText(text).documents[0])).toMatchObject({ c: { p: 1, q: 1, r: 2, s: 4 } });
  });

  test('merged values are copies, nested merges resolve, a quoted "<<" is an ordinary key', () => {
    const text = 'base: &base {x: {y: 1}}\nmid: &mid\n  <<: *base\n  m: 1\ntop:\n  <<: *mid\n  "<<": literal\n';
    const doc = checkConfigText(text).documents[0] as Record<string, Record<string, unknown>>;
    expect(plain(doc.top)).toEqual({ x: { y: 1 }, m: 1, '<<': 'literal' });
    expect(doc.top!.x).not.toBe(doc.base!.x);
  });

  test('a merged value that fails the schema points at where it is written', () => {
    const schema = { type: 'object', properties: { svc: { type: 'object', properties: { port: { type: 'integer' } } } } };
    const check = checkConfigText('defaults: &d\n  port: http\nsvc:\n  <<: *d\n', { schema, file: 'a.yaml' });
    expect(check.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual(['2:9: svc.port: must be an integer, got the string "http"']);
  });

  test('a merge of a scalar is a problem, not data', () => {
    const check = checkConfigText('a:\n  <<: 3\n', { file: 'a.yaml' });
    expect(check.valid).toBe(false);
    expect(check.problems[0]!.message).toMatch(/the merge key << takes a mapping/);
  });
});

describe('multi-document streams', () => {
  const stream = '---\n# Source: chart/templates/a.yaml\nkind: A\n---\n# Source: chart/templates/empty.yaml\n---\nkind: B\n---\n';
  test('empty documents (helm template, a trailing ---) are skipped; indexes stay those of the stream', () => {
    const check = checkConfigText(stream, { allDocuments: true, schema: { type: 'object', required: ['kind'], properties: { kind: { const: 'A' } } }, file: 's.yaml' });
    expect(check.documents.map(plain)).toEqual([{ kind: 'A' }, { kind: 'B' }]);
    expect(check.problems.map((p) => [p.document, p.message])).toEqual([[2, 'kind: must be "A", got the string "B"']]);
  });

  test('one document and a trailing --- is one document', () => {
    expect(checkConfigText('a: 1\n---\n').documents.map(plain)).toEqual([{ a: 1 }]);
  });

  test.each([
    ['', false, false],
    ['# nothing\n---\n---\n', true, true],
    ['', true, true],
  ])('no document at all in %p (allDocuments %p): valid %p unless one is required', (text, allDocuments, valid) => {
    const check = checkConfigText(text, { allDocuments, file: 'e.yaml' });
    expect(check.valid).toBe(valid);
    expect(check.documents).toEqual([]);
    if (!valid) expect(check.problems[0]).toMatchObject({ kind: 'no-document' });
    expect(checkConfigText(text, { allDocuments, requireDocument: true }).problems[0]).toMatchObject({ kind: 'no-document', line: 1, col: 1 });
  });
});

describe('!!binary and !!timestamp', () => {
  test('!!binary gives a base64 string by default (one line), or a Buffer', () => {
    const text = 'a: !!binary |\n  aGVsbG8g\n  d29ybGQ=\n';
    expect(plain(checkConfigText(text).documents[0])).toEqual({ a: 'aGVsbG8gd29ybGQ=' });
    const doc = checkConfigText(text, { binary: 'buffer' }).documents[0] as { a: Buffer };
    expect(Buffer.isBuffer(doc.a)).toBe(true);
    expect(doc.a.toString()).toBe('hello world');
    expect(stringifyConfig([doc], 'yaml')).toBe('a: !!binary aGVsbG8gd29ybGQ=\n');
    expect(stringifyConfig([doc], 'json')).toBe('{\n  "a": "aGVsbG8gd29ybGQ="\n}\n');
  });

  test('!!binary with text that is not base64 is a problem at its position', () => {
    const check = checkConfigText('x: 1\na: !!binary "not base64!"\n', { file: 'b.yaml' });
    expect(check.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([expect.stringMatching(/^2:4: a: !!binary holds text that is not base64/)]);
  });

  test.each([
    ['2001-12-14', '2001-12-14'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-15T02:59:43.10Z'],
    ['2001-12-14 21:59:43.10 -5', '2001-12-15T02:59:43.10Z'],
    ['2001-12-15T02:59:43.1Z', '2001-12-15T02:59:43.1Z'],
    ['2001-12-15 2:59:43', '2001-12-15T02:59:43Z'],
  ])('!!timestamp %s is the string %s', (written, value) => {
    expect(plain(checkConfigText(`t: !!timestamp ${written}\n`).documents[0])).toEqual({ t: value });
  });

  test('without the tag a date stays a string (YAML 1.2); a bad timestamp is a problem', () => {
    expect(plain(checkConfigText('t: 2001-12-14\n').documents[0])).toEqual({ t: '2001-12-14' });
    expect(checkConfigText('t: !!timestamp 2001-02-30\n').problems[0]!.message).toMatch(/is not a calendar date/);
  });
});

describe('.inf and .nan', () => {
  test('pass type: number and stay numbers in YAML; JSON output refuses them', () => {
    const check = checkConfigText('a: .inf\nb: -.Inf\nc: .nan\n', { schema: { type: 'object', additionalProperties: { type: 'number' } } });
    expect(check.valid).toBe(true);
    expect(stringifyConfig(check.documents, 'yaml')).toBe('a: .inf\nb: -.inf\nc: .nan\n');
    expect(() => stringifyConfig(check.documents, 'json')).toThrow(/a is \.inf, which JSON cannot hold/);
  });
});
