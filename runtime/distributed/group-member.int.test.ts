import type { Broker } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { taskKey } from './connect-protocol.ts';
import {
  GroupRequestError,
  KafkaGroupClient,
  type GroupCoordinatorClient,
  type GroupMemberRef,
  type JoinGroupRequest,
  type SyncGroupRequest,
} from './coordinator-client.ts';
import { WorkerGroupMember } from './group-member.ts';
import { LeaderAssignment } from './leader-assignment.ts';

// The broker's group.min.session.timeout.ms defaults to 6000 ms; the test bed keeps that default.
const SESSION_MS = 6_000;
const HEARTBEAT_MS = 1_000;

/** A coordinator client whose network can be cut, to simulate a partitioned or hung worker. */
class CuttableClient implements GroupCoordinatorClient {
  cut = false;
  readonly #inner: GroupCoordinatorClient;
  constructor(inner: GroupCoordinatorClient) {
    this.#inner = inner;
  }
  async #guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.cut) {
      await new Promise((r) => setTimeout(r, 200));
      throw new GroupRequestError('NETWORK', 'network cut by the test');
    }
    return call();
  }
  findCoordinator = (groupId: string): Promise<Broker> =>
    this.#guard(() => this.#inner.findCoordinator(groupId));
  joinGroup = (c: Broker, r: JoinGroupRequest) => this.#guard(() => this.#inner.joinGroup(c, r));
  syncGroup = (c: Broker, r: SyncGroupRequest) => this.#guard(() => this.#inner.syncGroup(c, r));
  heartbeat = (c: Broker, m: GroupMemberRef) => this.#guard(() => this.#inner.heartbeat(c, m));
  leaveGroup = (c: Broker, g: string, m: string, reason: string) =>
    this.#guard(() => this.#inner.leaveGroup(c, g, m, reason));
  describeGroup = (c: Broker, g: string) => this.#guard(() => this.#inner.describeGroup(c, g));
  close = (): Promise<void> => this.#inner.close();
}

interface TestWorker {
  name: string;
  url: string;
  member: WorkerGroupMember;
  client: CuttableClient;
  running: Set<string>;
  revokedAll: number[];
}

/** Three (or more) in-process workers sharing one group and one "cluster" of running work. */
class Group {
  readonly groupId = uniqueName('connect-group');
  readonly configured = new Map([['sink', 6]]);
  readonly gone = new Set<string>();
  readonly owner = new Map<string, string>();
  readonly violations: string[] = [];
  readonly workers: TestWorker[] = [];
  readonly maxDelayMs: number;
  constructor(maxDelayMs: number) {
    this.maxDelayMs = maxDelayMs;
  }

  add(name: string): TestWorker {
    const url = `http://${name}:8083/`;
    const running = new Set<string>();
    const client = new CuttableClient(
      new KafkaGroupClient({
        bootstrapBrokers: [kafkaBootstrap()],
        clientId: name,
        requestTimeoutMs: 20_000,
        heartbeatTimeoutMs: 3_000,
      }),
    );
    const leader = new LeaderAssignment({
      scheduledRebalanceMaxDelayMs: this.maxDelayMs,
      config: () => ({ offset: 0n, connectors: this.configured }),
      goneWorkers: () => this.gone,
    });
    const worker: TestWorker = { name, url, client, running, revokedAll: [], member: undefined as never };
    worker.member = new WorkerGroupMember({
      bootstrapBrokers: [kafkaBootstrap()],
      groupId: this.groupId,
      clientId: name,
      sessionTimeoutMs: SESSION_MS,
      heartbeatIntervalMs: HEARTBEAT_MS,
      rebalanceTimeoutMs: 15_000,
      client,
      metadata: () => ({ url, configOffset: 0n }),
      assign: leader.assign,
      onAssignment: async (a) => {
        for (const item of [...a.connectors, ...a.tasks.map(taskKey)]) {
          if (running.has(item)) continue;
          const other = this.owner.get(item);
          if (other !== undefined && other !== name)
            this.violations.push(`${item} started on ${name} while on ${other}`);
          this.owner.set(item, name);
          running.add(item);
        }
      },
      onRevoked: async (r) => {
        const items = [...r.connectors, ...r.tasks.map(taskKey)];
        if (items.length === running.size && items.length > 0) worker.revokedAll.push(Date.now());
        for (const item of items) {
          running.delete(item);
          if (this.owner.get(item) === name) this.owner.delete(item);
        }
      },
    });
    this.workers.push(worker);
    worker.member.start();
    return worker;
  }

  tasks(w: TestWorker): number {
    return [...w.running].filter((i) => i.startsWith('sink-')).length;
  }

