// Incremental cooperative assignment of connectors and tasks to workers, as a pure function: the
// leader's view (members and what each runs, the previous round's snapshot, the configured work,
// the clock) in; each member's newly assigned and revoked work, the delay, and the next snapshot out.
//
// Rules (Apache Kafka Connect's IncrementalCooperativeAssignor, KIP-415, with Weir's differences):
//  - Work that stays put is never revoked; nothing is stopped to be started again elsewhere.
//  - Revoke first, assign later: in a round that revokes anything, nothing is assigned; the members
//    that stop work rejoin at once and the follow-up round places it (and any other new work).
//  - Deleted connectors/tasks are revoked. Work running on several members is revoked from all but
//    its previous owner (from all of them when the leader does not know the owner, as Java does).
//  - Lost work (its owner vanished without being declared gone) stays unassigned for up to
//    `scheduledRebalanceMaxDelayMs`, with the remaining delay reported to members; it goes back to
//    its owner as soon as a member with the same URL rejoins, or to the others when the delay ends.
//    Work of a worker in `goneWorkers` (graceful leave, or declared gone by the operator) is
//    reassigned at once. Work assigned last round that its (still present) member does not report
//    is given back to that member at once.
//  - Restarted in place (Weir): a member of the previous round that shares its URL with a member new
//    to the group is that worker's previous process, dead (two live workers cannot share host:port):
//    it is `replaced` — its work goes to the new member now, everything it reports is revoked from
//    it without holding back the round, and the leader removes it from the group. Not for URLs in
//    `sharedUrls` (where two live workers seem to share a URL: Java's behaviour there).
//  - Balance: connectors and tasks are each spread so counts differ by at most one, revoking from
//    overloaded members only as many as needed, and never while lost work is held back.
//  - A new leader has no snapshot: it starts from what members report, and unplaced work is new.
import { taskKey, type TaskId } from './connect-protocol.ts';

export interface Work {
  connectors: string[];
  tasks: TaskId[];
}

export interface AssignorMember {
  id: string;
  url: string;
  /** What the member runs now (its reported allocation). */
  allocation: Work;
}

/** The leader's snapshot after a round; pass it back as `previous` in the next round. */
export interface AssignorState {
  owners: { id: string; url: string; work: Work }[];
  lost: { memberId: string; url: string; work: Work; deadline: number }[];
}

export interface AssignorInput {
  members: readonly AssignorMember[];
  /** Snapshot from the previous round; absent for a new leader (or after a failed round). */
  previous?: AssignorState | undefined;
  /** Configured connectors and their task counts (from the config snapshot). */
  configured: ReadonlyMap<string, number>;
  scheduledRebalanceMaxDelayMs: number;
  now: number;
  /** Workers known to be gone (member ids or worker URLs): their work is reassigned at once. */
  goneWorkers?: ReadonlySet<string>;
  /** URLs never taken for a restart in place (two live workers seem to advertise them). */
  sharedUrls?: ReadonlySet<string>;
  /** The leader's member id: alive, since it is computing this, so never replaced. */
  leader?: string;
}

export interface MemberAssignment {
  assigned: Work;
  revoked: Work;
  /** Milliseconds until held-back lost work is due (members rejoin then), 0 = none. */
  delay: number;
}

export interface AssignorResult {
  assignments: Map<string, MemberAssignment>;
  state: AssignorState;
  /** Members taken for the previous process of a worker restarted in place: remove them from the group. */
  replaced: { id: string; url: string }[];
}

type Key = string;

const connectorKey = (name: string): Key => `c\u0000${name}`;
const taskItemKey = (t: TaskId): Key => `t\u0000${t.connector}\u0000${t.task}`;
const isTaskKey = (k: Key): boolean => k.startsWith('t\u0000');
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every work item by key, to turn keys back into connectors and tasks. */
class Items {
  readonly #tasks = new Map<Key, TaskId>();

  connector(name: string): Key {
    return connectorKey(name);
  }

