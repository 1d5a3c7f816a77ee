import { PassThrough } from 'node:stream';
import { createLogger } from './create-logger.js';
import { registerSecret } from './redact.js';

function capture(format: 'json' | 'pretty' = 'json') {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const logger = createLogger({ stream, format, level: 'debug', context: { package: 'test' } });
  const lines = async () => {
    await new Promise((r) => setImmediate(r));
    return chunks.join('').trim().split('\n').filter(Boolean);
  };
  return { logger, lines };
}

describe('createLogger', () => {
  test('writes one JSON object a line with context and child fields', async () => {
    const { logger, lines } = capture();
    logger.child({ host: 'web1' }).info('probing', { attempt: 2 });
    const [line] = await lines();
    expect(JSON.parse(line!)).toMatchObject({ level: 'info', message: 'probing', package: 'test', host: 'web1', attempt: 2 });
  });

  test('redacts secrets from messages and fields', async () => {
    registerSecret('env-supplied-pw');
    const { logger, lines } = capture();
    logger.info('pushing to https://ci:tok3n@reg.local with env-supplied-pw', {
      headers: { authorization: 'Basic abc' }, password: 'p4ss', registryAuth: 'eyJ', nested: { token: 'x' },
    });
    const text = (await lines()).join('\n');
    for (const secret of ['tok3n', 'env-supplied-pw', 'Basic abc', 'p4ss', 'eyJ', '"x"']) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  });

  test('respects the level', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    const logger = createLogger({ stream, format: 'json', level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    await new Promise((r) => setImmediate(r));
    expect(chunks.join('')).not.toContain('hidden');
    expect(chunks.join('')).toContain('shown');
  });

  test('is made on first use: a lazy child keeps its fields, a level set later holds', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    const logger = createLogger({ stream, format: 'json', level: 'warn', context: { cli: 'x' } });
    const child = logger.child({ host: 'web1' });
    child.debug('hidden');
    child.warn('shown');
    logger.level = 'debug';
    logger.debug('now shown');
    await new Promise((r) => setImmediate(r));
    const lines = chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ message: 'shown', host: 'web1', cli: 'x' }), expect.objectContaining({ message: 'now shown', level: 'debug' })]);
  });

  test('serializes errors in fields', async () => {
    const { logger, lines } = capture();
    logger.error('failed', { error: Object.assign(new Error('boom'), { code: 'EBOOM' }) });
    expect(JSON.parse((await lines())[0]!)).toMatchObject({ error: { message: 'boom', code: 'EBOOM' } });
  });

  test('pretty format is readable text', async () => {
    const { logger, lines } = capture('pretty');
    logger.info('hello', { n: 1 });
    const [line] = await lines();
    expect(line).toContain('hello');
    expect(line).toContain('n=1');
    expect(() => JSON.parse(line!)).toThrow();
  });
});
