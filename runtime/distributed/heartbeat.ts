// A group member's heartbeat loop: every heartbeat.interval.ms while the member has a generation,
// also while a JoinGroup waits at the coordinator (heartbeats use their own connection), so the
// member keeps proof that the coordinator still knows it. It reports what it learns and decides
// nothing about work; answers for an older member id or generation are ignored.
import type { Broker } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { GroupRequestError, type GroupCoordinatorClient, type GroupMemberRef } from './coordinator-client.ts';

export interface HeartbeatTarget {
  /** The member as the coordinator should know it, or undefined while it has no generation. */
  current(): GroupMemberRef | undefined;
  coordinator(): Promise<Broker>;
  /** True while the member's JoinGroup/SyncGroup round is in flight. */
  joining(): boolean;
}

export interface HeartbeatEvents {
  /** The coordinator answered for the member: it was a member when the request was sent. */
  alive(sentAt: number): void;
  /** The group is rebalancing and this member is not in the round yet. */
  rebalance(): void;
  /** The coordinator no longer has this member (UNKNOWN_MEMBER_ID) or its generation (ILLEGAL_GENERATION). */
  lost(errorId: string): void;
  coordinatorMoved(): void;
}

export const COORDINATOR_MOVED: ReadonlySet<string> = new Set([
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NETWORK',
]);
const LOST = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']);

export class Heartbeat {
  readonly #client: GroupCoordinatorClient;
  readonly #intervalMs: number;
  readonly #retryMs: number;
  readonly #target: HeartbeatTarget;
  readonly #events: HeartbeatEvents;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    client: GroupCoordinatorClient,
    options: { intervalMs: number; retryMs: number; log: Logger },
    target: HeartbeatTarget,
    events: HeartbeatEvents,
  ) {
    this.#client = client;
    this.#intervalMs = options.intervalMs;
    this.#retryMs = Math.min(options.intervalMs, options.retryMs);
    this.#log = options.log;
    this.#target = target;
    this.#events = events;
  }

  start(): void {
    this.#running = true;
    this.#schedule(this.#intervalMs);
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    if (this.#running) this.#timer = setTimeout(() => void this.#beat(), ms);
  }

  async #beat(): Promise<void> {
    let next = this.#intervalMs;
    const ref = this.#target.current();
    if (ref) {
      const sentAt = Date.now();
      try {
        await this.#client.heartbeat(await this.#target.coordinator(), ref);
        if (this.#isCurrent(ref)) this.#events.alive(sentAt);
      } catch (error) {
        next = this.#failed(error, ref, sentAt);
      }
    }
    this.#schedule(next);
  }

  #failed(error: unknown, ref: GroupMemberRef, sentAt: number): number {
    const id = error instanceof GroupRequestError ? error.id : 'UNKNOWN';
    const now = this.#target.current();
    if (!this.#running || now?.memberId !== ref.memberId) return this.#intervalMs;
    const joining = this.#target.joining();
    if (id === 'REBALANCE_IN_PROGRESS') {
      this.#events.alive(sentAt); // the coordinator still knows this member
      if (!joining && this.#isCurrent(ref)) this.#events.rebalance();
    } else if (id === 'UNKNOWN_MEMBER_ID' || (LOST.has(id) && !joining && this.#isCurrent(ref))) {
      this.#events.lost(id);
    } else if (COORDINATOR_MOVED.has(id)) {
      this.#events.coordinatorMoved();
      return this.#retryMs;
    } else if (!joining) {
      this.#log.warn({ err: error }, `heartbeat failed (${id})`);
    }
    return this.#intervalMs;
  }

  #isCurrent(ref: GroupMemberRef): boolean {
    const now = this.#target.current();
    return now?.memberId === ref.memberId && now.generationId === ref.generationId;
  }
}
