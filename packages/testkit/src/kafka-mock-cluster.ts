import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onCleanup } from './cleanup.js';
import { kafkaMockProgram } from './kafka-mock-program.js';

/** Options of `startKafkaMockCluster`. */
export interface KafkaMockClusterOptions {
  /** Number of brokers (ids 1..n, each its own loopback listener). Defaults to 3. */
  readonly brokers?: number;
  /** Topics created at start: name -> partition count. Defaults to none. */
  readonly topics?: Readonly<Record<string, number>>;
  /** Longest wait for the cluster to print its bootstrap servers, in ms. Defaults to 30000. */
  readonly startTimeoutMs?: number;
}

/** A running librdkafka mock cluster. */
export interface KafkaMockClusterHandle {
  /** `host:port` of every broker, for `new Kafka({ brokers })`. */
  readonly brokers: readonly string[];
  /** Creates a topic (the mock has no CreateTopics API); partition leaders spread over the brokers. */
  createTopic(topic: string, partitions: number): Promise<void>;
  /**
   * The next requests of API `apiKey` (Kafka protocol numbers, e.g. 11 JoinGroup, 12 Heartbeat,
   * 8 OffsetCommit) fail with `errorCodes`, one each, in order, whichever broker gets them.
   */
  injectErrors(apiKey: number, errorCodes: readonly number[]): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULTS = { brokers: 3, topics: {} as Readonly<Record<string, number>>, startTimeoutMs: 30_000 } as const;

/**
 * Starts librdkafka's mock cluster (Debian `librdkafka-dev`, `rdkafka_mock.h`) on 127.0.0.1: a
 * multi-broker Kafka written by others that speaks the real protocol (produce, fetch, list
 * offsets, metadata, consumer groups with offset commits). Clients talk to it over TCP as to a
 * real cluster. It is a child process that exits with its stdin, so it never outlives the test.
 */
export async function startKafkaMockCluster(options: KafkaMockClusterOptions = {}): Promise<KafkaMockClusterHandle> {
  const o = { ...DEFAULTS, ...options };
  if (!Number.isInteger(o.brokers) || o.brokers < 1) throw new Error(`Expected \`brokers\` to be a positive integer, got ${o.brokers}`);
  const program = await kafkaMockProgram();
  const child = spawn(program, [String(o.brokers)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  const answers: ((line: string) => void)[] = [];
  let gone: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = `the Kafka mock cluster exited with ${signal ?? `code ${code}`}: ${stderr.trim()}`;
      for (const answer of answers.splice(0)) answer(`error: ${gone}`);
      resolve();
    }),
  );
  child.once('error', (error) => (gone = `the Kafka mock cluster could not start: ${error.message}`));
  lines.on('line', (line) => answers.shift()?.(line));
  const next = () => new Promise<string>((resolve) => (gone ? resolve(`error: ${gone}`) : answers.push(resolve)));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const unregister = onCleanup(kill);

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`error: no bootstrap servers within ${o.startTimeoutMs} ms`), o.startTimeoutMs)));
  const first = await Promise.race([next(), timeout]);
  clearTimeout(timer);
  if (first.startsWith('error:')) {
    kill();
    unregister();
    throw new Error(`Kafka mock cluster: ${first.slice(7)}`);
  }

  let queue = Promise.resolve('');
  const command = (text: string) => {
    queue = queue.then(() => {
      const answer = next();
      child.stdin.write(`${text}\n`);
      return answer;
    });
    return queue;
  };
  const handle: KafkaMockClusterHandle = {
    brokers: first.trim().split(','),
    async createTopic(topic, partitions) {
      if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) throw new Error(`Expected a valid topic name, got ${JSON.stringify(topic)}`);
      const answer = await command(`topic ${topic} ${partitions} 1`);
      if (answer !== 'ok') throw new Error(`Kafka mock cluster: cannot create topic ${topic}: ${answer}`);
    },
    async injectErrors(apiKey, errorCodes) {
      const answer = await command(`errors ${apiKey} ${errorCodes.join(' ')}`);
      if (answer !== 'ok') throw new Error(`Kafka mock cluster: cannot inject errors: ${answer}`);
    },
    async stop() {
      unregister();
      if (gone) return;
      child.stdin.end();
      const timer = setTimeout(kill, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  for (const [topic, partitions] of Object.entries(o.topics)) await handle.createTopic(topic, partitions);
  return handle;
}
