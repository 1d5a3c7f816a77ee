import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { patientRoundRobin } from './kafka-assigner.js';
import { offsetCommits } from './kafka-commits.js';
import { groupEnd, type PartitionBounds } from './kafka-offsets.js';
import type { ResolvedKafkaOptions } from './kafka-options.js';
import { FETCH, GROUP_END_POLL_MS, GROUP_END_WAIT_FACTOR, heartbeatIntervalMs, isRejoinable, MAX_QUEUED_BYTES, UNTIL_END_MAX_WAIT_MS } from './kafka-tuning.js';
import { batchToChunk } from './message-chunk.js';

/** One fetched run of messages of one partition, waiting to be counted. */
export interface FetchedChunk {
  readonly chunk: Uint8Array;
  readonly partition: number;
  /** Offset of its first message and the offset after its last one. */
  readonly from: number;
  readonly next: number;
}

/** The consumer side of a Kafka source: fetched chunks in, counted offsets out. */
export interface TopicReader {
  /** The next fetched chunk; undefined when done (`untilEnd` reached, or the signal aborted). */
  next(): Promise<FetchedChunk | undefined>;
  /** Records that `item` was counted; its offset is committed soon (see `offsetCommits`). */
  counted(item: FetchedChunk): void;
  /** Commits what was counted and not yet committed, leaves the group. */
  close(): Promise<void>;
}

/**
 * Joins group `o.group` on `topic` and fetches with large fetches into a queue bounded by bytes.
 * A batch handler only slices the wanted messages and returns, so fetching runs ahead of the
 * scanner. At every (re)join the chunks not yet counted are dropped and their partitions re-read
 * from what was counted, so nothing is counted twice by this process. After a group protocol
 * error kafkajs gives up on, a new consumer rejoins, at most `o.maxRejoins` times. With `untilEnd`
 * a member whose partitions are counted stays in the group, reading what later rebalances give it
 * (a member that left or died strands its partitions until then), until the whole group is done.
 */
