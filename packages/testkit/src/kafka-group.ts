// Consumer-group coordination for the test broker: JoinGroup / SyncGroup / Heartbeat /
// LeaveGroup state machine, session expiry, and committed offsets.
import { randomUUID } from 'node:crypto';

export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  ILLEGAL_GENERATION: 22,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
} as const;

export interface JoinRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly clientId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly { name: string; metadata: Buffer }[];
}

export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocol: string;
  readonly leaderId: string;
  readonly memberId: string;
  readonly members: readonly { memberId: string; metadata: Buffer }[];
}

interface Member {
  readonly id: string;
  protocols: JoinRequest['protocols'];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  lastSeen: number;
  assignment: Buffer;
  join?: (result: JoinResult) => void;
  sync?: (result: { errorCode: number; assignment: Buffer }) => void;
}

interface Group {
  state: 'empty' | 'joining' | 'syncing' | 'stable';
  generation: number;
  leader: string;
  protocol: string;
  readonly members: Map<string, Member>;
  timer?: NodeJS.Timeout;
  readonly offsets: Map<string, { offset: number; metadata: string | null }>;
}

/** How long the first join waits for more members (Kafka's group.initial.rebalance.delay.ms). */
const INITIAL_DELAY_MS = 100;
const EMPTY = Buffer.alloc(0);

export type GroupCoordinator = ReturnType<typeof createGroupCoordinator>;

export function createGroupCoordinator() {
  const groups = new Map<string, Group>();
  const group = (id: string): Group => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { state: 'empty', generation: 0, leader: '', protocol: '', members: new Map(), offsets: new Map() }));
    return g;
  };

  const completeJoin = (g: Group) => {
    clearTimeout(g.timer);
    g.timer = undefined;
    for (const [id, m] of g.members) if (!m.join) g.members.delete(id);
    const members = [...g.members.values()];
    if (members.length === 0) {
      g.state = 'empty';
      return;
    }
    g.generation++;
    if (!g.members.has(g.leader)) g.leader = members[0]!.id;
    const leader = g.members.get(g.leader)!;
    g.protocol = leader.protocols.find((p) => members.every((m) => m.protocols.some((q) => q.name === p.name)))?.name ?? leader.protocols[0]?.name ?? '';
    g.state = 'syncing';
    const all = members.map((m) => ({ memberId: m.id, metadata: m.protocols.find((p) => p.name === g.protocol)?.metadata ?? EMPTY }));
    for (const m of members) {
      const reply = m.join!;
      m.join = undefined;
      reply({ errorCode: ErrorCode.NONE, generationId: g.generation, protocol: g.protocol, leaderId: g.leader, memberId: m.id, members: m.id === g.leader ? all : [] });
    }
  };

  const maybeCompleteJoin = (g: Group, delayMs: number) => {
    const waiting = [...g.members.values()];
    if (waiting.every((m) => m.join)) {
      clearTimeout(g.timer);
      g.timer = setTimeout(() => completeJoin(g), delayMs);
    } else if (!g.timer) {
      g.timer = setTimeout(() => completeJoin(g), Math.max(...waiting.map((m) => m.rebalanceTimeoutMs)));
    }
  };

  const cancelSyncs = (g: Group) => {
    for (const m of g.members.values()) {
      const reply = m.sync;
      m.sync = undefined;
      reply?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
    }
  };

  const startRebalance = (g: Group) => {
    cancelSyncs(g);
    g.state = 'joining';
    maybeCompleteJoin(g, 0);
  };

  const removeMember = (g: Group, id: string) => {
    g.members.delete(id);
    if (g.members.size === 0) {
      clearTimeout(g.timer);
      g.timer = undefined;
      g.state = 'empty';
    } else startRebalance(g);
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const g of groups.values()) {
      for (const m of [...g.members.values()]) if (!m.join && now - m.lastSeen > m.sessionTimeoutMs) removeMember(g, m.id);
    }
  }, 250);
  sweep.unref();

  /** Checks that a member may act in `generation`; returns an error code or NONE. */
  const check = (g: Group, memberId: string, generation: number): number => {
    const m = g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    m.lastSeen = Date.now();
    if (g.state === 'joining') return ErrorCode.REBALANCE_IN_PROGRESS;
    if (generation !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  };

  return {
    join(req: JoinRequest): Promise<JoinResult> {
      const g = group(req.groupId);
      const fail = (errorCode: number): JoinResult => ({ errorCode, generationId: -1, protocol: '', leaderId: '', memberId: req.memberId, members: [] });
      if (req.memberId && !g.members.has(req.memberId)) return Promise.resolve(fail(ErrorCode.UNKNOWN_MEMBER_ID));
      const id = req.memberId || `${req.clientId}-${randomUUID()}`;
      const member: Member = g.members.get(id) ?? { id, protocols: [], sessionTimeoutMs: 0, rebalanceTimeoutMs: 0, lastSeen: 0, assignment: EMPTY };
      Object.assign(member, { protocols: req.protocols, sessionTimeoutMs: req.sessionTimeoutMs, rebalanceTimeoutMs: req.rebalanceTimeoutMs, lastSeen: Date.now() });
      const first = g.state === 'empty';
      g.members.set(id, member);
      return new Promise((resolve) => {
        member.join?.(fail(ErrorCode.UNKNOWN_MEMBER_ID)); // a repeated join replaces the previous one
        member.join = resolve;
        if (g.state !== 'joining') cancelSyncs(g);
        g.state = 'joining';
        maybeCompleteJoin(g, first ? INITIAL_DELAY_MS : 0);
      });
    },

    sync(groupId: string, generation: number, memberId: string, assignments: readonly { memberId: string; assignment: Buffer }[]): Promise<{ errorCode: number; assignment: Buffer }> {
      const g = group(groupId);
      const errorCode = check(g, memberId, generation);
      if (errorCode !== ErrorCode.NONE) return Promise.resolve({ errorCode, assignment: EMPTY });
      const member = g.members.get(memberId)!;
      if (memberId === g.leader && g.state === 'syncing') {
        for (const m of g.members.values()) m.assignment = assignments.find((a) => a.memberId === m.id)?.assignment ?? EMPTY;
        g.state = 'stable';
        for (const m of g.members.values()) {
          const reply = m.sync;
          m.sync = undefined;
          reply?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
        }
      }
      if (g.state === 'stable') return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      return new Promise((resolve) => (member.sync = resolve));
    },

    heartbeat(groupId: string, generation: number, memberId: string): number {
      return check(group(groupId), memberId, generation);
    },

    leave(groupId: string, memberId: string): number {
      const g = group(groupId);
      if (!g.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
      removeMember(g, memberId);
      return ErrorCode.NONE;
    },

    commit(groupId: string, generation: number, memberId: string, offsets: readonly { topic: string; partition: number; offset: number; metadata: string | null }[]): number {
      const g = group(groupId);
      if (generation >= 0) {
        const errorCode = check(g, memberId, generation);
        if (errorCode !== ErrorCode.NONE) return errorCode;
      }
      for (const o of offsets) g.offsets.set(`${o.topic}\0${o.partition}`, { offset: o.offset, metadata: o.metadata });
      return ErrorCode.NONE;
    },

    committed(groupId: string, topic: string, partition: number): { offset: number; metadata: string | null } {
      return group(groupId).offsets.get(`${topic}\0${partition}`) ?? { offset: -1, metadata: '' };
    },

    close() {
      clearInterval(sweep);
      for (const g of groups.values()) clearTimeout(g.timer);
    },
  };
}
