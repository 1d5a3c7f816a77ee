import { messageOf } from '@ops/core';
import { SourceError } from '../../errors/source-error.js';

/** A broker that cannot be reached or a request that failed after kafkajs' retries (exit 3). */
export function kafkaSourceError(source: string, byteOffset: number, what: string, error: unknown): SourceError {
  return new SourceError(source, byteOffset, `${what}: ${messageOf(error)}`, {
    cause: error,
    hint: 'check that the brokers are reachable (host:port as advertised by the cluster) and the topic exists, then rerun; committed offsets keep what was counted',
  });
}
