import { PartitionAssigners, type PartitionAssigner } from 'kafkajs';
import { LEADER_SYNC_DELAY_MS } from './kafka-tuning.js';

/**
 * kafkajs' round-robin assignment (same protocol name, so it mixes with other kafkajs members),
 * handed in by the leader `delayMs` after the join when the group has other members. A follower
 * sends its SyncGroup as soon as its join returns; a coordinator that answers a SyncGroup arriving
 * after the leader's with an error (librdkafka's mock cluster: INVALID_REQUEST once the group is
 * stable) would otherwise fail a follower that was a moment slow, under load, and the rejoin
 * that follows costs the whole group a rebalance. Kafka answers such a sync with the assignment.
 */
export function patientRoundRobin(delayMs = LEADER_SYNC_DELAY_MS): PartitionAssigner {
  return (config) => {
    const inner = PartitionAssigners.roundRobin(config);
    return {
      name: inner.name,
      version: inner.version,
      protocol: (subscription) => inner.protocol(subscription),
      async assign(group) {
        if (group.members.length > 1 && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        return inner.assign(group);
      },
    };
  };
}