export async function openTopicReader(kafka: Kafka, admin: Admin, topic: string, bounds: readonly PartitionBounds[], o: ResolvedKafkaOptions, signal: AbortSignal | undefined): Promise<TopicReader> {
  const byPartition = new Map(bounds.map((b) => [b.partition, b]));
  const endOf = (p: number) => (o.untilEnd ? (byPartition.get(p)?.end ?? 0) : Infinity);
  const counted = new Map<number, number>();
  let handed = new Map<number, number>();
  // Handed to the scanner, not yet reported counted: being counted, so never fetched again here.
  const inFlight = new Set<FetchedChunk>();
  const done = new Set(o.untilEnd ? bounds.filter((b) => b.start >= b.end).map((b) => b.partition) : []);
  const sought = new Set<number>();
  let queue: FetchedChunk[] = [];
  let queuedBytes = 0;
  let assigned: number[] = [];
  let joined = false;
  let joins = 0;
  let failure: unknown;
  let rejoins = 0;
  let closing = false;
  let fetchedAny = false;
  // Between learning that the group rebalances and the rejoin, nothing is handed out: what was
  // fetched may be another member's by then (dropped at the join). Bounded by a session timeout.
  let rebalancing: NodeJS.Timeout | undefined;
  const setRebalancing = (on: boolean) => {
    clearTimeout(rebalancing);
    rebalancing = on ? setTimeout(() => setRebalancing(false), o.sessionTimeoutMs) : undefined;
    if (!on) notify();
  };
  let wake: (() => void) | undefined;
  const drained: (() => void)[] = [];
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const drain = () => {
    for (const d of drained.splice(0)) d();
  };
  // Decided on the assignment of the last rebalance only: never while one is under way.
  const finished = () => o.untilEnd && joined && !rebalancing && queue.length === 0 && assigned.every((p) => done.has(p));
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => notify(), ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  let consumer: Consumer;

  const pause = (p: number) => consumer.pause([{ topic, partitions: [p] }]);
  /**
   * Queued chunks are dropped; their partitions are read again from there. A chunk the scanner
   * holds is as good as counted: kafkajs restarts a kept partition from its committed offset
   * after a rejoin, and reading it again would count it twice.
   */
  const dropUncounted = () => {
    const firstDropped = new Map<number, number>();
    for (const item of queue) if (!firstDropped.has(item.partition)) firstDropped.set(item.partition, item.from);
    queue = [];
    queuedBytes = 0;
    handed = new Map(counted);
    for (const item of inFlight) handed.set(item.partition, Math.max(handed.get(item.partition) ?? 0, item.next));
    drain();
    return firstDropped;
  };
  /** Partitions another member read to the end before they came here are done too. */
  const refreshDone = async (partitions: readonly number[]) => {
    const open = partitions.filter((p) => !done.has(p));
    if (!o.untilEnd || open.length === 0) return;
    const [t] = await admin.fetchOffsets({ groupId: o.group, topics: [topic] }).catch(() => []);
    for (const c of t?.partitions ?? []) {
      const offset = Number(c.offset);
      // With fromBeginning, an offset committed before this scan says nothing about this one.
      const fresh = !o.fromBeginning || offset !== byPartition.get(c.partition)?.committed;
      if (open.includes(c.partition) && fresh && offset >= endOf(c.partition)) done.add(c.partition);
    }
    notify();
  };
  const commits = offsetCommits(topic, {
    consumer: () => consumer,
    onRebalance: () => setRebalancing(true),
    closing: () => closing,
    logger: o.logger,
  });

  /**
   * A fetched batch reached offset `covered` (its last offset + 1, control records and aborted
   * messages included) with nothing more to count: the last chunk of the partition not yet
   * counted takes that offset, or, when there is none, it is as good as counted. So a partition whose log ends
   * in records that are not messages still reaches its end offset.
   */
  const advance = (p: number, lastOffset: number) => {
    const covered = Math.min(lastOffset + 1, endOf(p));
    if (covered <= (handed.get(p) ?? 0)) return;
    handed.set(p, covered);
    // The last chunk of p still to be counted (queued, else held by the scanner) takes it.
    let last: FetchedChunk | undefined;
    for (const item of inFlight) if (item.partition === p) last = item;
    for (const item of queue) if (item.partition === p) last = item;
    if (last) (last as { next: number }).next = covered;
    else {
      counted.set(p, covered);
      commits.counted(p, covered);
      if (covered >= endOf(p)) done.add(p);
      notify();
    }
  };

  const eachBatch = async ({ batch, heartbeat, isStale }: EachBatchPayload) => {
    const p = batch.partition;
    if (done.has(p) || isStale()) return;
    const from = handed.get(p) ?? 0;
    const taken = batchToChunk(batch.messages, from, endOf(p));
    if (taken) {
      if (!fetchedAny) o.logger?.debug('fetched the first Kafka batch', { topic, partition: p });
      fetchedAny = true;
      handed.set(p, taken.next);
      queue.push({ chunk: taken.chunk, partition: p, from: Number(batch.messages.find((m) => Number(m.offset) >= from)?.offset ?? from), next: taken.next });
      queuedBytes += taken.chunk.length;
      notify();
    }
    advance(p, Number(batch.lastOffset()));
    if ((handed.get(p) ?? 0) >= endOf(p)) pause(p);
    if (queuedBytes <= MAX_QUEUED_BYTES) return;
    // The scanner is behind: wait, heartbeating, so the group keeps this member.
    let beat: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        drained.push(resolve);
        beat = setInterval(() => void heartbeat().catch(reject), heartbeatIntervalMs(o.sessionTimeoutMs));
      });
    } finally {
      clearInterval(beat);
    }
  };

  const start = async () => {
    consumer = kafka.consumer({
      groupId: o.group,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs(o.sessionTimeoutMs),
      maxWaitTimeInMs: o.untilEnd ? Math.min(o.maxWaitMs, UNTIL_END_MAX_WAIT_MS) : o.maxWaitMs,
      ...FETCH,
      partitionAssigners: [patientRoundRobin()],
      // Crashes are handled below (bounded rejoins), not by kafkajs' own restarts.
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    const mine = consumer;
    mine.on(mine.events.REBALANCING, () => setRebalancing(true));
    // Batches holding only transaction markers or aborted messages never reach eachBatch. The
    // others did (and advanced there), or eachBatch skipped them as stale: fetched before a seek,
    // they must not count as read.
    mine.on(mine.events.END_BATCH_PROCESS, (event) => {
      const p = event.payload.partition;
      if (event.payload.topic !== topic || event.payload.batchSize > 0 || done.has(p) || !assigned.includes(p)) return;
      advance(p, Number(event.payload.lastOffset));
      if ((handed.get(p) ?? 0) >= endOf(p)) pause(p);
    });
    mine.on(mine.events.GROUP_JOIN, (event) => {
      assigned = event.payload.memberAssignment[topic] ?? [];
      joined = true;
      joins++;
      o.logger?.debug('joined the Kafka consumer group', { topic, group: o.group, partitions: assigned.join(','), joinMs: event.payload.duration });
      const firstDropped = dropUncounted();
      // Runs before the first fetch of the new assignment. Pauses of the last one are lifted.
      const open = assigned.filter((p) => !done.has(p));
      if (open.length) mine.resume([{ topic, partitions: open }]);
      for (const p of assigned) {
        const counts = handed.get(p);
        const b = byPartition.get(p);
        if (done.has(p)) pause(p);
        else if (counts !== undefined) mine.seek({ topic, partition: p, offset: String(counts) });
        else if (o.fromBeginning && b && b.committed >= 0 && !sought.has(p)) mine.seek({ topic, partition: p, offset: String(b.low) });
        else if (firstDropped.has(p)) mine.seek({ topic, partition: p, offset: String(firstDropped.get(p)) });
        sought.add(p);
      }
      void commits.flush();
      void refreshDone(assigned);
      setRebalancing(false);
    });
    mine.on(mine.events.CRASH, (event) => {
      if (mine !== consumer || closing) return;
      const error = event.payload.error;
      if (rejoins >= o.maxRejoins || !isRejoinable(error)) {
        failure = error;
        notify();
        return;
      }
      rejoins++;
      o.logger?.warn('the Kafka consumer met a group error; rejoining the group', { topic, group: o.group, rejoin: rejoins, of: o.maxRejoins, error: String(error) });
      joined = false;
      setRebalancing(true);
      dropUncounted();
      start().catch((e: unknown) => {
        failure = e;
        notify();
      });
    });
    o.logger?.debug('joining the Kafka consumer group', { topic, group: o.group });
    await mine.connect();
    await mine.subscribe({ topic, fromBeginning: o.fromBeginning });
    await mine.run({ autoCommit: false, eachBatch });
  };

  const onAbort = () => notify();
  signal?.addEventListener('abort', onAbort);
  await start();

  return {
    async next() {
      let progress: string | undefined;
      let idleSince = Date.now();
      for (;;) {
        while ((queue.length === 0 || rebalancing) && !finished() && failure === undefined && !signal?.aborted) await new Promise<void>((r) => (wake = r));
        if (failure !== undefined) throw failure;
        // After an abort nothing more is handed out; fetched but uncounted chunks stay uncommitted.
        if (signal?.aborted) return undefined;
        const item = queue.shift();
        if (item) {
          inFlight.add(item);
          queuedBytes -= item.chunk.length;
          if (queuedBytes <= MAX_QUEUED_BYTES) drain();
          return item;
        }
        // This member's partitions are counted: done once every member's are. Meanwhile it stays
        // in the group (leaving would rebalance while the others commit) and reads what it gets.
        await commits.flush();
        if (progress === undefined) o.logger?.debug('counted the assigned Kafka partitions; waiting for the group', { topic });
        const end = await groupEnd(admin, topic, o.group, bounds, done);
        if (end?.done) {
          o.logger?.debug('the Kafka group counted the topic to its end', { topic });
          return undefined;
        }
        const now = `${joins};${end?.progress ?? progress}`;
        if (now !== progress) [progress, idleSince] = [now, Date.now()];
        else if (Date.now() - idleSince > GROUP_END_WAIT_FACTOR * o.sessionTimeoutMs) {
          const open = bounds.filter((b) => !done.has(b.partition)).map((b) => b.partition);
          throw new Error(`partitions ${open.join(',')} of ${topic} were not counted to their end offsets by any member of group ${o.group}, and no member committed anything for ${GROUP_END_WAIT_FACTOR * o.sessionTimeoutMs} ms`);
        }
        await sleep(GROUP_END_POLL_MS);
      }
    },
    counted(item) {
      inFlight.delete(item);
      const next = Math.max(item.next, counted.get(item.partition) ?? 0);
      counted.set(item.partition, next);
      if (next >= endOf(item.partition)) done.add(item.partition);
      commits.counted(item.partition, next);
    },
    async close() {
      closing = true;
      setRebalancing(false);
      signal?.removeEventListener('abort', onAbort);
      await commits.flush();
      drain();
      await consumer.disconnect().catch(() => undefined);
      o.logger?.debug('left the Kafka consumer group', { topic });
    },
  };
}