  task(t: TaskId): Key {
    const k = taskItemKey(t);
    if (!this.#tasks.has(k)) this.#tasks.set(k, { connector: t.connector, task: t.task });
    return k;
  }

  keys(work: Work): Key[] {
    return [...work.connectors.map((c) => this.connector(c)), ...work.tasks.map((t) => this.task(t))];
  }

  work(keys: Iterable<Key>): Work {
    const out: Work = { connectors: [], tasks: [] };
    for (const k of keys) {
      const task = this.#tasks.get(k);
      if (task) out.tasks.push(task);
      else out.connectors.push(k.slice(2));
    }
    out.connectors.sort(cmp);
    out.tasks.sort((a, b) => cmp(a.connector, b.connector) || a.task - b.task);
    return out;
  }

  connectorOf(k: Key): string {
    return this.#tasks.get(k)?.connector ?? k.slice(2);
  }

  taskIndex(k: Key): number {
    return this.#tasks.get(k)?.task ?? -1;
  }
}

function addTo(map: Map<string, Set<Key>>, id: string, key: Key): void {
  let set = map.get(id);
  if (!set) map.set(id, (set = new Set()));
  set.add(key);
}

/** Computes one round of incremental cooperative assignment. Pure: same input, same output. */
export function assignWork(input: AssignorInput): AssignorResult {
  const { now, previous } = input;
  const maxDelay = Math.max(0, input.scheduledRebalanceMaxDelayMs);
  const gone = input.goneWorkers ?? new Set<string>();
  const isGone = (id: string, url: string): boolean => gone.has(id) || gone.has(url);
  const items = new Items();
  const replaced = replacedMembers(input);
  const replacedIds = new Set(replaced.map((m) => m.id));
  const members = input.members.filter((m) => !replacedIds.has(m.id)).sort((a, b) => cmp(a.id, b.id));
  const memberIds = new Set(members.map((m) => m.id));
  const memberByUrl = new Map<string, string>();
  for (const m of members) if (!memberByUrl.has(m.url)) memberByUrl.set(m.url, m.id);

  // Configured work, in a stable order: connectors by name, then tasks by connector and index.
  const configured: Key[] = [];
  const configuredTasks: Key[] = [];
  for (const connector of [...input.configured.keys()].sort(cmp)) {
    configured.push(items.connector(connector));
    const count = input.configured.get(connector) ?? 0;
    for (let task = 0; task < count; task++) configuredTasks.push(items.task({ connector, task }));
  }
  configured.push(...configuredTasks);
  const isConfigured = new Set(configured);

  // What runs where now, and who held what after the previous round.
  const holders = new Map<Key, string[]>();
  const next = new Map<string, Set<Key>>();
  for (const m of members) {
    next.set(m.id, new Set());
    for (const k of items.keys(m.allocation)) {
      const list = holders.get(k) ?? [];
      if (!list.includes(m.id)) list.push(m.id);
      holders.set(k, list);
      next.get(m.id)?.add(k);
    }
  }
  const previousOwner = new Map<Key, string>();
  for (const owner of previous?.owners ?? []) {
    for (const k of items.keys(owner.work)) previousOwner.set(k, owner.id);
  }

  // Revocations: deleted work, and duplicates.
  const revoke = new Map<string, Set<Key>>();
  for (const [k, ids] of holders) {
    if (!isConfigured.has(k)) {
      for (const id of ids) addTo(revoke, id, k);
    } else if (ids.length > 1) {
      const owner = previousOwner.get(k);
      const keeper = owner !== undefined && ids.includes(owner) ? owner : undefined;
      for (const id of ids) if (id !== keeper) addTo(revoke, id, k);
    }
  }
  for (const [id, keys] of revoke) for (const k of keys) next.get(id)?.delete(k);

  // Lost work: owned after the previous round, configured, and run by nobody now.
  const giveBack = new Map<string, Set<Key>>();
  const reassign = new Set<Key>();
  const pending = new Map<string, { memberId: string; url: string; keys: Set<Key>; deadline: number }>();
  const handled = new Set<Key>();
  const lostFrom = (memberId: string, url: string, keys: Key[], deadline: number): void => {
    for (const k of keys) {
      if (!isConfigured.has(k) || holders.has(k) || handled.has(k)) continue;
      handled.add(k);
      const returned = memberIds.has(memberId) ? memberId : memberByUrl.get(url);
      if (returned !== undefined) addTo(giveBack, returned, k);
      else if (isGone(memberId, url) || maxDelay === 0 || now >= deadline) reassign.add(k);
      else {
        const entry = pending.get(url) ?? { memberId, url, keys: new Set<Key>(), deadline };
        entry.deadline = Math.min(entry.deadline, deadline, now + maxDelay);
        entry.keys.add(k);
        pending.set(url, entry);
      }
    }
  };
  for (const lost of previous?.lost ?? [])
    lostFrom(lost.memberId, lost.url, items.keys(lost.work), lost.deadline);
  for (const owner of previous?.owners ?? [])
    lostFrom(owner.id, owner.url, items.keys(owner.work), now + maxDelay);

  // Balance, unless lost work is being held back (its owner may return and take it back).
  if (pending.size === 0 && members.length > 0) {
    const connectorsTotal = input.configured.size;
    const tasksTotal = configuredTasks.length;
    for (const [total, isKind] of [
      [connectorsTotal, (k: Key) => !isTaskKey(k)],
      [tasksTotal, isTaskKey],
    ] as const) {
      const loads = members.map((m) => ({ id: m.id, keys: [...(next.get(m.id) ?? [])].filter(isKind) }));
      for (const [id, keys] of balanceRevocations(loads, total, items)) {
        for (const k of keys) {
          addTo(revoke, id, k);
          next.get(id)?.delete(k);
        }
      }
    }
  }

  const assigned = new Map<string, Set<Key>>();
  if (revoke.size === 0) {
    for (const [id, keys] of giveBack) for (const k of keys) place(id, k);
    const unplaced = configured.filter((k) => reassign.has(k) || (!holders.has(k) && !handled.has(k)));
    for (const k of unplaced) {
      const target = leastLoaded(members, next, k, items);
      if (target !== undefined) place(target, k);
    }
  }
  function place(id: string, k: Key): void {
    next.get(id)?.add(k);
    addTo(assigned, id, k);
  }

  const lost = [...pending.values()]
    .sort((a, b) => cmp(a.url, b.url))
    .map((p) => ({ memberId: p.memberId, url: p.url, work: items.work(p.keys), deadline: p.deadline }));
  const delay = lost.length === 0 ? 0 : Math.max(1, Math.min(...lost.map((l) => l.deadline)) - now);

  const assignments = new Map<string, MemberAssignment>();
  for (const m of members) {
    assignments.set(m.id, {
      assigned: items.work(assigned.get(m.id) ?? []),
      revoked: items.work(revoke.get(m.id) ?? []),
      delay,
    });
  }
  // Were it alive after all, a replaced member stops everything it runs.
  for (const m of replaced)
    assignments.set(m.id, { assigned: items.work([]), revoked: items.work(items.keys(m.allocation)), delay });
  const owners = members.map((m) => ({ id: m.id, url: m.url, work: items.work(next.get(m.id) ?? []) }));
  return {
    assignments,
    state: { owners, lost },
    replaced: replaced.map((m) => ({ id: m.id, url: m.url })).sort((a, b) => cmp(a.id, b.id)),
  };
}

/**
 * Members of the previous round whose URL a member new to the group has too: the previous process
 * of a worker restarted in place. Without a snapshot (a new leader) nobody is new, so nobody is.
 */
function replacedMembers(input: AssignorInput): AssignorMember[] {
  const known = new Set((input.previous?.owners ?? []).map((o) => o.id));
  if (known.size === 0) return [];
  const newUrls = new Set(input.members.filter((m) => !known.has(m.id)).map((m) => m.url));
  return input.members.filter(
    (m) =>
      known.has(m.id) &&
      newUrls.has(m.url) &&
      m.id !== input.leader &&
      !(input.sharedUrls?.has(m.url) ?? false),
  );
}

/** The member with the fewest items of this kind (then fewest tasks of the same connector, then id). */
function leastLoaded(
  members: readonly AssignorMember[],
  next: Map<string, Set<Key>>,
  k: Key,
  items: Items,
): string | undefined {
  const task = isTaskKey(k);
  const connector = items.connectorOf(k);
  let best: { id: string; load: number; same: number } | undefined;
  for (const m of members) {
    const keys = [...(next.get(m.id) ?? [])].filter((x) => isTaskKey(x) === task);
    const load = keys.length;
    const same = task ? keys.filter((x) => items.connectorOf(x) === connector).length : 0;
    if (!best || load < best.load || (load === best.load && same < best.same))
      best = { id: m.id, load, same };
  }
  return best?.id;
}

/**
 * Which items to take from overloaded members so that, once the freed work is placed, counts differ
 * by at most one. Members over the floor keep one extra while extras remain, the most loaded first;
 * from a member, the tasks of its most concentrated connector (highest index first) go first.
 */
function balanceRevocations(
  loads: { id: string; keys: Key[] }[],
  total: number,
  items: Items,
): Map<string, Key[]> {
  const result = new Map<string, Key[]>();
  if (loads.length === 0 || total === 0) return result;
  const min = Math.floor(total / loads.length);
  let extras = total % loads.length;
  const sorted = [...loads].sort((a, b) => b.keys.length - a.keys.length || cmp(a.id, b.id));
  for (const { id, keys } of sorted) {
    if (keys.length <= min) continue;
    const cap = extras > 0 ? min + 1 : min;
    if (extras > 0) extras--;
    if (keys.length <= cap) continue;
    const perConnector = new Map<string, number>();
    for (const k of keys)
      perConnector.set(items.connectorOf(k), (perConnector.get(items.connectorOf(k)) ?? 0) + 1);
    const order = [...keys].sort(
      (a, b) =>
        (perConnector.get(items.connectorOf(b)) ?? 0) - (perConnector.get(items.connectorOf(a)) ?? 0) ||
        cmp(items.connectorOf(b), items.connectorOf(a)) ||
        items.taskIndex(b) - items.taskIndex(a),
    );
    result.set(id, order.slice(0, keys.length - cap));
  }
  return result;
}

/** A member's whole allocation after applying one round (what it runs next). */
export function applyAssignment(
  current: Work,
  assignment: Pick<MemberAssignment, 'assigned' | 'revoked'>,
): Work {
  const revokedConnectors = new Set(assignment.revoked.connectors);
  const revokedTasks = new Set(assignment.revoked.tasks.map(taskKey));
  const connectors = current.connectors.filter((c) => !revokedConnectors.has(c));
  const tasks = current.tasks.filter((t) => !revokedTasks.has(taskKey(t)));
  for (const c of assignment.assigned.connectors) if (!connectors.includes(c)) connectors.push(c);
  const have = new Set(tasks.map(taskKey));
  for (const t of assignment.assigned.tasks) if (!have.has(taskKey(t))) tasks.push(t);
  return { connectors, tasks };
}
