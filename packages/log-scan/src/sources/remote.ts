import { UsageError } from '@ops/core';
import type { KafkaSourceOptions } from './kafka/kafka-options.js';
import type { S3SourceOptions } from './s3/s3-read-options.js';
import type { RemoteSourceOptions, ScanSource } from './scan-source.js';

// The AWS SDK and kafkajs load only when an s3:// or kafka:// source is used.

/** `RemoteSourceOptions` plus the tuning knobs of each remote kind. */
export interface ResolveRemoteOptions extends RemoteSourceOptions {
  /** S3 reads (client, part size, concurrency, retries). Defaults to `S3_DEFAULTS`. */
  readonly s3?: S3SourceOptions;
  /** Extra Kafka options (`maxWaitMs`, `clientId`, a ready `kafka` client). Defaults to `KAFKA_DEFAULTS`. */
  readonly kafkaClient?: Omit<KafkaSourceOptions, 'group' | 'fromBeginning' | 'untilEnd'>;
}

/**
 * The objects an `s3://bucket/key` or `s3://bucket/prefix/` spec names, in key order, each read
 * with parallel ranged GETs that resume after a dropped connection.
 */
export async function s3Sources(spec: string, options: S3SourceOptions = {}): Promise<ScanSource[]> {
  const { s3Sources: load } = await import('./s3/s3-sources.js');
  return load(spec, options);
}

/** A `kafka://b1:9092,b2:9092/topic` spec as one source read by a consumer group. */
export async function kafkaSources(spec: string, options: KafkaSourceOptions = {}): Promise<ScanSource[]> {
  const { kafkaSources: load } = await import('./kafka/kafka-sources.js');
  return load(spec, options);
}

/**
 * The sources an `s3://...` or `kafka://...` spec names (see `s3Sources`, `kafkaSources`).
 * `resolveSources` calls it for remote specs.
 */
export async function resolveRemoteSources(spec: string, options: ResolveRemoteOptions = {}): Promise<ScanSource[]> {
  const { logger, signal } = options;
  if (spec.startsWith('s3://')) return s3Sources(spec, { logger, signal, ...options.s3 });
  if (spec.startsWith('kafka://')) return kafkaSources(spec, { logger, signal, ...options.kafkaClient, ...options.kafka });
  throw new UsageError(`Expected an s3:// or kafka:// source, got ${JSON.stringify(spec)}`);
}
