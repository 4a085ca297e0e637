import type { Broker } from '@platformatic/kafka';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeWorkerState,
  encodeAssignment,
  metadataProtocols,
  type ConnectAssignment,
} from './connect-protocol.ts';
import {
  GroupRequestError,
  type DescribedMember,
  type GroupCoordinatorClient,
  type GroupDescription,
  type JoinGroupRequest,
  type JoinGroupResult,
  type SyncGroupRequest,
} from './coordinator-client.ts';
import { WorkerGroupMember } from './group-member.ts';

const COORDINATOR: Broker = { host: 'broker', port: 9092 };

/** A one-member group whose answers a test can script; it records what the member did, in order. */
class ScriptedCoordinator implements GroupCoordinatorClient {
  events: string[] = [];
  joins: JoinGroupRequest[] = [];
  generation = 0;
  joinErrors: GroupRequestError[] = [];
  heartbeatError: (() => GroupRequestError | 'hang') | undefined;
  leaveError: GroupRequestError | undefined;
  finds = 0;
  joinDelayMs = 0;
  /** Other members DescribeGroups shows. */
  described: DescribedMember[] = [];
  describes = 0;
  #joinPending = false;

  async findCoordinator(): Promise<Broker> {
    this.finds++;
    return COORDINATOR;
  }
  async joinGroup(_c: Broker, r: JoinGroupRequest): Promise<JoinGroupResult> {
    this.joins.push(r);
    this.events.push('join');
    this.#joinPending = true;
    await new Promise((resolve) => setTimeout(resolve, this.joinDelayMs));
    this.#joinPending = false;
    const error = this.joinErrors.shift();
    if (error) throw error;
    const memberId = r.memberId || 'm1';
    const metadata = r.protocols[0]?.metadata ?? Buffer.alloc(0);
    return {
      generationId: ++this.generation,
      memberId,
      leader: memberId,
      protocolName: 'sessioned',
      members: [{ memberId, metadata }],
    };
  }
  async syncGroup(_c: Broker, r: SyncGroupRequest): Promise<Buffer> {
    return r.assignments.find((a) => a.memberId === r.memberId)?.assignment ?? Buffer.alloc(0);
  }
  async heartbeat(): Promise<void> {
    if (this.#joinPending) throw new GroupRequestError('REBALANCE_IN_PROGRESS', 'joining');
    const error = this.heartbeatError?.();
    if (error === 'hang') return new Promise(() => {});
    if (error) {
      this.heartbeatError = undefined;
      throw error;
    }
  }
  async leaveGroup(_c: Broker, _g: string, memberId: string): Promise<void> {
    this.events.push(`leave:${memberId}`);
    if (this.leaveError) throw this.leaveError;
    this.described = this.described.filter((m) => m.memberId !== memberId);
  }
  async describeGroup(): Promise<GroupDescription> {
    this.describes++;
    return { state: 'Stable', members: this.described };
  }
  async close(): Promise<void> {}
}

function assignment(overrides: Partial<ConnectAssignment> = {}): ConnectAssignment {
  return {
    version: 2,
    error: 0,
    leader: 'm1',
    leaderUrl: 'http://w1:8083/',
    configOffset: 0n,
    connectors: [],
    tasks: [],
    revokedConnectors: [],
    revokedTasks: [],
    delay: 0,
    ...overrides,
  };
}

const tasks = (...n: number[]) => n.map((task) => ({ connector: 'c', task }));

describe('WorkerGroupMember (scripted coordinator)', () => {
  let member: WorkerGroupMember | undefined;
  afterEach(() => member?.stop());

  function start(
    coordinator: ScriptedCoordinator,
    rounds: Partial<ConnectAssignment>[],
    sessionTimeoutMs = 400,
    log = pino({ level: 'silent' }),
  ) {
    const assignments: ConnectAssignment[] = [];
    member = new WorkerGroupMember({
      bootstrapBrokers: ['broker:9092'],
      groupId: 'g',
      clientId: 'w1',
      sessionTimeoutMs,
      heartbeatIntervalMs: 20,
      retryBackoffMs: 5,
      client: coordinator,
      log,
      metadata: () => ({ url: 'http://w1:8083/', configOffset: 0n }),
      assign: (members) =>
        new Map(members.map((m) => [m.memberId, encodeAssignment(assignment(rounds.shift() ?? {}))])),
      onAssignment: async (a) => {
        assignments.push(a);
        coordinator.events.push(`assigned:${a.tasks.map((t) => t.task).join(',')}`);
      },
      onRevoked: async (r) => {
        coordinator.events.push(`revoked:${r.tasks.map((t) => t.task).join(',')}`);
      },
    });
    member.start();
    return assignments;
  }

  const until = async (condition: () => boolean, ms = 2_000): Promise<void> => {
    const started = Date.now();
    while (!condition()) {
      if (Date.now() - started > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('retries JoinGroup with the member id the coordinator requires', async () => {
    const c = new ScriptedCoordinator();
    c.joinErrors.push(
      new GroupRequestError('MEMBER_ID_REQUIRED', 'x', { response: { memberId: 'm-given' } }),
    );
    start(c, [{ tasks: tasks(0) }]);
    await until(() => c.events.includes('assigned:0'));
    expect(c.joins.map((j) => j.memberId)).toEqual(['', 'm-given']);
    expect(member?.memberId).toBe('m-given');
    expect(member?.isLeader).toBe(true);
    expect(member?.generation).toBe(1);
  });

  it('on UNKNOWN_MEMBER_ID from a heartbeat, stops all work before rejoining as a new member', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(0, 1) }, {}]);
    await until(() => c.events.includes('assigned:0,1'));
    c.heartbeatError = () => new GroupRequestError('UNKNOWN_MEMBER_ID', 'x');
    await until(() => c.joins.length === 2);
    expect(c.events.slice(0, 4)).toEqual(['join', 'assigned:0,1', 'revoked:0,1', 'join']);
    expect(c.joins[1]?.memberId).toBe('');
    // it reports no allocation any more
    expect(decodeWorkerState(c.joins[1]?.protocols[0]?.metadata ?? Buffer.alloc(0)).allocation).toBeNull();
  });

  it('stops all work when nothing proves membership for the session timeout', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(3) }]);
    await until(() => c.events.includes('assigned:3'));
    const cut = Date.now();
    c.heartbeatError = () => 'hang';
    await until(() => c.events.includes('revoked:3'));
    expect(Date.now() - cut).toBeLessThan(800); // session 400 ms, minus a heartbeat interval, plus scheduling
    expect(c.events.indexOf('revoked:3')).toBeLessThan(c.events.lastIndexOf('join'));
  });

  it('is settled once a round is applied and no other pending; whenSettled waits for that', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(0) }, { tasks: tasks(1) }]);
    await member?.whenSettled();
    expect(c.events).toEqual(['join', 'assigned:0']);
    expect(member?.settled).toBe(true);
    expect(member?.unsettledSince).toBeUndefined();
    c.joinDelayMs = 100;
    const asked = Date.now();
    member?.requestRejoin('a config change');
    expect(member?.settled).toBe(false);
    expect(member?.unsettledSince).toBeGreaterThanOrEqual(asked);
    await member?.whenSettled();
    expect(c.events).toEqual(['join', 'assigned:0', 'join', 'assigned:0,1']);
  });

  it('keeps its work through a JoinGroup longer than the session while heartbeats are answered', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(0) }, { tasks: tasks(1) }], 200);
    await until(() => c.events.includes('assigned:0'));
    c.joinDelayMs = 600;
    member?.requestRejoin('a config change');
    await until(() => c.events.includes('assigned:0,1'));
    expect(c.events.filter((e) => e.startsWith('revoked'))).toEqual([]);
  });

  it('on REBALANCE_IN_PROGRESS rejoins and keeps its work, reporting it in its metadata', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(0) }, { tasks: tasks(1) }]);
    await until(() => c.events.includes('assigned:0'));
    c.heartbeatError = () => new GroupRequestError('REBALANCE_IN_PROGRESS', 'x');
    await until(() => c.events.includes('assigned:0,1'));
    expect(c.events.filter((e) => e.startsWith('revoked'))).toEqual([]);
    const reported = decodeWorkerState(c.joins[1]?.protocols[0]?.metadata ?? Buffer.alloc(0));
    expect(reported.allocation?.tasks).toEqual(tasks(0));
    expect(c.joins[1]?.memberId).toBe('m1');
  });

  it('revokes what the leader revokes, then rejoins for the follow-up round', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(0, 1) }, { revokedTasks: tasks(1, 7) }, { tasks: tasks(2) }]);
    await until(() => c.events.includes('assigned:0,1'));
    member?.requestRejoin('a config change');
    await until(() => c.events.includes('assigned:0,2'));
    expect(c.events).toEqual([
      'join',
      'assigned:0,1',
      'join',
      'revoked:1',
      'assigned:0',
      'join',
      'assigned:0,2',
    ]);
  });

  it('rejoins when the leader delay ends', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ delay: 100 }, { tasks: tasks(5) }]);
    await until(() => c.events.length === 2);
    const first = Date.now();
    await until(() => c.events.includes('assigned:5'));
    expect(Date.now() - first).toBeGreaterThanOrEqual(90);
  });

  it('finds the coordinator again after NOT_COORDINATOR', async () => {
    const c = new ScriptedCoordinator();
    c.joinErrors.push(new GroupRequestError('NOT_COORDINATOR', 'x'));
    start(c, [{ tasks: tasks(0) }]);
    await until(() => c.events.includes('assigned:0'));
    expect(c.finds).toBe(2);
  });

  it('rejoins after a failed (config mismatch) assignment, keeping its work', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(0) }, { error: 1 }, {}]);
    await until(() => c.events.includes('assigned:0'));
    member?.requestRejoin('a config change');
    await until(() => c.joins.length === 3);
    expect(c.events.filter((e) => e.startsWith('revoked'))).toEqual([]);
  });

  it("removes its previous process (a member with this worker's URL) before its first join, once", async () => {
    const c = new ScriptedCoordinator();
    const state = (url: string) =>
      metadataProtocols({ url, configOffset: 0n, allocation: null }, ['sessioned']);
    c.described = [
      { memberId: 'old', clientId: 'w1', metadata: state('http://w1:8083/')[0]!.metadata },
      { memberId: 'other', clientId: 'w2', metadata: state('http://w2:8083/')[0]!.metadata },
      // Not Stable: no metadata, so the client id (which names the worker) tells.
      { memberId: 'older', clientId: 'w1', metadata: Buffer.alloc(0) },
      { memberId: 'java', clientId: 'connect-1', metadata: Buffer.from('not connect metadata') },
    ];
    start(c, [{ tasks: tasks(0) }, {}]);
    await until(() => c.events.includes('assigned:0'));
    expect(c.events).toEqual(['leave:old', 'leave:older', 'join', 'assigned:0']);
    member?.requestRejoin('a config change');
    await until(() => c.joins.length === 2);
    expect(c.describes).toBe(1);
  });

  it('joins anyway when the group cannot be described', async () => {
    const c = new ScriptedCoordinator();
    c.describeGroup = async () => {
      throw new GroupRequestError('GROUP_AUTHORIZATION_FAILED', 'x');
    };
    start(c, [{ tasks: tasks(0) }]);
    await until(() => c.events.includes('assigned:0'));
  });

  it('leave() stops all work first, then sends LeaveGroup', async () => {
    const c = new ScriptedCoordinator();
    start(c, [{ tasks: tasks(0, 1) }]);
    await until(() => c.events.includes('assigned:0,1'));
    await member?.leave();
    expect(c.events.slice(-2)).toEqual(['revoked:0,1', 'leave:m1']);
    expect(member?.assignment).toBeNull();
  });

  it('logs UNKNOWN_MEMBER_ID from LeaveGroup at info (the leader removed it already), other errors as warnings', async () => {
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const c = new ScriptedCoordinator();
    c.leaveError = new GroupRequestError('UNKNOWN_MEMBER_ID', 'gone');
    start(c, [{ tasks: tasks(0) }], 400, log);
    await until(() => c.events.includes('assigned:0'));
    await member?.leave();
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    expect(lines.map((l) => l.msg)).toContain(
      'Left the group: the coordinator had already removed this member',
    );

    lines.length = 0;
    const other = new ScriptedCoordinator();
    other.leaveError = new GroupRequestError('COORDINATOR_NOT_AVAILABLE', 'moving');
    start(other, [{ tasks: tasks(0) }], 400, log);
    await until(() => other.events.includes('assigned:0'));
    await member?.leave();
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual(['LeaveGroup failed']);
  });
});
