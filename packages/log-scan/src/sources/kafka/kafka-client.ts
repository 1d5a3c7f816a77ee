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

/** A kafkajs client for `brokers` that fails fast on unreachable brokers and logs through `logger`. */
export function createKafkaClient(brokers: readonly string[], clientId: string, logger: Logger | undefined): Kafka {
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
