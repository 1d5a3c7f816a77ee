import { describe, expect, test } from '@jest/globals';
import { checkConfigText } from '../check-config.js';
import { compileSchema } from '../schema/compile-schema.js';
import { StandardOrder } from './standard-order.js';
import { configChunks, standardize, standardizeInPlace, stringifyConfig } from './standardize.js';

const schema = {
  $defs: { image: { type: 'object', properties: { repo: { type: 'string' }, tag: { type: 'string', default: 'latest' } } } },
  type: 'object',
  properties: {
    name: { type: 'string' },
    replicas: { type: 'integer', default: 1 },
    image: { $ref: '#/$defs/image' },
    ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'tcp' } } } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

const yamlText = `# deployment
labels: {zeta: z, alpha: a}
ports:
  - protocol: udp
    port: 53
  - port: 80
image:
  repo: nginx
zzz: last
aaa: first
name: web
`;
const jsonText = '{"name":"web","aaa":"first","zzz":"last","image":{"repo":"nginx"},"ports":[{"port":53,"protocol":"udp"},{"port":80}],"labels":{"alpha":"a","zeta":"z"}}';

function render(text: string, file: string, format: 'json' | 'yaml'): string {
  const check = checkConfigText(text, { schema, file });
  expect(check.problems).toEqual([]);
  return stringifyConfig(check.documents.map((d) => standardize(d, compileSchema(schema))), format);
}

describe('standardizeInPlace (the CLI: no second copy of a big document)', () => {
  test('orders like standardize, with and without a schema, __proto__ kept as data', () => {
    const schema = compileSchema({ type: 'object', properties: { z: { type: 'object', properties: { y: {}, b: {} } }, a: {} } });
    const make = (): unknown[] => [JSON.parse('{"a": 1, "__proto__": {"q": 1, "p": 2}, "z": {"b": [{"d": 1, "c": 2}], "y": 2, "x": 3}}'), [{ b: 1, a: 2 }]];
    for (const compiled of [undefined, schema]) {
      const documents = make();
      standardizeInPlace(documents, compiled);
      const expected = make().map((d) => standardize(d, compiled));
      expect(JSON.stringify(documents)).toBe(JSON.stringify(expected));
      expect(Object.getPrototypeOf(documents[0])).toBe(Object.prototype);
    }
  });
});

describe('configChunks with a StandardOrder (the CLI: written in order, no ordered copy)', () => {
  test('writes what stringifyConfig writes of the standardized copy, YAML and JSON, one and several documents', () => {
    const schema = compileSchema({ type: 'object', properties: { z: { type: 'object', properties: { y: {}, b: { type: 'array', items: { properties: { d: {}, c: {} } } } } }, a: {} } });
    const make = (): unknown[] => [JSON.parse('{"a": 1, "__proto__": {"q": 1, "p": 2}, "z": {"b": [{"c": 2, "e": 0, "d": 1}], "y": {"n": 2, "m": 1}, "x": 3}}'), { b: 1, a: [{ z: 1, y: 2 }], z: { b: 1 } }];
    for (const compiled of [undefined, schema])
      for (const format of ['yaml', 'json'] as const)
        for (const documents of [make().slice(0, 1), make()]) {
          const multi = documents.length > 1;
          const written = [...configChunks(documents, format, multi, undefined, new StandardOrder(compiled))].join('');
          expect(written).toBe(stringifyConfig(documents.map((d) => standardize(d, compiled)), format, multi));
          expect(documents).toEqual(make().slice(0, documents.length)); // not changed
        }
  });

  test('the schema order reaches the keys of list items and nested mappings', () => {
    const compiled = compileSchema({ type: 'object', properties: { z: { type: 'object', properties: { y: {}, b: { type: 'array', items: { properties: { d: {}, c: {} } } } } }, a: {} } });
    const doc = { a: 1, z: { b: [{ c: 2, e: 0, d: 1 }], x: 3, y: 2 } };
    expect([...configChunks([doc], 'yaml', false, undefined, new StandardOrder(compiled))].join('')).toBe('z:\n  "y": 2\n  b:\n    - d: 1\n      c: 2\n      e: 0\n  x: 3\na: 1\n');
  });
});

describe('standardize', () => {
  test('keys in schema order (through $ref), then the rest sorted; defaults applied', () => {
    expect(render(yamlText, 'a.yaml', 'json')).toBe(`{
  "name": "web",
  "replicas": 1,
  "image": {
    "repo": "nginx",
    "tag": "latest"
  },
  "ports": [
    {
      "port": 53,
      "protocol": "udp"
    },
    {
      "port": 80,
      "protocol": "tcp"
    }
  ],
  "labels": {
    "alpha": "a",
    "zeta": "z"
  },
  "aaa": "first",
  "zzz": "last"
}
`);
  });

  test.each(['json', 'yaml'] as const)('equivalent YAML and JSON inputs give the same %s bytes', (format) => {
    expect(render(yamlText, 'a.yaml', format)).toBe(render(jsonText, 'a.json', format));
  });

  test('YAML output', () => {
    expect(render(yamlText, 'a.yaml', 'yaml')).toBe(`name: web
replicas: 1
image:
  repo: nginx
  tag: latest
ports:
  - port: 53
    protocol: udp
  - port: 80
    protocol: tcp
labels:
  alpha: a
  zeta: z
aaa: first
zzz: last
`);
  });

  test('without a schema every mapping is sorted', () => {
    expect(JSON.stringify(standardize({ b: { d: 1, c: 2 }, a: [{ z: 1, y: 2 }] }))).toBe('{"a":[{"y":2,"z":1}],"b":{"c":2,"d":1}}');
  });

  test('standardize returns a copy: the value given, its lists and mappings are left as they were', () => {
    const value = { b: { d: 1, c: 2 }, a: [{ z: 1, y: 2 }] };
    const copy = standardize(value) as typeof value;
    expect(JSON.stringify(value)).toBe('{"b":{"d":1,"c":2},"a":[{"z":1,"y":2}]}');
    expect(copy.a).not.toBe(value.a);
    expect(copy.a[0]).not.toBe(value.a[0]);
  });

  test.each([
    ['strings that look like other types are quoted in YAML', { a: 'true', b: '3', c: 'null', d: '' }, 'a: "true"\nb: "3"\nc: "null"\nd: ""\n'],
    ['several documents are separated by ---', [{ a: 1 }, { b: 2 }], '---\na: 1\n---\nb: 2\n'],
  ])('%s', (_name, value, expected) => {
    expect(stringifyConfig(Array.isArray(value) ? value : [value], 'yaml')).toBe(expected);
  });

  test('several documents in JSON are an array', () => {
    expect(stringifyConfig([{ a: 1 }, { b: [2] }], 'json')).toBe('[\n  {\n    "a": 1\n  },\n  {\n    "b": [\n      2\n    ]\n  }\n]\n');
  });

  test.each([Infinity, -Infinity, NaN])('%p is refused in JSON (CONFIG_NOT_JSON, naming the path) and kept in YAML', (value) => {
    expect(() => stringifyConfig([{ a: { b: [1, value] } }], 'json')).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_JSON', exitCode: 1, message: expect.stringMatching(/a\.b\[1\] is -?\.(inf|nan), which JSON cannot hold/) }) as never);
    expect(stringifyConfig([{ a: value }], 'yaml')).toBe(`a: ${Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'}\n`);
  });
});
