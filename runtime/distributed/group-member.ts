// A Connect worker's membership in its Kafka group (Java: WorkerGroupMember + WorkerCoordinator):
// JoinGroup/SyncGroup with protocol type "connect", heartbeats, the leader's assignment callback,
// and the cooperative protocol's follow-ups (rejoin after revoking; rejoin when the leader's delay
// ends). It keeps the member's whole current assignment and reports it in its metadata.
//
// Safety: a member that may have lost its membership calls onRevoked for all its work before it
// rejoins, so one task never runs twice. Lost means: the coordinator answers UNKNOWN_MEMBER_ID or
// ILLEGAL_GENERATION, or nothing proved membership for session.timeout.ms minus one heartbeat
// interval, counted from when the last successful request was *sent*: the member starts stopping
// its work before the coordinator can expire it, leaving that interval for the work to stop before
// the rest of the group can rebalance. Leaving (and stopping) revokes everything first too.
// Before a process's first JoinGroup, its previous process (same URL: restarted in place) is removed
// from the group (predecessors.ts).
import type { Broker, ConnectionOptions } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { logger } from '../logging.ts';
import { applyAssignment } from './assignor.ts';
import {
  ASSIGNMENT_NO_ERROR,
  CONNECT_PROTOCOL_TYPE,
  PROTOCOL_VERSION,
  decodeAssignment,
  decodeWorkerState,
  metadataProtocols,
  taskKey,
  type ConnectAssignment,
  type ConnectProtocolName,
  type ConnectorsAndTasks,
  type WorkerState,
} from './connect-protocol.ts';
import { GroupRequestError, KafkaGroupClient, type GroupCoordinatorClient } from './coordinator-client.ts';
import { COORDINATOR_MOVED, Heartbeat } from './heartbeat.ts';
import { removePredecessors } from './predecessors.ts';

export interface GroupMemberInfo {
  memberId: string;
  state: WorkerState;
}

export interface AssignContext {
  leaderId: string;
  protocol: ConnectProtocolName;
  protocolVersion: number;
  generation: number;
  /** The generation of this member's last completed round (Java: lastCompletedGenerationId). */
  lastCompletedGeneration: number;
}

export interface WorkerGroupMemberOptions {
  bootstrapBrokers: string[];
  groupId: string;
  clientId: string;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  retryBackoffMs?: number;
  /** Sub-protocols offered, most preferred first chosen by the coordinator. Eager is not offered. */
  protocols?: ConnectProtocolName[];
  /** This worker's REST URL and config-log offset, read before each JoinGroup. */
  metadata: () => { url: string; configOffset: bigint } | Promise<{ url: string; configOffset: bigint }>;
  /** Leader only: serialized assignment per member id. */
  assign: (
    members: GroupMemberInfo[],
    context: AssignContext,
  ) => Map<string, Buffer> | Promise<Map<string, Buffer>>;
  /** The member's whole assignment after a round (new work to start); error CONFIG_MISMATCH = catch up. */
  onAssignment: (
    assignment: ConnectAssignment,
    generation: number,
    isLeader: boolean,
    leaderUrl: string,
  ) => Promise<void>;
  /** Work to stop now; resolves once it is stopped. */
  onRevoked: (revoked: ConnectorsAndTasks) => Promise<void>;
  /** The coordinator transport; defaults to Kafka through @platformatic/kafka. */
  client?: GroupCoordinatorClient;
  connectionOptions?: ConnectionOptions;
  log?: Logger;
}

type Tunable =
  'sessionTimeoutMs' | 'rebalanceTimeoutMs' | 'heartbeatIntervalMs' | 'retryBackoffMs' | 'protocols';
const EMPTY: ConnectorsAndTasks = { connectors: [], tasks: [] };
const LOST = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']);

const errorId = (error: unknown): string => (error instanceof GroupRequestError ? error.id : 'UNKNOWN');

const isEmpty = (w: ConnectorsAndTasks): boolean => w.connectors.length === 0 && w.tasks.length === 0;

export class WorkerGroupMember {
  readonly #o: WorkerGroupMemberOptions & Required<Pick<WorkerGroupMemberOptions, Tunable>>;
  readonly #client: GroupCoordinatorClient;
  readonly #log: Logger;
  readonly #heartbeat: Heartbeat;
  #coordinator: Broker | undefined;
  #finding: Promise<Broker> | undefined;
  #memberId = '';
  #generation = -1;
  #lastCompletedGeneration = -1;
  #leaderId = '';
  #assignment: ConnectAssignment | null = null;
  #running = false;
  #joining = false;
  #rejoinNeeded = true;
  #rejoinReason = 'starting';
  #aliveAt = 0;
  #losing = false;
  #predecessorsChecked = false;
  #callbacks: Promise<void> = Promise.resolve();
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #delayTimer: NodeJS.Timeout | undefined;
  /** A round is under way: from the start of the JoinGroup step until its assignment is applied. */
  #inRound = false;
  /** Since when the member has not been settled (undefined: settled). */
  #unsettledSince: number | undefined = Date.now();
  readonly #settledWaiters = new Set<() => void>();

