import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { heartbeatIntervalMs, isRebalance, isRejoinable } from './kafka-tuning.js';

const protocol = (type: string, code: number) => new KafkaJSProtocolError({ type, code, retriable: false, message: 'm' } as never);

describe('isRejoinable', () => {
  test.each([
    ['REBALANCE_IN_PROGRESS', { type: 'REBALANCE_IN_PROGRESS' }, true],
    ['ILLEGAL_GENERATION wrapped twice', { name: 'KafkaJSNonRetriableError', cause: { cause: { type: 'ILLEGAL_GENERATION' } } }, true],
    ['a retriable connection error', { name: 'KafkaJSConnectionError', retriable: true }, true],
    ['retries exhausted', new KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 5, retryTime: 1 }), true],
    ['TOPIC_AUTHORIZATION_FAILED', { type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false }, false],
    ['a plain error', new KafkaJSNonRetriableError('bad'), false],
    ['nothing', undefined, false],
  ])('%s', (_what, error, expected) => {
    expect(isRejoinable(error)).toBe(expected);
  });

  test('kafkajs protocol errors: rebalancing and an unknown member rejoin, topic authorization does not', () => {
    const errors = [protocol('REBALANCE_IN_PROGRESS', 27), protocol('UNKNOWN_MEMBER_ID', 25), protocol('TOPIC_AUTHORIZATION_FAILED', 29)];
    expect(errors.map((e) => isRejoinable(e))).toEqual([true, true, false]);
  });
});

describe('isRebalance', () => {
  test.each([
    [{ type: 'REBALANCE_IN_PROGRESS' }, true],
    [{ cause: { type: 'ILLEGAL_GENERATION' } }, true],
    [{ type: 'UNKNOWN_MEMBER_ID' }, true],
    [{ type: 'NOT_COORDINATOR', retriable: true }, false],
    [{ name: 'KafkaJSConnectionError', retriable: true }, false],
  ])('%j -> %s', (error, expected) => {
    expect(isRebalance(error)).toBe(expected);
  });
});

describe('heartbeatIntervalMs', () => {
  test.each([
    [6000, 2000],
    [10_000, 3000],
    [30_000, 3000],
  ])('session %i ms -> %i ms', (session, beat) => {
    expect(heartbeatIntervalMs(session)).toBe(beat);
  });
});
