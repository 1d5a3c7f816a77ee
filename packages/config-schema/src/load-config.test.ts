import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { Type } from '@sinclair/typebox';
import { hasCode } from '@ops/core';
import { makeTempDir } from '@ops/testkit';
import { ConfigInvalidError } from './errors.js';
import { loadConfig, loadConfigDocuments } from './load-config.js';

/** Compile-time equality: `assertType<Equal<A, B>>()` fails `pnpm typecheck` unless A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<_T extends true>(): void {}

const schema = {
  type: 'object',
  required: ['name', 'image'],
  properties: {
    name: { type: 'string' },
    replicas: { type: 'integer', default: 1 },
    image: { $ref: '#/$defs/image' },
    level: { enum: ['debug', 'info'] },
    ports: { type: 'array', items: { type: 'integer' } },
    owner: { type: ['string', 'null'] },
  },
  $defs: { image: { type: 'object', required: ['repo'], properties: { repo: { type: 'string' }, tag: { type: 'string' } } } },
} as const;

function file(text: string, name = 'app.yaml'): string {
  const path = join(makeTempDir().path, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  test('returns data typed from a const JSON Schema, defaults applied', async () => {
    const config = await loadConfig(file('name: web\nimage: {repo: nginx}\nowner: null\n'), { schema, env: {} });
    assertType<Equal<typeof config, {
      name: string;
      replicas: number;
      image: { repo: string; tag?: string };
      level?: 'debug' | 'info';
      ports?: number[];
      owner?: string | null;
    }>>();
    expect(config.name).toBe('web');
    expect(config.replicas).toBe(1);
    expect(config.image.repo).toBe('nginx');
    // @ts-expect-error replicas is a number, not a string
    const wrong: string = config.replicas;
    // @ts-expect-error no such property in the schema
    expect(config.replicaCount).toBeUndefined();
    expect(wrong).toBe(1);
  });

  test('returns data typed from a TypeBox schema', async () => {
    const T = Type.Object({ host: Type.String(), port: Type.Integer({ default: 5432 }), tls: Type.Optional(Type.Boolean()) });
    const config = await loadConfig(file('{"host": "db"}', 'db.json'), { schema: T });
    assertType<Equal<typeof config, { host: string; port: number; tls?: boolean }>>();
    expect({ ...config }).toEqual({ host: 'db', port: 5432 });
    // @ts-expect-error host is a string
    const n: number = config.host;
    expect(n).toBe('db');
  });

  test('a default inside oneOf is typed as optional, as it is not applied', async () => {
    const S = {
      type: 'object',
      required: ['target'],
      properties: {
        target: { oneOf: [{ type: 'object', required: ['host'], properties: { host: { type: 'string' }, port: { type: 'integer', default: 80 } } }, { type: 'string' }] },
        mode: { type: 'string', default: 'fast' },
      },
    } as const;
    const config = await loadConfig(file('target: {host: web}\n'), { schema: S });
    assertType<Equal<typeof config, { target: { host: string; port?: number } | string; mode: string }>>();
    expect(JSON.parse(JSON.stringify(config))).toEqual({ target: { host: 'web' }, mode: 'fast' });
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
  });

  test('a schema file path gives unknown', async () => {
    const schemaPath = file(JSON.stringify(schema), 'schema.json');
    const config = await loadConfig(file('name: web\nimage: {repo: nginx}\n'), { schema: schemaPath });
    assertType<Equal<typeof config, unknown>>();
    expect((config as { replicas: number }).replicas).toBe(1);
  });

  test('throws ConfigInvalidError listing every problem with its position', async () => {
    const path = file('name: 3\nimage: {}\nlevel: loud\n');
    const error = await loadConfig(path, { schema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect(hasCode(error, 'CONFIG_INVALID')).toBe(true);
    const problems = (error as ConfigInvalidError).problems;
    expect(problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      '1:7: name: must be a string, got the integer 3',
      '2:8: image.repo: is required but missing from image',
      '3:8: level: must be one of "debug" or "info", got the string "loud"',
    ]);
    expect((error as Error).message).toContain(`${path}:1:7: name: must be a string`);
    expect((error as ConfigInvalidError).exitCode).toBe(1);
  });

  test('unreadable files are CONFIG_READ_FAILED (exit 2); files over maxBytes CONFIG_TOO_LARGE', async () => {
    await expect(loadConfig('/nonexistent/app.yaml', { schema })).rejects.toMatchObject({ code: 'CONFIG_READ_FAILED', exitCode: 2 });
    await expect(loadConfig(makeTempDir().path, { schema })).rejects.toMatchObject({ code: 'CONFIG_READ_FAILED', message: expect.stringContaining('is a directory') });
    await expect(loadConfig(file(`name: "${'x'.repeat(5000)}"\n`), { schema, maxBytes: 4096 })).rejects.toMatchObject({ code: 'CONFIG_TOO_LARGE', exitCode: 2 });
    await expect(loadConfig(file(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]) as unknown as string), { schema })).rejects.toMatchObject({ code: 'CONFIG_READ_FAILED', message: expect.stringContaining('UTF-8') });
  });

  test('the default size limit is 10 MiB', async () => {
    const big = file(`# ${'x'.repeat(10 * 1024 * 1024)}\n`);
    await expect(loadConfig(big, { schema })).rejects.toMatchObject({ code: 'CONFIG_TOO_LARGE' });
  });

  test('loadConfigDocuments returns one typed value per document', async () => {
    const docs = await loadConfigDocuments(file('name: a\nimage: {repo: x}\n---\nname: b\nimage: {repo: y}\nreplicas: 4\n'), { schema });
    assertType<Equal<typeof docs, Array<{ name: string; replicas: number; image: { repo: string; tag?: string }; level?: 'debug' | 'info'; ports?: number[]; owner?: string | null }>>>();
    expect(docs.map((d) => [d.name, d.replicas])).toEqual([['a', 1], ['b', 4]]);
  });

  test('options are validated by name', async () => {
    await expect(loadConfig(file('a: 1\n'), { schema: {}, maxBytes: -1 })).rejects.toThrow('Expected `maxBytes` to be a positive integer, got -1');
  });
});
