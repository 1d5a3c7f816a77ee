import { KAFKA_DEFAULTS, resolveKafkaOptions } from './kafka-options.js';

describe('resolveKafkaOptions', () => {
  test('fills the defaults, undefined values included', () => {
    expect(resolveKafkaOptions({ group: undefined, untilEnd: true })).toMatchObject({ ...KAFKA_DEFAULTS, untilEnd: true });
  });

  test.each([
    [{ group: '' }, /`group`/],
    [{ group: '  ' }, /`group`/],
    [{ maxWaitMs: -1 }, /`maxWaitMs` to be a non-negative integer, got -1/],
    [{ maxWaitMs: 1.5 }, /`maxWaitMs`/],
    [{ sessionTimeoutMs: 999 }, /`sessionTimeoutMs` to be an integer >= 1000/],
    [{ maxRejoins: -1 }, /`maxRejoins`/],
  ])('%j is rejected naming the option', (options, message) => {
    expect(() => resolveKafkaOptions(options)).toThrow(message);
  });
});
