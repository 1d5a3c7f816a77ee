import type winston from 'winston';
import { lazyLogger } from './lazy-logger.js';

function fake() {
  const lines: unknown[][] = [];
  let made = 0;
  const real = {
    info: (...a: unknown[]) => lines.push(['info', ...a]),
    warn: (...a: unknown[]) => lines.push(['warn', ...a]),
    error: (...a: unknown[]) => lines.push(['error', ...a]),
    debug: (...a: unknown[]) => lines.push(['debug', ...a]),
    log: (...a: unknown[]) => lines.push(['log', ...a]),
    child: (meta: unknown) => ({ ...real, info: (...a: unknown[]) => lines.push(['child-info', meta, ...a]) }),
    transports: ['stream'],
  };
  const materialize = () => {
    made++;
    return real as unknown as winston.Logger;
  };
  return { lines, materialize, made: () => made };
}

describe('lazyLogger', () => {
  test('makes the real logger only when a line is written at an enabled level', () => {
    const { lines, materialize, made } = fake();
    const logger = lazyLogger(materialize, 'info', false);
    logger.debug('hidden', { n: 1 });
    logger.child({ host: 'a' }).debug('hidden too');
    logger.log('debug', 'hidden as well');
    expect(made()).toBe(0);
    expect(logger.isLevelEnabled('info')).toBe(true);
    expect(logger.isLevelEnabled('debug')).toBe(false);
    expect(logger.level).toBe('info');
    logger.info('shown', { n: 2 });
    logger.child({ host: 'a' }).info('child line');
    logger.log('warn', 'via log');
    expect(made()).toBe(1);
    expect(lines).toEqual([['info', 'shown', { n: 2 }], ['child-info', { host: 'a' }, 'child line'], ['log', 'warn', 'via log']]);
  });

  test.each([
    ['silent', true, ['error', 'warn', 'info', 'debug']],
    ['error', false, ['warn', 'info', 'debug']],
    ['warn', false, ['info', 'debug']],
    ['debug', false, []],
  ] as const)('level %s (silent: %s) writes nothing at %j', (level, silent, hidden) => {
    const { lines, materialize } = fake();
    const logger = lazyLogger(materialize, level, silent);
    for (const l of ['error', 'warn', 'info', 'debug'] as const) logger[l](l);
    expect(lines.map((l) => l[0])).toEqual(['error', 'warn', 'info', 'debug'].filter((l) => !(hidden as readonly string[]).includes(l)));
  });

  test('anything else reaches the real logger, and a new level applies at once', () => {
    const { lines, materialize, made } = fake();
    const logger = lazyLogger(materialize, 'info', false);
    expect((logger as unknown as { transports: string[] }).transports).toEqual(['stream']);
    expect(made()).toBe(1);
    logger.level = 'debug';
    logger.debug('now shown');
    expect(lines).toEqual([['debug', 'now shown']]);
  });
});
