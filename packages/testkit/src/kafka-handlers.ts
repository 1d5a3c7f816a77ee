// One handler per Kafka API, each for the single version the test broker advertises.
import { ErrorCode, type GroupCoordinator } from './kafka-group.js';
import { KafkaWriter, type KafkaReader } from './kafka-protocol.js';
import { decodeRecordBatches, encodeRecordBatch, type IncomingRecord, type StoredRecord } from './kafka-records.js';

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  ApiVersions: 18,
  CreateTopics: 19,
} as const;

/** [apiKey, minVersion, maxVersion]: pre-flexible versions kafkajs 2.2.4 speaks. */
export const SUPPORTED_VERSIONS: readonly (readonly [number, number, number])[] = [
  [ApiKey.Produce, 3, 3],
  [ApiKey.Fetch, 4, 4],
  [ApiKey.ListOffsets, 1, 1],
  [ApiKey.Metadata, 1, 1],
  [ApiKey.OffsetCommit, 2, 2],
  [ApiKey.OffsetFetch, 1, 1],
  [ApiKey.FindCoordinator, 0, 0],
  [ApiKey.JoinGroup, 0, 1],
  [ApiKey.Heartbeat, 0, 0],
  [ApiKey.LeaveGroup, 0, 0],
  [ApiKey.SyncGroup, 0, 0],
  [ApiKey.ApiVersions, 0, 2],
  [ApiKey.CreateTopics, 0, 0],
];

export interface Partition {
  readonly records: StoredRecord[];
  /** Woken on append (long-polling fetches). */
  readonly waiters: Set<() => void>;
}

export interface BrokerState {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly topics: Map<string, Partition[]>;
  readonly groups: GroupCoordinator;
  createTopic(name: string, partitions: number): boolean;
  append(topic: string, partition: number, records: readonly IncomingRecord[]): number;
  /** Resolves after `ms` or when one of `partitions` gets data or the broker stops. */
  waitForData(partitions: readonly Partition[], ms: number): Promise<void>;
}

export interface Request {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly clientId: string;
  readonly body: KafkaReader;
}

/** Returns the response body, or undefined when no response is due (acks=0 produce). */
export type Handler = (req: Request, state: BrokerState) => Promise<Buffer | undefined> | Buffer | undefined;

const partitionOf = (state: BrokerState, topic: string, partition: number) => state.topics.get(topic)?.[partition];

const apiVersions: Handler = (req) => {
  const w = new KafkaWriter().int16(ErrorCode.NONE).array(SUPPORTED_VERSIONS, (w, [key, min, max]) => w.int16(key).int16(min).int16(max));
  if (req.apiVersion >= 1) w.int32(0);
  return w.toBuffer();
};

const metadata: Handler = (req, state) => {
  const asked = req.body.nullableArray((r) => r.string());
  const names = asked === null || asked.length === 0 ? [...state.topics.keys()] : asked;
  const w = new KafkaWriter()
    .array([state], (w, b) => w.int32(b.nodeId).string(b.host).int32(b.port).string(null))
    .int32(state.nodeId)
    .int32(names.length);
  for (const name of names) {
    const partitions = state.topics.get(name) ?? [];
    w.int16(state.topics.has(name) ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).string(name).bool(false).int32(partitions.length);
    partitions.forEach((_, index) => w.int16(ErrorCode.NONE).int32(index).int32(state.nodeId).array([state.nodeId], (w, n) => w.int32(n)).array([state.nodeId], (w, n) => w.int32(n)));
  }
  return w.toBuffer();
};
const produce: Handler = (req, state) => {
  const r = req.body;
  r.nullableString(); // transactional id
  const acks = r.int16();
  r.int32(); // timeout
  const topics = r.array((r) => ({ topic: r.string(), partitions: r.array((r) => ({ partition: r.int32(), recordSet: r.bytes() })) }));
  const w = new KafkaWriter().array(topics, (w, t) =>
    w.string(t.topic).array(t.partitions, (w, p) => {
      if (!partitionOf(state, t.topic, p.partition)) return w.int32(p.partition).int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
      const base = state.append(t.topic, p.partition, p.recordSet ? decodeRecordBatches(p.recordSet) : []);
      return w.int32(p.partition).int16(ErrorCode.NONE).int64(base).int64(-1);
    }),
  );
  return acks === 0 ? undefined : w.int32(0).toBuffer();
};

interface FetchPartition {
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
}

const fetch: Handler = async (req, state) => {
  const r = req.body;
  r.int32(); // replica id
  const maxWaitMs = r.int32();
  r.int32(); // min bytes: any data answers
  r.int32(); // max bytes
  r.int8(); // isolation level: the test broker has no transactions
  const topics = r.array((r) => ({ topic: r.string(), partitions: r.array((r): FetchPartition => ({ partition: r.int32(), fetchOffset: r.int64n(), maxBytes: r.int32() })) }));
  const select = (p: FetchPartition, log: Partition | undefined): StoredRecord[] => {
    if (!log || p.fetchOffset < 0 || p.fetchOffset >= log.records.length) return [];
    const out: StoredRecord[] = [];
    let bytes = 0;
    for (let i = p.fetchOffset; i < log.records.length; i++) {
      const rec = log.records[i]!;
      bytes += (rec.value?.length ?? 0) + (rec.key?.length ?? 0) + 32;
      if (out.length > 0 && bytes > p.maxBytes) break;
      out.push(rec);
    }
    return out;
  };
  const logs = topics.flatMap((t) => t.partitions.map((p) => partitionOf(state, t.topic, p.partition))).filter((p): p is Partition => p !== undefined);
  const hasData = () => topics.some((t) => t.partitions.some((p) => select(p, partitionOf(state, t.topic, p.partition)).length > 0));
  if (!hasData() && maxWaitMs > 0) await state.waitForData(logs, maxWaitMs);
  return new KafkaWriter()
    .int32(0)
    .array(topics, (w, t) =>
      w.string(t.topic).array(t.partitions, (w, p) => {
        const log = partitionOf(state, t.topic, p.partition);
        const hw = log?.records.length ?? -1;
        const errorCode = !log ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : p.fetchOffset < 0 || p.fetchOffset > hw ? ErrorCode.OFFSET_OUT_OF_RANGE : ErrorCode.NONE;
        w.int32(p.partition).int16(errorCode).int64(hw).int64(hw).array([], (w) => w);
        w.bytes(errorCode === ErrorCode.NONE ? encodeRecordBatch(select(p, log)) : Buffer.alloc(0));
      }),
    )
    .toBuffer();
};

