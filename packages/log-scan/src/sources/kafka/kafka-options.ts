import { checkIntegerOption, type Logger, UsageError } from '@ops/core';
import type { Kafka } from 'kafkajs';

/** Options of `kafkaSource`. */
export interface KafkaSourceOptions {
  /** Consumer group id; its committed offsets say where to resume. Defaults to `log-scan`. */
  readonly group?: string;
  /** Start at each partition's earliest offset, ignoring committed offsets. Defaults to false. */
  readonly fromBeginning?: boolean;
  /** Stop at the end offsets seen at start instead of following new messages. Defaults to false. */
  readonly untilEnd?: boolean;
  /**
   * Longest a fetch waits for new messages, in ms (also how long stopping may take). With
   * `untilEnd` at most 100 ms are used, so the end is reached without a long wait. Defaults to 1000.
   */
  readonly maxWaitMs?: number;
  /**
   * Session timeout sent when joining the group, in ms: how long the coordinator keeps a silent
   * member (heartbeats go every third of it, at most every 3 s). Defaults to 10000.
   */
  readonly sessionTimeoutMs?: number;
  /**
   * How many times the consumer rejoins the group after a group protocol error (a rebalance it
   * lost, a coordinator that moved) before the source fails. Defaults to 5.
   */
  readonly maxRejoins?: number;
  /** Client id sent to the brokers. Defaults to `log-scan`. */
  readonly clientId?: string;
  /** Client to use instead of one built from the spec's brokers. Defaults to none. */
  readonly kafka?: Kafka;
  /** Receives kafkajs' own log lines (debug) and commit problems (warn). Defaults to none. */
  readonly logger?: Logger;
  /** Stops following (or reading) and closes the consumer. Defaults to none. */
  readonly signal?: AbortSignal;
}

export const KAFKA_DEFAULTS = {
  group: 'log-scan',
  fromBeginning: false,
  untilEnd: false,
  maxWaitMs: 1000,
  sessionTimeoutMs: 10_000,
  maxRejoins: 5,
  clientId: 'log-scan',
} as const;

export type ResolvedKafkaOptions = KafkaSourceOptions & { -readonly [K in keyof typeof KAFKA_DEFAULTS]: (typeof KAFKA_DEFAULTS)[K] extends string ? string : (typeof KAFKA_DEFAULTS)[K] extends boolean ? boolean : number };

/** Merges the defaults and validates, naming the bad option. */
export function resolveKafkaOptions(options: KafkaSourceOptions = {}): ResolvedKafkaOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as KafkaSourceOptions;
  const o: ResolvedKafkaOptions = { ...KAFKA_DEFAULTS, ...defined };
  if (typeof o.group !== 'string' || o.group.trim() === '') throw new UsageError(`Expected \`group\` to be a non-empty string, got ${JSON.stringify(o.group)}`);
  checkIntegerOption(o.maxWaitMs, 'maxWaitMs');
  checkIntegerOption(o.sessionTimeoutMs, 'sessionTimeoutMs', { min: 1000 });
  checkIntegerOption(o.maxRejoins, 'maxRejoins');
  return o;
}
