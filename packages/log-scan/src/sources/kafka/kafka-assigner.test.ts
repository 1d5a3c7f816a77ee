import { AssignerProtocol, PartitionAssigners, type Cluster, type Logger } from 'kafkajs';
import { patientRoundRobin } from './kafka-assigner.js';

const config = {
  cluster: { findTopicPartitionMetadata: () => [0, 1, 2, 3, 4].map((partitionId) => ({ partitionId })) } as unknown as Cluster,
  groupId: 'g',
  logger: {} as Logger,
};
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ memberId: `m${i}`, memberMetadata: Buffer.alloc(0) }));
const decoded = (assignments: { memberId: string; memberAssignment: Buffer }[]) =>
  Object.fromEntries(assignments.map((a) => [a.memberId, AssignerProtocol.MemberAssignment.decode(a.memberAssignment)?.assignment]));

describe('patientRoundRobin', () => {
  test('speaks the round-robin protocol of other kafkajs members under the same name', () => {
    const patient = patientRoundRobin(1)(config);
    const plain = PartitionAssigners.roundRobin(config);
    expect(patient.name).toBe('RoundRobinAssigner');
    expect(patient.version).toBe(plain.version);
    expect(patient.protocol({ topics: ['t'] })).toEqual(plain.protocol({ topics: ['t'] }));
  });

  test.each([1, 2, 3])('assigns %i member(s) as round robin does: every partition once', async (n) => {
    const group = { members: members(n), topics: ['t'], userData: Buffer.alloc(0) };
    const patient = decoded(await patientRoundRobin(5)(config).assign(group));
    expect(patient).toEqual(decoded(await PartitionAssigners.roundRobin(config).assign(group)));
    expect(Object.values(patient).flatMap((a) => a?.t ?? []).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
