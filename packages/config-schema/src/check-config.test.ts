import { describe, expect, test } from '@jest/globals';
import { checkConfigText } from './check-config.js';
import { formatProblem } from './problem.js';

const schema = {
  type: 'object',
  required: ['name', 'replicas'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 2, pattern: '^[a-z]+$' },
    replicas: { type: 'integer', minimum: 1, maximum: 10 },
    level: { enum: ['debug', 'info', 'warn'], default: 'info' },
    email: { type: 'string', format: 'email' },
    ports: { type: 'array', items: { type: 'integer' }, uniqueItems: true, maxItems: 3 },
    image: { type: 'object', required: ['repo'], properties: { repo: { type: 'string' }, tag: { const: 'latest' } } },
    mode: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  },
} as const;

/** The problems of a text as `LINE:COL: message` lines. */
function lines(text: string, file: string, extra: Parameters<typeof checkConfigText>[1] = {}): string[] {
  return checkConfigText(text, { schema, file, env: {}, ...extra }).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
}

describe('schema errors point at the offending node', () => {
  test.each([
    ['type', 'name: web\nreplicas: three\n', '2:11: replicas: must be an integer, got the string "three"'],
    ['required (points at the mapping)', 'name: web\n', '1:1: replicas: is required but missing'],
    ['nested required', 'name: web\nreplicas: 1\nimage:\n  tag: latest\n', '4:3: image.repo: is required but missing from image'],
    ['additionalProperties (points at the key)', 'name: web\nreplicas: 1\nextra: 1\n', '3:1: extra: is not an allowed property (allowed: name, replicas, level, email, ports, image, mode)'],
    ['enum', 'name: web\nreplicas: 1\nlevel: verbose\n', '3:8: level: must be one of "debug", "info" or "warn", got the string "verbose"'],
    ['const', 'name: web\nreplicas: 1\nimage: {repo: x, tag: v1}\n', '3:23: image.tag: must be "latest", got the string "v1"'],
    ['minimum', 'name: web\nreplicas: 0\n', '2:11: replicas: must be >= 1, got the integer 0'],
    ['maximum', 'name: web\nreplicas: 11\n', '2:11: replicas: must be <= 10, got the integer 11'],
    ['minLength', 'name: w\nreplicas: 1\n', '1:7: name: must be at least 2 characters long, got the string "w"'],
    ['pattern', 'name: Web\nreplicas: 1\n', '1:7: name: must match the pattern ^[a-z]+$, got the string "Web"'],
    ['format', 'name: web\nreplicas: 1\nemail: nope\n', '3:8: email: must be a valid email, got the string "nope"'],
    ['items type', 'name: web\nreplicas: 1\nports:\n  - 80\n  - x\n', '5:5: ports[1]: must be an integer, got the string "x"'],
    ['uniqueItems', 'name: web\nreplicas: 1\nports: [80, 80]\n', '3:13: ports: items 1 and 0 are the same; items must be unique'],
    ['maxItems', 'name: web\nreplicas: 1\nports: [1, 2, 3, 4]\n', '3:8: ports: must have at most 3 items, got a list of 4 items'],
    ['oneOf', 'name: web\nreplicas: 1\nmode: [1]\n', '3:7: mode: must match one of the allowed forms, got a list of 1 item; the forms take a string or an integer'],
    ['root type', '- a\n', '1:1: (root): must be a mapping, got a list of 1 item'],
    ['empty file', '', '1:1: the file holds no document (it is empty or only comments) where one is required'],
    ['explicit null document', '~\n', '1:1: (root): must be a mapping, got null'],
  ])('%s (YAML)', (_kind, text, expected) => {
    expect(lines(text, 'app.yaml')).toContain(expected);
  });

  test.each([
    ['type', '{\n  "name": "web",\n  "replicas": "three"\n}\n', '3:15: replicas: must be an integer, got the string "three"'],
    ['required', '{\n  "name": "web"\n}\n', '1:1: replicas: is required but missing'],
    ['nested required', '{"name": "web", "replicas": 1,\n "image": {"tag": "latest"}}\n', '2:11: image.repo: is required but missing from image'],
    ['additionalProperties', '{\n  "name": "web",\n  "replicas": 1,\n  "extra": true\n}\n', '4:3: extra: is not an allowed property (allowed: name, replicas, level, email, ports, image, mode)'],
    ['items type', '{"name": "web", "replicas": 1,\n  "ports": [80,\n    "x"]}\n', '3:5: ports[1]: must be an integer, got the string "x"'],
  ])('%s (JSON)', (_kind, text, expected) => {
    expect(lines(text, 'app.json')).toContain(expected);
  });

  test('all errors at once, in file order', () => {
    const found = lines('name: W\nreplicas: 0\nlevel: x\nextra: 1\n', 'app.yaml');
    expect(found.map((l) => l.split(':').slice(0, 2).join(':'))).toEqual(['1:7', '1:7', '2:11', '3:8', '4:1']);
  });

  test('problems format as FILE:LINE:COL: message', () => {
    const [problem] = checkConfigText('name: web\nreplicas: three\n', { schema, file: 'deploy/app.yaml' }).problems;
    expect(formatProblem(problem!)).toBe('deploy/app.yaml:2:11: replicas: must be an integer, got the string "three"');
    expect(problem).toMatchObject({ pointer: '/replicas', path: 'replicas', kind: 'schema', keyword: 'type', document: 0 });
  });

  test('defaults are applied to valid documents', () => {
    const check = checkConfigText('name: web\nreplicas: 2\n', { schema });
    expect(check.valid).toBe(true);
    expect({ ...(check.documents[0] as object) }).toEqual({ name: 'web', replicas: 2, level: 'info' });
  });
});

