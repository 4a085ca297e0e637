// The leader's side of a round: decoded member metadata in, serialized assignments out, with the
// pure assignor in between and its snapshot kept from round to round (Java: the assignor half of
// IncrementalCooperativeAssignor.performAssignment). Plug `assign` into WorkerGroupMember.
import type { Logger } from 'pino';
import { assignWork, type AssignorState } from './assignor.ts';
import {
  ASSIGNMENT_CONFIG_MISMATCH,
  ASSIGNMENT_NO_ERROR,
  encodeAssignment,
  type ConnectAssignment,
} from './connect-protocol.ts';
import type { AssignContext, GroupMemberInfo } from './group-member.ts';

export interface ConfigView {
  /** Offset of the config log this view reflects. */
  offset: bigint;
  /** Connectors and their committed task counts. */
  connectors: ReadonlyMap<string, number>;
}

export interface LeaderAssignmentOptions {
  scheduledRebalanceMaxDelayMs: number;
  /** A fresh view of the config log (the leader may have to catch up to what members report). */
  config: () => ConfigView | Promise<ConfigView>;
  /** Workers known to be gone (member ids or URLs): their work moves at once. */
  goneWorkers?: () => ReadonlySet<string>;
  now?: () => number;
  log?: Logger;
}

/**
 * A URL where a member was taken for a restarted worker's previous process is not taken so again for
 * this long: a second time means two live workers advertise it (a misconfiguration), and replacing
 * them in turn would never end.
 */
export const REPLACED_URL_MEMORY_MS = 10 * 60_000;

export class LeaderAssignment {
  readonly #o: LeaderAssignmentOptions;
  #state: AssignorState | undefined;
  #stateGeneration = -1;
  /** When a member with each URL was last replaced (restart in place). */
  readonly #replacedAt = new Map<string, number>();
  #toExpel: string[] = [];

  constructor(options: LeaderAssignmentOptions) {
    this.#o = options;
  }

  /**
   * Members the last round took for dead previous processes of restarted workers, to remove from the
   * group once the round is complete (each returned once).
   */
  takeReplaced(): string[] {
    const ids = this.#toExpel;
    this.#toExpel = [];
    return ids;
  }

  /** Who runs what after the last round this worker led (for forwarding requests to owners). */
  get snapshot(): AssignorState | undefined {
    return this.#state;
  }

  assign = async (members: GroupMemberInfo[], context: AssignContext): Promise<Map<string, Buffer>> => {
    const leader = members.find((m) => m.memberId === context.leaderId);
    const leaderUrl = leader?.state.url ?? '';
    const maxOffset = members.reduce(
      (max, m) => (m.state.configOffset > max ? m.state.configOffset : max),
      -1n,
    );
    const config = await this.#o.config();
    const base = {
      version: context.protocolVersion,
      leader: context.leaderId,
      leaderUrl,
      revokedConnectors: [],
      revokedTasks: [],
    };
    const out = new Map<string, Buffer>();
    if (config.offset < maxOffset) {
      // Behind a member: everyone reads to the end of the config log and rejoins.
      for (const m of members) {
        const failed: ConnectAssignment = {
          ...base,
          error: ASSIGNMENT_CONFIG_MISMATCH,
          configOffset: maxOffset,
          connectors: [],
          tasks: [],
          delay: 0,
        };
        out.set(m.memberId, encodeAssignment(failed));
      }
      return out;
    }
    // A snapshot is only trusted if the round that produced it completed (as Java checks).
    const previous = this.#stateGeneration === context.lastCompletedGeneration ? this.#state : undefined;
    const now = this.#o.now?.() ?? Date.now();
    for (const [url, at] of this.#replacedAt)
      if (now - at >= REPLACED_URL_MEMORY_MS) this.#replacedAt.delete(url);
    const result = assignWork({
      members: members.map((m) => ({
        id: m.memberId,
        url: m.state.url,
        allocation: m.state.allocation ?? { connectors: [], tasks: [] },
      })),
      previous,
      configured: config.connectors,
      scheduledRebalanceMaxDelayMs: this.#o.scheduledRebalanceMaxDelayMs,
      now,
      goneWorkers: this.#o.goneWorkers?.() ?? new Set(),
      sharedUrls: new Set(this.#replacedAt.keys()),
      leader: context.leaderId,
    });
    this.#state = result.state;
    this.#stateGeneration = context.generation;
    this.#toExpel = result.replaced.map((r) => r.id);
    for (const r of result.replaced) {
      this.#replacedAt.set(r.url, now);
      this.#o.log?.warn(
        `member ${r.id} shares its URL ${r.url} with a member new to the group: taken for that worker's previous process (restarted in place); its work moves to the new one now`,
      );
    }
    this.#warnSharedUrls(members, result.replaced.length);
    for (const [memberId, a] of result.assignments) {
      const assignment: ConnectAssignment = {
        ...base,
        error: ASSIGNMENT_NO_ERROR,
        configOffset: config.offset,
        connectors: a.assigned.connectors,
        tasks: a.assigned.tasks,
        revokedConnectors: a.revoked.connectors,
        revokedTasks: a.revoked.tasks,
        delay: a.delay,
      };
      out.set(memberId, encodeAssignment(assignment));
    }
    return out;
  };

  /** Two members with one URL left in the group: two live workers advertise it. */
  #warnSharedUrls(members: GroupMemberInfo[], replacedNow: number): void {
    if (replacedNow > 0) return;
    const byUrl = new Map<string, number>();
    for (const m of members) byUrl.set(m.state.url, (byUrl.get(m.state.url) ?? 0) + 1);
    for (const [url, n] of byUrl)
      if (n > 1)
        this.#o.log?.error(
          `${n} members of the group advertise the URL ${url}: each worker needs its own rest.advertised.host.name and port (requests forwarded to ${url} reach only one of them)`,
        );
  }
}
