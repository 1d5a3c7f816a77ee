import { writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { makeTempDir } from '@ops/testkit';
import { checkConfig, checkConfigText } from '../check-config.js';
import { standardize } from '../output/standardize.js';
import { compileSchema, draftOf, loadSchema } from './compile-schema.js';

describe('compileSchema', () => {
  test.each([
    [undefined, '2020-12'],
    ['https://json-schema.org/draft/2020-12/schema', '2020-12'],
    ['https://json-schema.org/draft/2019-09/schema', '2019-09'],
    ['http://json-schema.org/draft-07/schema#', 'draft-07'],
    ['http://json-schema.org/draft-06/schema#', 'draft-06'],
    ['http://json-schema.org/draft-04/schema#', 'draft-04'],
  ])('$schema %s -> %s', ($schema, draft) => {
    const schema = { ...($schema ? { $schema } : {}), type: 'object' };
    expect(draftOf(schema)).toBe(draft);
    expect(compileSchema(schema).draft).toBe(draft);
  });

  test.each(['http://json-schema.org/draft-03/schema#', 'https://example.com/my-schema', 'http://json-schema.org/schema#'])('$schema %s is refused naming the drafts supported', ($schema) => {
    expect(() => compileSchema({ $schema })).toThrow(expect.objectContaining({ code: 'CONFIG_SCHEMA_INVALID', exitCode: 2, message: expect.stringContaining('Unsupported JSON Schema draft') }) as never);
  });

  test('draft-04: boolean exclusiveMinimum, id; draft-06: numeric exclusiveMinimum, const', () => {
    const d4 = { $schema: 'http://json-schema.org/draft-04/schema#', id: 'https://example.com/d4.json', type: 'object', properties: { n: { type: 'number', minimum: 1, exclusiveMinimum: true } } };
    expect(checkConfigText('n: 2', { schema: d4 }).valid).toBe(true);
    expect(checkConfigText('n: 1', { schema: d4 }).problems.map((p) => p.message)).toEqual(['n: must be > 1, got the integer 1']);
    const d6 = { $schema: 'http://json-schema.org/draft-06/schema#', type: 'object', properties: { n: { exclusiveMinimum: 1 }, k: { const: 'x' } } };
    expect(checkConfigText('n: 1\nk: y', { schema: d6 }).problems.map((p) => p.message)).toEqual(['n: must be > 1, got the integer 1', 'k: must be "x", got the string "y"']);
  });

  test('strict: every unknown keyword and format is listed once, with its place and a suggestion', () => {
    const schema = { type: 'object', properties: { name: { type: 'string', minLenght: 2 }, when: { type: 'string', format: 'datetime' }, list: { type: 'array', items: { maxItem: 3 } } }, 'x-owner': 'team' };
    let message = '';
    try {
      compileSchema(schema);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe([
      'The schema has 3 unknown keywords or formats (strict mode):',
      '  #/properties/name: unknown keyword "minLenght" (did you mean "minLength"?)',
      '  #/properties/when: unknown format "datetime" (did you mean "date-time"?)',
      '  #/properties/list/items: unknown keyword "maxItem" (did you mean "maxItems"?)',
    ].join('\n'));
  });

  test('strict per draft: additionalItems is unknown in 2020-12, known in draft-07; a property named like a keyword is not one', () => {
    expect(() => compileSchema({ type: 'array', additionalItems: false })).toThrow(/unknown keyword "additionalItems"/);
    expect(compileSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{}], additionalItems: false }).draft).toBe('draft-07');
    expect(compileSchema({ type: 'object', properties: { minLenght: { type: 'string' }, format: { enum: ['a'] } } }).draft).toBe('2020-12');
  });

  test('draft-07 items arrays and 2020-12 prefixItems both work', () => {
    const d7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }, { type: 'integer' }] };
    const d2020 = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] };
    for (const schema of [d7, d2020]) {
      expect(checkConfigText('["a", 1]', { schema }).valid).toBe(true);
      expect(checkConfigText('["a", "b"]', { schema, file: 'x.json' }).problems.map((p) => p.message)).toEqual(['[1]: must be an integer, got the string "b"']);
    }
  });

  test('the same schema object compiles once', () => {
    const schema = { type: 'string' };
    expect(compileSchema(schema)).toBe(compileSchema(schema));
  });

  test('an invalid schema is a CONFIG_SCHEMA_INVALID error', () => {
    expect(() => compileSchema({ type: 'strin' })).toThrow(/The schema is not valid/);
  });
});

describe('loadSchema', () => {
  test('$ref across files, relative to the schema that holds them, including YAML schemas', async () => {
    const dir = makeTempDir().path;
    mkdirSync(join(dir, 'schemas', 'common'), { recursive: true });
    writeFileSync(join(dir, 'schemas', 'app.json'), JSON.stringify({
      type: 'object', required: ['image'], properties: { image: { $ref: 'common/image.yaml' }, port: { $ref: './common/defs.json#/$defs/port' } },
    }));
    writeFileSync(join(dir, 'schemas', 'common', 'image.yaml'), 'type: object\nrequired: [repo]\nproperties:\n  repo: {type: string}\n  tag: {$ref: "defs.json#/$defs/tag"}\n');
    writeFileSync(join(dir, 'schemas', 'common', 'defs.json'), JSON.stringify({ $id: 'https://example.com/defs.json', $defs: { port: { type: 'integer', maximum: 65535 }, tag: { type: 'string', default: 'latest' } } }));
    writeFileSync(join(dir, 'bad.yaml'), 'image:\n  tag: 5\nport: 70000\n');
    writeFileSync(join(dir, 'good.yaml'), 'port: 80\nimage: {repo: nginx}\n');
    const schema = join(dir, 'schemas', 'app.json');
    const bad = await checkConfig(join(dir, 'bad.yaml'), { schema });
    expect(bad.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      '2:3: image.repo: is required but missing from image',
      '2:8: image.tag: must be a string, got the integer 5',
      '3:7: port: must be <= 65535, got the integer 70000',
    ]);
    const good = await checkConfig(join(dir, 'good.yaml'), { schema });
    expect(JSON.stringify(standardize(good.documents[0], good.schema))).toBe('{"image":{"repo":"nginx","tag":"latest"},"port":80}');
  });

  test('cached by path until the file changes', async () => {
    const dir = makeTempDir().path;
    const path = join(dir, 's.json');
    writeFileSync(path, '{"type": "string"}');
    const first = await loadSchema(path);
    expect(await loadSchema(path)).toBe(first);
    writeFileSync(path, '{"type": "integer"}');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const second = await loadSchema(path);
    expect(second).not.toBe(first);
    expect(second.validate(3)).toBe(true);
  });

  test.each([
    ['missing file', null, /Could not read schema .*missing.json: no such file/],
    ['missing $ref file', '{"$ref": "other.json"}', /Could not read schema .*other.json: no such file \(referenced from/],
    ['not JSON or YAML', '{"a": [}', /is not valid JSON or YAML/],
    ['a list', '[1]', /must be a JSON Schema object, got a list/],
  ])('%s', async (_name, text, message) => {
    const dir = makeTempDir().path;
    const path = join(dir, text === null ? 'missing.json' : 's.json');
    if (text !== null) writeFileSync(path, text);
    await expect(loadSchema(path)).rejects.toThrow(message);
  });
});