describe('parse problems', () => {
  test.each([
    ['duplicate key (YAML)', 'a.yaml', 'name: web\nreplicas: 1\nname: api\n', '3:1: name: duplicate key; a key may appear only once in a mapping'],
    ['nested duplicate key (YAML)', 'a.yaml', 'image:\n  repo: a\n  repo: b\n', '3:3: image.repo: duplicate key; a key may appear only once in a mapping'],
    ['duplicate key (JSON)', 'a.json', '{\n  "name": "a",\n  "name": "b"\n}\n', '3:3: name: duplicate key; a key may appear only once in a mapping'],
    ['YAML syntax', 'a.yaml', 'a: [1, 2\nb: c\n', '2:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['JSON syntax', 'a.json', '{\n  "a": 1,\n  "b" 2\n}\n', '3:7: JSON syntax error: Missing , or : between flow map items'],
    ['second document', 'a.yaml', 'a: 1\n---\nb: 2\n', '2:1: the file holds 2 YAML documents where one is expected (pass --all-documents to read them all)'],
    ['custom tag', 'a.yaml', 'a: !secret x\n', '1:4: a: unknown tag !secret; only the YAML 1.2 core schema and !!binary, !!timestamp are read (no custom tags)'],
  ])('%s', (_kind, file, text, expected) => {
    expect(checkConfigText(text, { file }).problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toContain(expected);
  });

  test('YAML 1.2 core schema: yes/no/on/off stay strings, 0o17 is octal, ~ is null', () => {
    const [doc] = checkConfigText('a: yes\nb: off\nc: 0o17\nd: ~\ne: 1e3\nf: 012\n').documents;
    expect({ ...(doc as object) }).toEqual({ a: 'yes', b: 'off', c: 15, d: null, e: 1000, f: 12 });
  });

  test('--all-documents validates every document and numbers them', () => {
    const check = checkConfigText('name: web\nreplicas: 1\n---\nname: api\nreplicas: x\n', { schema, allDocuments: true, file: 'm.yaml' });
    expect(check.documents).toHaveLength(2);
    expect(check.problems.map((p) => [p.document, p.line, p.col])).toEqual([[1, 5, 11]]);
  });
});

describe('hostile input', () => {
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
    const prev = 'abcdefgh'[i];
    laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }

  test('billion laughs fails at the alias with a clear problem', () => {
    const check = checkConfigText(laughs.join('\n') + '\n', { file: 'lol.yaml' });
    expect(check.valid).toBe(false);
    expect(check.problems[0]).toMatchObject({ kind: 'alias-limit', line: 5, col: 8 });
    expect(check.problems[0]!.message).toMatch(/more than 10000 values/);
  });

  test('a few aliases within the budget expand to copies', () => {
    const [doc] = checkConfigText('base: &b {x: 1}\none: *b\ntwo: *b\n').documents as Record<string, Record<string, number>>[];
    expect({ ...doc!.two }).toEqual({ x: 1 });
    expect(doc!.one).not.toBe(doc!.two);
  });

  test('maxAliasNodes lowers the budget', () => {
    expect(checkConfigText('a: &a [1, 2, 3]\nb: *a\n', { maxAliasNodes: 2 }).problems[0]).toMatchObject({ kind: 'alias-limit', line: 2, col: 4 });
  });

  test('an alias inside its own anchor is a problem, not a hang', () => {
    expect(checkConfigText('a: &a [1, *a]\n').problems[0]).toMatchObject({ kind: 'alias-limit' });
  });

  test('text over the size limit is refused', () => {
    expect(() => checkConfigText(`a: "${'x'.repeat(2000)}"\n`, { maxBytes: 1024 })).toThrow(expect.objectContaining({ code: 'CONFIG_TOO_LARGE', exitCode: 2 }) as never);
  });

  test.each([
    ['YAML', 'a.yaml', '__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\nprototype: 1\n'],
    ['JSON', 'a.json', '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": 1}'],
  ])('__proto__, constructor and prototype are plain data (%s)', (_kind, file, text) => {
    const [doc] = checkConfigText(text, { file, set: ['__proto__.viaSet=1', 'constructor.prototype.viaSet2=1'] }).documents as Record<string, unknown>[];
    expect(Object.keys(doc!)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    // eslint-disable-next-line no-prototype-builtins -- the point: inherited methods work on loaded objects
    expect(doc!.hasOwnProperty('__proto__')).toBe(true);
    expect({ ...(doc!['__proto__'] as object) }).toEqual({ polluted: 'yes', viaSet: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).viaSet).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).viaSet2).toBeUndefined();
  });

  test('a required "constructor" is not satisfied by Object.prototype', () => {
    const check = checkConfigText('name: x\n', { schema: { type: 'object', required: ['constructor', 'toString'] } });
    expect(check.problems.map((p) => p.message)).toEqual(['constructor: is required but missing', 'toString: is required but missing']);
  });
});

