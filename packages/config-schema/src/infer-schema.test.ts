import { describe, expect, test } from '@jest/globals';
import { checkConfigText } from './check-config.js';
import { inferSchema } from './infer-schema.js';

describe('inferSchema', () => {
  const examples = [
    { name: 'web', replicas: 2, ratio: 1, tags: ['a'], image: { repo: 'nginx', tag: 'v1' }, debug: false },
    { name: 'api', replicas: 3, ratio: 0.5, tags: [], image: { repo: 'api' }, extra: null },
  ];

  test('types, required keys present in every example, closed objects', () => {
    expect(inferSchema(examples)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        name: { type: 'string' },
        replicas: { type: 'integer' },
        ratio: { type: 'number' },
        tags: { type: 'array', items: { type: 'string' } },
        image: { type: 'object', properties: { repo: { type: 'string' }, tag: { type: 'string' } }, required: ['repo'], additionalProperties: false },
        debug: { type: 'boolean' },
        extra: { type: 'null' },
      },
      required: ['name', 'replicas', 'ratio', 'tags', 'image'],
      additionalProperties: false,
    });
  });

  test.each([
    [[1, 'a'], { type: ['integer', 'string'] }],
    [[{ a: 1 }, 'a'], { anyOf: [{ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'], additionalProperties: false }, { type: 'string' }] }],
    [[[]], { type: 'array' }],
  ])('mixed values %j', (values, expected) => {
    const { $schema: _, ...rest } = inferSchema(values);
    expect(rest).toEqual(expected);
  });

  test('every example validates against the inferred schema', () => {
    const schema = inferSchema(examples);
    for (const example of examples) expect(checkConfigText(JSON.stringify(example), { schema }).problems).toEqual([]);
    expect(checkConfigText('{"name": 1}', { schema }).valid).toBe(false);
  });

  test('additionalProperties: true leaves objects open', () => {
    expect(inferSchema([{ a: 1 }], { additionalProperties: true })).toMatchObject({ additionalProperties: true });
  });
});