  /** All 7 items (connector + 6 tasks) run exactly once, on `among`, spread within one. */
  settled(among: TestWorker[]): boolean {
    const counts = among.map((w) => this.tasks(w));
    const total = among.reduce((n, w) => n + w.running.size, 0);
    return total === 7 && this.owner.size === 7 && Math.max(...counts) - Math.min(...counts) <= 1;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.member.stop()));
  }
}

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

describe('WorkerGroupMember on a real broker', () => {
  let group: Group | undefined;
  afterEach(async () => {
    await group?.stopAll();
    expect(group?.violations).toEqual([]);
  });

  it('three members join, one leads, and the work spreads 2-2-2', async () => {
    group = new Group(60_000);
    const g = group;
    const [a, b, c] = ['w1', 'w2', 'w3'].map((n) => g.add(n)) as [TestWorker, TestWorker, TestWorker];
    await until('2-2-2', () => g.settled([a, b, c]) && [a, b, c].every((w) => g.tasks(w) === 2), 20_000);
    expect([a, b, c].filter((w) => w.member.isLeader)).toHaveLength(1);
    const leader = [a, b, c].find((w) => w.member.isLeader);
    for (const w of [a, b, c]) expect(w.member.leaderUrl).toBe(leader?.url);
    expect(new Set([a, b, c].map((w) => w.member.generation)).size).toBe(1);
  });

  it('a member that leaves has its work running elsewhere within a couple of seconds', async () => {
    group = new Group(60_000);
    const g = group;
    const workers = ['w1', 'w2', 'w3'].map((n) => g.add(n));
    await until('2-2-2', () => g.settled(workers), 20_000);
    const leaving = workers.find((w) => !w.member.isLeader) as TestWorker;
    const rest = workers.filter((w) => w !== leaving);
    g.gone.add(leaving.url); // the herder learns of a graceful leave
    const started = Date.now();
    await leaving.member.leave();
    expect(leaving.running.size).toBe(0);
    const took = await until('3-3 on the others', () => g.settled(rest), 5_000);
    console.log(
      `graceful leave: work running elsewhere ${Date.now() - started} ms after leave() (${took} ms after)`,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a member that stops heartbeating revokes everything; the others take its work after the delay', async () => {
    group = new Group(1_000);
    const g = group;
    const workers = ['w1', 'w2', 'w3'].map((n) => g.add(n));
    await until('2-2-2', () => g.settled(workers), 20_000);
    const crashed = workers.find((w) => !w.member.isLeader) as TestWorker;
    const rest = workers.filter((w) => w !== crashed);
    const generation = rest[0]?.member.generation ?? -1;
    const started = Date.now();
    crashed.client.cut = true;
    await until(
      'the crashed member to revoke everything',
      () => crashed.revokedAll.length > 0,
      SESSION_MS + 3_000,
    );
    const revokedAfter = (crashed.revokedAll[0] ?? 0) - started;
    expect(crashed.running.size).toBe(0);
    expect(revokedAfter).toBeLessThanOrEqual(SESSION_MS); // before the coordinator can expire it
    await until(
      'the others to rebalance',
      () => rest.every((w) => w.member.generation > generation),
      SESSION_MS + 5_000,
    );
    await until('3-3 on the others', () => g.settled(rest), 10_000);
    console.log(
      `crash: revoked on the crashed member after ${revokedAfter} ms, work elsewhere after ${Date.now() - started} ms`,
    );
    // The network heals: the member rejoins with a new member id and gets a fair share back.
    crashed.client.cut = false;
    await until('2-2-2 again', () => g.settled(workers) && g.tasks(crashed) === 2, 20_000);
  }, 60_000);

  it('a dead member declared gone is expelled and its work moves before its session expires', async () => {
    group = new Group(60_000);
    const g = group;
    const workers = ['w1', 'w2', 'w3'].map((n) => g.add(n));
    await until('2-2-2', () => g.settled(workers), 20_000);
    const dead = workers.find((w) => !w.member.isLeader) as TestWorker;
    const deadId = dead.member.memberId;
    const rest = workers.filter((w) => w !== dead);
    await dead.member.stop(); // like kill -9: no LeaveGroup (its work is stopped, as a dead process's is)
    const started = Date.now();
    g.gone.add(dead.url);
    await rest[0]?.member.expel([deadId]);
    await until('3-3 on the others', () => g.settled(rest), 5_000);
    const took = Date.now() - started;
    console.log(`declared gone: work running elsewhere after ${took} ms`);
    expect(took).toBeLessThan(SESSION_MS);
  });
});
