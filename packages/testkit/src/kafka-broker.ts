import { createServer, type Socket } from 'node:net';
import { onCleanup } from './cleanup.js';
import { createGroupCoordinator } from './kafka-group.js';
import { HANDLERS, SUPPORTED_VERSIONS, type BrokerState, type Partition } from './kafka-handlers.js';
import { KafkaReader, KafkaWriter } from './kafka-protocol.js';
import type { IncomingRecord } from './kafka-records.js';

/** Options of `startKafkaBroker`. */
export interface KafkaBrokerOptions {
  /** Topics created at start: name -> partition count. Defaults to none (create with the admin API). */
  readonly topics?: Readonly<Record<string, number>>;
}

/** A running test broker. */
export interface KafkaBrokerHandle {
  /** `['127.0.0.1:<port>']`, for `new Kafka({ brokers })`. */
  readonly brokers: readonly string[];
  /** Appends values to a partition (no client needed); returns the offset of the first one. */
  produce(topic: string, partition: number, values: readonly (string | Uint8Array)[]): number;
  /** Creates a topic unless it exists. */
  createTopic(topic: string, partitions: number): void;
  /** Next offset of each partition of `topic`. */
  endOffsets(topic: string): number[];
  stop(): Promise<void>;
}

const DEFAULTS = { topics: {} as Readonly<Record<string, number>> } as const;

/**
 * Starts a single-node, in-memory Kafka broker on 127.0.0.1 (kernel-picked port) that speaks
 * enough of the wire protocol, in the versions kafkajs 2.2.4 negotiates, for producers,
 * consumer groups, fetch, list offsets, offset commits and topic creation.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBrokerHandle> {
  const { topics: initial } = { ...DEFAULTS, ...options };
  const sockets = new Set<Socket>();
  const stopWaiters = new Set<() => void>();
  const server = createServer((socket) => serve(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('kafka test broker: no listening address');

  const topics = new Map<string, Partition[]>();
  const state: BrokerState = {
    nodeId: 0,
    host: '127.0.0.1',
    port: address.port,
    topics,
    groups: createGroupCoordinator(),
    createTopic(name, count) {
      if (topics.has(name)) return false;
      topics.set(name, Array.from({ length: count }, () => ({ records: [], waiters: new Set() })));
      return true;
    },
    append(topic, partition, records: readonly IncomingRecord[]) {
      const log = topics.get(topic)?.[partition];
      if (!log) throw new Error(`kafka test broker: no partition ${topic}[${partition}]`);
      const base = log.records.length;
      for (const rec of records) log.records.push({ ...rec, offset: log.records.length });
      for (const wake of [...log.waiters]) wake();
      return base;
    },
    waitForData(partitions, ms) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          for (const p of partitions) p.waiters.delete(done);
          stopWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        for (const p of partitions) p.waiters.add(done);
        stopWaiters.add(done);
      });
    },
  };
  for (const [name, count] of Object.entries(initial)) state.createTopic(name, count);

  function serve(socket: Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (pending.length < 4 + size) break;
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        void answer(socket, frame);
      }
    });
  }

  async function answer(socket: Socket, frame: Buffer): Promise<void> {
    const reader = new KafkaReader(frame);
    const apiKey = reader.int16();
    const apiVersion = reader.int16();
    const correlationId = reader.int32();
    const clientId = reader.nullableString() ?? '';
    const handler = HANDLERS.get(apiKey);
    const supported = SUPPORTED_VERSIONS.find(([key]) => key === apiKey);
    let body: Buffer | undefined;
    if (!handler || !supported || apiVersion < supported[1] || apiVersion > supported[2]) {
      // Only ApiVersions has a version-independent error answer; anything else is a broker gap.
      if (apiKey !== 18) {
        socket.destroy(new Error(`kafka test broker: unsupported request api ${apiKey} v${apiVersion}`));
        return;
      }
      body = new KafkaWriter().int16(35).array(SUPPORTED_VERSIONS, (w, [k, min, max]) => w.int16(k).int16(min).int16(max)).toBuffer();
    } else {
      try {
        body = await handler({ apiKey, apiVersion, clientId, body: reader }, state);
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
    }
    if (body === undefined || socket.destroyed) return;
    const header = Buffer.allocUnsafe(8);
    header.writeInt32BE(body.length + 4, 0);
    header.writeInt32BE(correlationId, 4);
    socket.write(Buffer.concat([header, body]));
  }

  const kill = () => {
    for (const wake of [...stopWaiters]) wake();
    for (const s of sockets) s.destroy();
    state.groups.close();
    server.close();
  };
  const unregister = onCleanup(kill);
  let stopped = false;

  return {
    brokers: [`127.0.0.1:${address.port}`],
    produce(topic, partition, values) {
      const now = Date.now();
      return state.append(topic, partition, values.map((v) => ({ timestamp: now, key: null, value: typeof v === "string" ? Buffer.from(v, 'utf8') : Buffer.from(v), headers: [] })));
    },
    createTopic(topic, partitions) {
      state.createTopic(topic, partitions);
    },
    endOffsets(topic) {
      return (topics.get(topic) ?? []).map((p) => p.records.length);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unregister();
      const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
      kill();
      await closed;
    },
  };
}