  constructor(options: WorkerGroupMemberOptions) {
    this.#o = {
      ...options,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 60_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
      retryBackoffMs: options.retryBackoffMs ?? 250,
      protocols: options.protocols ?? ['sessioned', 'compatible'],
    };
    this.#client =
      options.client ??
      new KafkaGroupClient({
        bootstrapBrokers: options.bootstrapBrokers,
        clientId: options.clientId,
        requestTimeoutMs: this.#o.rebalanceTimeoutMs + 5_000,
        heartbeatTimeoutMs: Math.max(1_000, this.#o.sessionTimeoutMs - this.#o.heartbeatIntervalMs),
        ...(options.connectionOptions ? { connectionOptions: options.connectionOptions } : {}),
      });
    this.#log = options.log ?? logger('weir.distributed.group-member');
    this.#heartbeat = new Heartbeat(
      this.#client,
      { intervalMs: this.#o.heartbeatIntervalMs, retryMs: this.#o.retryBackoffMs * 2, log: this.#log },
      {
        current: () =>
          this.#memberId !== '' && this.#generation >= 0
            ? { groupId: this.#o.groupId, generationId: this.#generation, memberId: this.#memberId }
            : undefined,
        coordinator: () => this.#ensureCoordinator(),
        joining: () => this.#joining,
      },
      {
        alive: (sentAt) => (this.#aliveAt = Math.max(this.#aliveAt, sentAt)),
        rebalance: () => this.requestRejoin('the group is rebalancing'),
        lost: (id) => void this.#lose(`heartbeat answered ${id}`, id !== 'ILLEGAL_GENERATION'),
        coordinatorMoved: () => (this.#coordinator = undefined),
      },
    );
  }

  get memberId(): string {
    return this.#memberId;
  }
  get generation(): number {
    return this.#generation;
  }
  get isLeader(): boolean {
    return this.#memberId !== '' && this.#leaderId === this.#memberId;
  }
  get leaderUrl(): string | undefined {
    return this.#assignment?.leaderUrl;
  }
  /** True until a round completed, and while a new one is pending or under way. */
  get rebalancing(): boolean {
    return this.#rejoinNeeded || this.#joining || this.#assignment === null;
  }
  /**
   * A round completed, its assignment applied (the work it gave started) and no new round pending or
   * under way: what Java's tick loop waits for before it handles queued requests.
   */
  get settled(): boolean {
    return this.#running && !this.rebalancing && !this.#inRound;
  }
  /** When the member stopped being settled (ms since the epoch), or undefined while settled. */
  get unsettledSince(): number | undefined {
    return this.settled ? undefined : (this.#unsettledSince ?? Date.now());
  }
  /** Resolves once the member is settled, or when it stops. */
  whenSettled(): Promise<void> {
    if (this.settled || !this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.add(resolve));
  }
  /** The whole current assignment (null before the first one and after losing membership). */
  get assignment(): ConnectAssignment | null {
    return this.#assignment;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#watchdog = setInterval(() => this.#checkSession(), Math.min(250, this.#o.heartbeatIntervalMs));
    this.#heartbeat.start();
    this.#loop = this.#run();
  }

  /** Asks for a new round (e.g. after a config change, so the leader reassigns). */
  requestRejoin(reason = 'requested'): void {
    this.#markUnsettled();
    this.#rejoinNeeded = true;
    this.#rejoinReason = reason;
    this.#wake?.();
  }

  /** Graceful shutdown: stops all work, leaves the group (its work can move at once), closes. */
  async leave(reason = 'the worker is shutting down'): Promise<void> {
    await this.#shutdown(reason, true);
  }

  /** Stops all work and closes without LeaveGroup; the coordinator drops the member after its session. */
  async stop(): Promise<void> {
    await this.#shutdown('stopped', false);
  }

  /**
   * Removes other members from the group at once (LeaveGroup on their behalf), for workers known
   * to be dead, so the group rebalances without waiting for their sessions to expire.
   */
  async expel(memberIds: string[], reason = 'declared gone'): Promise<void> {
    const coordinator = await this.#ensureCoordinator();
    for (const id of memberIds) await this.#client.leaveGroup(coordinator, this.#o.groupId, id, reason);
  }

  async #shutdown(reason: string, leave: boolean): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wake?.();
    this.#releaseWaiters();
    clearTimeout(this.#delayTimer);
    await this.#enqueue(() => this.#revokeAll(reason)); // still heartbeating meanwhile
    this.#heartbeat.stop();
    clearInterval(this.#watchdog);
    if (leave && this.#memberId !== '' && this.#coordinator) {
      await this.#client
        .leaveGroup(this.#coordinator, this.#o.groupId, this.#memberId, reason)
        .catch((error: unknown) => {
          // A worker that announced its shutdown has usually been removed by the leader already.
          if (errorId(error) === 'UNKNOWN_MEMBER_ID')
            this.#log.info('Left the group: the coordinator had already removed this member');
          else this.#log.warn({ err: error }, 'LeaveGroup failed');
        });
    }
    this.#memberId = '';
    this.#generation = -1;
    await this.#client.close();
    await this.#loop?.catch(() => {});
  }

  async #run(): Promise<void> {
    let backoff = this.#o.retryBackoffMs;
    while (this.#running) {
      if (!this.#rejoinNeeded) {
        await this.#sleep();
        continue;
      }
      try {
        await this.#joinAndSync();
        backoff = this.#o.retryBackoffMs;
      } catch (error) {
        if (!this.#running) break;
        if (await this.#onGroupError(error, 'rebalance')) continue;
        const message = `group ${this.#o.groupId}: rebalance failed (${errorId(error)}); retrying in ${backoff} ms`;
        if (COORDINATOR_MOVED.has(errorId(error))) this.#log.info(`${message}: ${(error as Error).message}`);
        else this.#log.warn({ err: error }, message);
        this.#rejoinNeeded = true;
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  async #joinAndSync(): Promise<void> {
    this.#rejoinNeeded = false; // a request from now on asks for one more round
    this.#inRound = true;
    try {
      await this.#round();
    } catch (error) {
      this.#rejoinNeeded = true; // a failed round is retried: never seen as settled meanwhile
      throw error;
    } finally {
      this.#inRound = false;
    }
    if (this.settled) this.#releaseWaiters();
  }

  async #round(): Promise<void> {
    const coordinator = await this.#ensureCoordinator();
    const { url, configOffset } = await this.#o.metadata();
    // Stopping work finishes before the member asks to rejoin, and it reports what it runs then.
    for (let pending = this.#callbacks; ; pending = this.#callbacks) {
      await pending;
      if (pending === this.#callbacks) break;
    }
    if (!this.#predecessorsChecked) {
      this.#predecessorsChecked = true;
      await removePredecessors(this.#client, coordinator, {
        groupId: this.#o.groupId,
        clientId: this.#o.clientId,
        url,
        log: this.#log,
      });
    }
    const protocols = metadataProtocols(
      { url, configOffset, allocation: this.#assignment },
      this.#o.protocols,
    );
    this.#joining = true;
    try {
      const joinSentAt = Date.now();
      const join = await this.#client.joinGroup(coordinator, {
        groupId: this.#o.groupId,
        sessionTimeoutMs: this.#o.sessionTimeoutMs,
        rebalanceTimeoutMs: this.#o.rebalanceTimeoutMs,
        memberId: this.#memberId,
        protocolType: CONNECT_PROTOCOL_TYPE,
        protocols,
        reason: this.#rejoinReason,
      });
      this.#memberId = join.memberId;
      this.#generation = join.generationId;
      this.#leaderId = join.leader;
      this.#aliveAt = joinSentAt;
      const protocol = join.protocolName as ConnectProtocolName;
      let assignments: { memberId: string; assignment: Buffer }[] = [];
      if (join.leader === join.memberId) {
        const members = join.members.map((m) => ({
          memberId: m.memberId,
          state: decodeWorkerState(m.metadata),
        }));
        const result = await this.#o.assign(members, {
          leaderId: join.leader,
          protocol,
          protocolVersion: PROTOCOL_VERSION[protocol] ?? 1,
          generation: join.generationId,
          lastCompletedGeneration: this.#lastCompletedGeneration,
        });
        assignments = [...result].map(([memberId, assignment]) => ({ memberId, assignment }));
      }
      const syncSentAt = Date.now();
      const bytes = await this.#client.syncGroup(coordinator, {
        groupId: this.#o.groupId,
        generationId: join.generationId,
        memberId: join.memberId,
        protocolType: CONNECT_PROTOCOL_TYPE,
        protocolName: protocol,
        assignments,
      });
      this.#aliveAt = syncSentAt;
      this.#lastCompletedGeneration = join.generationId;
      const assignment = decodeAssignment(bytes);
      this.#rejoinReason = 'rebalance';
      this.#joining = false;
      await this.#enqueue(() => this.#apply(assignment, join.generationId)).catch(() => {}); // logged
    } finally {
      this.#joining = false;
    }
  }

  /** Handles a failed group request; true when the member should rejoin at once (no back-off). */
  async #onGroupError(error: unknown, during: string): Promise<boolean> {
    const id = errorId(error);
    if (id === 'MEMBER_ID_REQUIRED' && error instanceof GroupRequestError) {
      this.#memberId = (error.response as { memberId?: string } | undefined)?.memberId ?? '';
      this.#rejoinNeeded = true;
      return true;
    }
    if (id === 'REBALANCE_IN_PROGRESS') {
      this.#rejoinNeeded = true;
      return true;
    }
    if (LOST.has(id)) {
      await this.#lose(`${during} answered ${id}`, id === 'UNKNOWN_MEMBER_ID' || id === 'FENCED_INSTANCE_ID');
      return true;
    }
    if (COORDINATOR_MOVED.has(id)) this.#coordinator = undefined;
    return false;
  }

  async #apply(assignment: ConnectAssignment, generation: number): Promise<void> {
    if (!this.#running) return;
    const current = this.#assignment ?? { ...EMPTY };
    const revokedConnectors = new Set(assignment.revokedConnectors);
    const revokedTasks = new Set(assignment.revokedTasks.map(taskKey));
    const revoked = {
      connectors: current.connectors.filter((c) => revokedConnectors.has(c)),
      tasks: current.tasks.filter((t) => revokedTasks.has(taskKey(t))),
    };
    if (!isEmpty(revoked)) await this.#o.onRevoked(revoked);
    const work = applyAssignment(
      { connectors: current.connectors, tasks: current.tasks },
      { assigned: assignment, revoked },
    );
    this.#assignment = { ...assignment, ...work, revokedConnectors: [], revokedTasks: [] };
    const isLeader = assignment.leader === this.#memberId;
    await this.#o.onAssignment(this.#assignment, generation, isLeader, assignment.leaderUrl);
    clearTimeout(this.#delayTimer);
    if (assignment.error !== ASSIGNMENT_NO_ERROR) {
      this.requestRejoin('the assignment failed (config mismatch)');
    } else if (assignment.revokedConnectors.length > 0 || assignment.revokedTasks.length > 0) {
      this.requestRejoin('work was revoked; the follow-up round assigns it');
    } else if (assignment.delay > 0) {
      this.#delayTimer = setTimeout(
        () => this.requestRejoin('the scheduled rebalance delay ended'),
        assignment.delay,
      );
    }
  }

  /** Membership may be lost: stop all work first, then rejoin (a new member id when asked). */
  async #lose(reason: string, resetMemberId: boolean): Promise<void> {
    this.#markUnsettled();
    if (resetMemberId) this.#memberId = '';
    this.#generation = -1;
    this.#rejoinNeeded = true;
    this.#rejoinReason = reason;
    if (this.#losing) return;
    this.#losing = true;
    try {
      await this.#enqueue(() => this.#revokeAll(reason, 'warn'));
    } finally {
      this.#losing = false;
    }
    this.#wake?.();
  }

  async #revokeAll(reason: string, level: 'info' | 'warn' = 'info'): Promise<void> {
    const current = this.#assignment;
    this.#assignment = null;
    clearTimeout(this.#delayTimer);
    if (current && !isEmpty(current)) {
      this.#log[level](`group ${this.#o.groupId}: stopping all work (${reason})`);
      await this.#o.onRevoked({ connectors: current.connectors, tasks: current.tasks });
    }
  }

  #checkSession(): void {
    const held = this.#assignment;
    if (!this.#running || this.#losing || !held || isEmpty(held)) return;
    const budget = Math.max(
      this.#o.sessionTimeoutMs - this.#o.heartbeatIntervalMs,
      this.#o.sessionTimeoutMs / 2,
    );
    if (Date.now() - this.#aliveAt <= budget) return;
    void this.#lose(
      `no successful heartbeat for ${budget} ms (session.timeout.ms ${this.#o.sessionTimeoutMs})`,
      false,
    );
  }

  async #ensureCoordinator(): Promise<Broker> {
    if (this.#coordinator) return this.#coordinator;
    this.#finding ??= this.#client
      .findCoordinator(this.#o.groupId)
      .finally(() => (this.#finding = undefined));
    const found = await this.#finding;
    this.#coordinator = found;
    return found;
  }

  #markUnsettled(): void {
    if (this.settled) this.#unsettledSince = Date.now();
  }

  #releaseWaiters(): void {
    this.#unsettledSince = undefined;
    const waiters = [...this.#settledWaiters];
    this.#settledWaiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Runs callbacks one at a time, in order (assignments, revocations). */
  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#callbacks.then(step);
    this.#callbacks = run.catch((error: unknown) =>
      this.#log.error({ err: error }, `group ${this.#o.groupId}: rebalance callback failed`),
    );
    return run;
  }

  /** Waits until woken (rejoin requested, stopping) or `ms` elapse. */
  #sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      const wake = (): void => done();
      this.#wake = wake;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