describe('environment interpolation', () => {
  const env = { HOST: 'db.internal', PORT: '5432', EMPTY: '', DB_PASSWORD: 'hunter2-secret' };
  test.each([
    ['${HOST}', 'db.internal'],
    ['"${HOST}:${PORT}"', 'db.internal:5432'],
    ['${PORT}', 5432],
    ['"${PORT}"', '5432'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${MISSING:-3}', 3],
    ['$${HOST}', '${HOST}'],
    ['plain $HOST text', 'plain $HOST text'],
  ])('%s -> %p', (written, expected) => {
    const [doc] = checkConfigText(`v: ${written}\n`, { env }).documents as Record<string, unknown>[];
    expect(doc!.v).toEqual(expected);
  });

  test.each([
    ['${MISSING}', 'v: environment variable MISSING is not set (write ${MISSING:-default} to give a default)'],
    ['${MISSING:?set MISSING to the region}', 'v: environment variable MISSING is not set: set MISSING to the region'],
    ['${EMPTY:?must not be empty}', 'v: environment variable EMPTY is empty: must not be empty'],
  ])('%s is a problem at its position', (written, message) => {
    expect(checkConfigText(`a: 1\nv: ${written}\n`, { env }).problems).toEqual([expect.objectContaining({ line: 2, col: 4, kind: 'env', message, pointer: '/v' })]);
  });

  test('env: false leaves references as written; keys are never interpolated', () => {
    expect({ ...(checkConfigText('v: ${HOST}\n', { env: false }).documents[0] as object) }).toEqual({ v: '${HOST}' });
    expect(Object.keys(checkConfigText('${HOST}: 1\n', { env }).documents[0] as object)).toEqual(['${HOST}']);
  });

  test('values of secret-named variables never appear in problems', () => {
    const check = checkConfigText('token: ${DB_PASSWORD}\nother: ${DB_PASSWORD}\n', { env, schema: { properties: { token: { type: 'integer' }, other: { type: 'integer' } } } });
    const text = check.problems.map((p) => p.message).join('\n');
    expect(text).toContain('other: must be an integer, got a string (value hidden)');
    expect(text).toContain('token: must be an integer, got a string (value hidden)');
    expect(text).not.toContain('hunter2');
  });
});

describe('--set overrides', () => {
  test.each([
    ['replicas=3', { replicas: 3 }],
    ['replicas="3"', { replicas: '3' }],
    ['debug=true', { debug: true }],
    ['image.tag=v1.2', { image: { repo: 'nginx', tag: 'v1.2' } }],
    ['a.b.c=~', { a: { b: { c: null } } }],
    ['ports.1=8443', { ports: [80, 8443] }],
    ['ports.2=9000', { ports: [80, 443, 9000] }],
    ['list=[a, b]', { list: ['a', 'b'] }],
    ['msg=a: b', { msg: 'a: b' }],
    ['dotted\\.key=1', { 'dotted.key': 1 }],
  ])('%s', (set, expected) => {
    const [doc] = checkConfigText('image: {repo: nginx}\nports: [80, 443]\n', { set: [set] }).documents;
    expect(JSON.parse(JSON.stringify(doc))).toMatchObject(expected);
  });

  test.each([
    ['replicas', /PATH=VALUE/],
    ['image.repo.x=1', /image.repo is a scalar value, cannot set "x"/],
    ['ports.5=1', /ports is a list of 2 items/],
    ['a..b=1', /empty path segment/],
  ])('%s is refused', (set, message) => {
    expect(() => checkConfigText('image: {repo: nginx}\nports: [80, 443]\n', { set: [set] })).toThrow(message);
  });

  test('a problem with an overridden value names the override', () => {
    const [problem] = checkConfigText('name: web\nreplicas: 1\n', { schema, set: ['replicas=many'] }).problems;
    expect(problem).toMatchObject({ line: 2, col: 1, message: 'replicas: must be an integer, got the string "many" (set by --set replicas=many)' });
  });
});
