import type { Logger } from '@ops/core';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

/** kafkajs logs connection churn as errors; they go to the logger at debug level. */
function logCreator(logger: Logger | undefined) {
  return () =>
    ({ namespace, log }: LogEntry) => {
      const { message, ...fields } = log;
      logger?.debug(`kafkajs ${namespace}: ${message}`, fields);
    };
}

let negativeTimeoutWarningDropped = false;

/**
 * kafkajs 2.2.4 (its last release) arms a timer with a negative delay whenever its request queue is
 * idle (`throttledUntil - Date.now()` with no throttle: requestQueue/index.js); Node clamps it to
 * 1 ms, but Node 24 prints a TimeoutNegativeWarning on stderr for it. That one warning says nothing
 * to a user, so it is dropped while Kafka is used; every other warning still reaches the listeners
 * that were there (Node's own printer among them).
 */
function dropNegativeTimeoutWarning(): void {
  if (negativeTimeoutWarningDropped) return;
  negativeTimeoutWarningDropped = true;
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const listener of listeners) listener(warning);
  });
}

/** A kafkajs client for `brokers` that fails fast on unreachable brokers and logs through `logger`. */
export function createKafkaClient(brokers: readonly string[], clientId: string, logger: Logger | undefined): Kafka {
  dropNegativeTimeoutWarning();
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 5000,
    requestTimeout: 30_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: logCreator(logger),
  });
}
