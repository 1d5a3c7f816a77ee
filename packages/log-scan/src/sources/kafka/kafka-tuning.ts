/**
 * How the consumer fetches. Fetches are large so a topic is read in a few round trips per broker
 * (the brokers cap each response at these sizes; a partition's first batch is returned even when
 * larger), and a fetch answers as soon as one byte is there.
 */
export const FETCH = {
  /** Most bytes one fetch returns for one partition. */
  maxBytesPerPartition: 8 * 1024 * 1024,
  /** Most bytes one fetch response holds (over all its partitions). */
  maxBytes: 64 * 1024 * 1024,
  minBytes: 1,
} as const;

/** Fetched but not yet counted bytes above which fetching waits for the scanner. */
export const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/** Longest fetch wait with `untilEnd`: the last fetch before stopping waits at most this. */
export const UNTIL_END_MAX_WAIT_MS = 100;

/** How often a member whose partitions are counted polls the group's committed offsets (`untilEnd`). */
export const GROUP_END_POLL_MS = 100;

/**
 * Session timeouts a counted member waits for the group to commit anything or rebalance before it
 * fails: a member that died is dropped by the coordinator after one, and its partitions reassigned.
 */
export const GROUP_END_WAIT_FACTOR = 3;

/**
 * How long a group leader waits before handing in the assignment when the group has other
 * members, so their SyncGroup requests are already waiting (see `patientRoundRobin`).
 */
export const LEADER_SYNC_DELAY_MS = 300;

/** Heartbeat interval for a session timeout: a third of it, at most 3 s. */
export function heartbeatIntervalMs(sessionTimeoutMs: number): number {
  return Math.min(3000, Math.floor(sessionTimeoutMs / 3));
}

/**
 * Group protocol errors after which a member rejoins: it lost a rebalance (generation or member
 * id no longer valid), the group is rebalancing, or the coordinator moved or is loading.
 * INVALID_REQUEST is what a coordinator answers to a sync or heartbeat that arrives in a group
 * state it does not expect (librdkafka's cluster does, mid-rebalance).
 */
const GROUP_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'MEMBER_ID_REQUIRED', 'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS', 'INVALID_REQUEST',
]);

/** The errors that say this member's generation is over: the group is rebalancing without it. */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

type ErrorLike = { type?: string; retriable?: boolean; cause?: unknown; name?: string } | undefined;

function someCause(error: unknown, test: (e: NonNullable<ErrorLike>) => boolean): boolean {
  let e = error as ErrorLike;
  for (let depth = 0; e && depth < 8; depth++) {
    if (test(e)) return true;
    e = e.cause as ErrorLike;
  }
  return false;
}

/** True when `error` (or what it wraps) is a group protocol error or one kafkajs calls retriable. */
export function isRejoinable(error: unknown): boolean {
  return someCause(error, (e) => (e.type !== undefined && GROUP_ERRORS.has(e.type)) || e.retriable === true || e.name === 'KafkaJSNumberOfRetriesExceeded');
}

/** True when `error` (or what it wraps) says the group is rebalancing without this member. */
export function isRebalance(error: unknown): boolean {
  return someCause(error, (e) => e.type !== undefined && REBALANCE_ERRORS.has(e.type));
}