const listOffsets: Handler = (req, state) => {
  const r = req.body;
  r.int32(); // replica id
  const topics = r.array((r) => ({ topic: r.string(), partitions: r.array((r) => ({ partition: r.int32(), timestamp: r.int64n() })) }));
  return new KafkaWriter()
    .array(topics, (w, t) =>
      w.string(t.topic).array(t.partitions, (w, p) => {
        const log = partitionOf(state, t.topic, p.partition);
        if (!log) return w.int32(p.partition).int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
        const end = log.records.length;
        const offset = p.timestamp === -2 ? 0 : p.timestamp === -1 ? end : (log.records.find((rec) => rec.timestamp >= p.timestamp)?.offset ?? end);
        return w.int32(p.partition).int16(ErrorCode.NONE).int64(-1).int64(offset);
      }),
    )
    .toBuffer();
};

const findCoordinator: Handler = (req, state) => {
  req.body.string(); // group id: this broker coordinates every group
  return new KafkaWriter().int16(ErrorCode.NONE).int32(state.nodeId).string(state.host).int32(state.port).toBuffer();
};

const joinGroup: Handler = async (req, state) => {
  const r = req.body;
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = req.apiVersion >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const protocolType = r.string();
  const protocols = r.array((r) => ({ name: r.string(), metadata: r.bytes() ?? Buffer.alloc(0) }));
  const res = await state.groups.join({ groupId, memberId, clientId: req.clientId, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols });
  return new KafkaWriter()
    .int16(res.errorCode)
    .int32(res.generationId)
    .string(res.protocol)
    .string(res.leaderId)
    .string(res.memberId)
    .array(res.members, (w, m) => w.string(m.memberId).bytes(m.metadata))
    .toBuffer();
};

const syncGroup: Handler = async (req, state) => {
  const r = req.body;
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  const assignments = r.array((r) => ({ memberId: r.string(), assignment: r.bytes() ?? Buffer.alloc(0) }));
  const res = await state.groups.sync(groupId, generation, memberId, assignments);
  return new KafkaWriter().int16(res.errorCode).bytes(res.assignment).toBuffer();
};

const heartbeat: Handler = (req, state) => {
  const r = req.body;
  return new KafkaWriter().int16(state.groups.heartbeat(r.string(), r.int32(), r.string())).toBuffer();
};

const leaveGroup: Handler = (req, state) => {
  const r = req.body;
  return new KafkaWriter().int16(state.groups.leave(r.string(), r.string())).toBuffer();
};

const offsetCommit: Handler = (req, state) => {
  const r = req.body;
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  r.int64(); // retention time
  const topics = r.array((r) => ({ topic: r.string(), partitions: r.array((r) => ({ partition: r.int32(), offset: r.int64n(), metadata: r.nullableString() })) }));
  const errorCode = state.groups.commit(groupId, generation, memberId, topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, ...p }))));
  return new KafkaWriter().array(topics, (w, t) => w.string(t.topic).array(t.partitions, (w, p) => w.int32(p.partition).int16(errorCode))).toBuffer();
};

const offsetFetch: Handler = (req, state) => {
  const r = req.body;
  const groupId = r.string();
  const topics = r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }));
  return new KafkaWriter()
    .array(topics, (w, t) =>
      w.string(t.topic).array(t.partitions, (w, p) => {
        const c = state.groups.committed(groupId, t.topic, p);
        return w.int32(p).int64(c.offset).string(c.metadata).int16(ErrorCode.NONE);
      }),
    )
    .toBuffer();
};

const createTopics: Handler = (req, state) => {
  const r = req.body;
  const topics = r.array((r) => {
    const topic = r.string();
    const partitions = r.int32();
    r.int16(); // replication factor
    r.array((r) => [r.int32(), r.array((r) => r.int32())]);
    r.array((r) => [r.string(), r.nullableString()]);
    return { topic, partitions };
  });
  return new KafkaWriter()
    .array(topics, (w, t) => w.string(t.topic).int16(state.createTopic(t.topic, t.partitions > 0 ? t.partitions : 1) ? ErrorCode.NONE : ErrorCode.TOPIC_ALREADY_EXISTS))
    .toBuffer();
};

export const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [ApiKey.ApiVersions, apiVersions],
  [ApiKey.Metadata, metadata],
  [ApiKey.Produce, produce],
  [ApiKey.Fetch, fetch],
  [ApiKey.ListOffsets, listOffsets],
  [ApiKey.FindCoordinator, findCoordinator],
  [ApiKey.JoinGroup, joinGroup],
  [ApiKey.SyncGroup, syncGroup],
  [ApiKey.Heartbeat, heartbeat],
  [ApiKey.LeaveGroup, leaveGroup],
  [ApiKey.OffsetCommit, offsetCommit],
  [ApiKey.OffsetFetch, offsetFetch],
  [ApiKey.CreateTopics, createTopics],
]);
