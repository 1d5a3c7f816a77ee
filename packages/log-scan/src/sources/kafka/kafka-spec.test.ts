import { parseKafkaSpec } from './kafka-spec.js';

describe('parseKafkaSpec', () => {
  test.each([
    ['kafka://b1:9092/auth', { brokers: ['b1:9092'], topic: 'auth' }],
    ['kafka://b1:9092,b2:9093/auth.logs', { brokers: ['b1:9092', 'b2:9093'], topic: 'auth.logs' }],
    ['kafka://b1/auth_logs-2', { brokers: ['b1:9092'], topic: 'auth_logs-2' }],
    ['kafka://127.0.0.1:19092/t', { brokers: ['127.0.0.1:19092'], topic: 't' }],
    ['kafka://[::1]:9092/t', { brokers: ['[::1]:9092'], topic: 't' }],
  ])('%s', (spec, expected) => {
    expect(parseKafkaSpec(spec)).toEqual(expected);
  });

  test.each(['kafka://b1:9092', 'kafka://b1:9092/', 'kafka:///topic', 'kafka://b1:9092/a/b', 'kafka://b1:99999/t', 'kafka://b1:9092/bad topic', 'kafka://b1:x/t'])('%s is a usage error', (spec) => {
    expect(() => parseKafkaSpec(spec)).toThrow(expect.objectContaining({ code: 'USAGE', exitCode: 2 }));
  });
});
