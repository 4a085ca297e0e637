import { describe, expect, it } from 'vitest';
import {
  applyAssignment,
  assignWork,
  type AssignorResult,
  type AssignorState,
  type Work,
} from './assignor.ts';

const MAX_DELAY = 300_000;
const url = (name: string): string => `http://${name}:8083/`;

/** A leader and its members: each round the members apply their assignment, as workers do. */
class Cluster {
  members = new Map<string, { url: string; work: Work }>();
  state: AssignorState | undefined;
  configured = new Map<string, number>();
  now = 1_000_000;
  maxDelay = MAX_DELAY;
  gone = new Set<string>();
  history: AssignorResult[] = [];

  constructor(configured: Record<string, number>, ...names: string[]) {
    for (const [c, n] of Object.entries(configured)) this.configured.set(c, n);
    for (const name of names) this.join(name);
  }

  join(name: string, id = name): void {
    this.members.set(id, { url: url(name), work: { connectors: [], tasks: [] } });
  }

  round(options: { sharedUrls?: Set<string>; leader?: string } = {}): AssignorResult {
    const result = assignWork({
      members: [...this.members].map(([id, m]) => ({ id, url: m.url, allocation: m.work })),
      previous: this.state,
      configured: this.configured,
      scheduledRebalanceMaxDelayMs: this.maxDelay,
      now: this.now,
      goneWorkers: this.gone,
      ...options,
    });
    for (const [id, a] of result.assignments) {
      const m = this.members.get(id);
      if (m) m.work = applyAssignment(m.work, a);
    }
    this.state = result.state;
    this.history.push(result);
    return result;
  }

  /** Rounds until one assigns and revokes nothing (members rejoin after revoking). */
  settle(): AssignorResult[] {
    const rounds: AssignorResult[] = [];
    for (let i = 0; i < 10; i++) {
      const r = this.round();
      rounds.push(r);
      if ([...r.assignments.values()].every((a) => size(a.assigned) === 0 && size(a.revoked) === 0))
        return rounds;
    }
    throw new Error('did not settle');
  }

  tasks(id: string): string[] {
    return (this.members.get(id)?.work.tasks ?? []).map((t) => `${t.connector}-${t.task}`).sort();
  }

  counts(kind: 'tasks' | 'connectors'): number[] {
    return [...this.members.values()].map((m) => m.work[kind].length);
  }

  /** Every configured item runs exactly once across members. */
  expectComplete(): void {
    const running = [...this.members.values()].flatMap((m) => [
      ...m.work.connectors,
      ...m.work.tasks.map((t) => `${t.connector}-${t.task}`),
    ]);
    const expected = [...this.configured].flatMap(([c, n]) => [
      c,
      ...Array.from({ length: n }, (_, i) => `${c}-${i}`),
    ]);
    expect(running.sort()).toEqual(expected.sort());
  }
}

const size = (w: Work): number => w.connectors.length + w.tasks.length;
const revokedAll = (rounds: AssignorResult[]): string[] =>
  rounds.flatMap((r) =>
    [...r.assignments.values()].flatMap((a) => a.revoked.tasks.map((t) => `${t.connector}-${t.task}`)),
  );
const spread = (counts: number[]): number => Math.max(...counts) - Math.min(...counts);

describe('assignWork', () => {
  it('spreads 6 tasks over 3 workers 2-2-2 in one round', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    const rounds = c.settle();
    expect(rounds).toHaveLength(2); // the second round confirms nothing moves
    expect(c.counts('tasks')).toEqual([2, 2, 2]);
    expect(c.counts('connectors').sort()).toEqual([0, 0, 1]);
    // tasks of one connector are spread, not packed
    expect(c.tasks('w1')).toEqual(['sink-0', 'sink-3']);
    c.expectComplete();
  });

  it('adding a worker moves only the minimum, revoking first and assigning in the next round', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2');
    c.settle();
    expect(c.counts('tasks')).toEqual([3, 3]);
    const before = { w1: c.tasks('w1'), w2: c.tasks('w2') };
    c.join('w3');
    const rounds = c.settle();
    const [first, second] = rounds;
    expect(first?.assignments.get('w1')?.revoked.tasks).toHaveLength(1);
    expect(first?.assignments.get('w2')?.revoked.tasks).toHaveLength(1);
    expect([...(first?.assignments.values() ?? [])].every((a) => size(a.assigned) === 0)).toBe(true);
    expect(second?.assignments.get('w3')?.assigned.tasks).toHaveLength(2);
    expect(c.counts('tasks')).toEqual([2, 2, 2]);
    expect(revokedAll(rounds)).toHaveLength(2);
    // what stayed was never revoked
    for (const t of c.tasks('w1')) expect(before.w1).toContain(t);
    for (const t of c.tasks('w2')) expect(before.w2).toContain(t);
    c.expectComplete();
  });

  it('adding a fourth worker to 2-2-2 moves one task only', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.settle();
    c.join('w4');
    const rounds = c.settle();
    expect(revokedAll(rounds)).toHaveLength(1);
    expect(c.counts('tasks').sort()).toEqual([1, 1, 2, 2]);
    c.expectComplete();
  });

  it('balances connectors and tasks separately', () => {
    const c = new Cluster({ a: 2, b: 2, c: 2, d: 0 }, 'w1');
    c.settle();
    c.join('w2');
    c.settle();
    expect(c.counts('connectors')).toEqual([2, 2]);
    expect(c.counts('tasks')).toEqual([3, 3]);
    c.expectComplete();
  });

  it('reassigns the work of a worker declared gone at once, without revoking anything', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.settle();
    const w3 = c.tasks('w3');
    c.members.delete('w3');
    c.gone.add(url('w3'));
    const r = c.round();
    expect(r.assignments.get('w1')?.delay).toBe(0);
    expect([...r.assignments.values()].every((a) => size(a.revoked) === 0)).toBe(true);
    const moved = [...r.assignments.values()].flatMap((a) =>
      a.assigned.tasks.map((t) => `${t.connector}-${t.task}`),
    );
    expect(moved.sort()).toEqual(w3);
    expect(c.counts('tasks')).toEqual([3, 3]);
    c.expectComplete();
  });

  it('matches a gone worker by member id as well as by url', () => {
    const c = new Cluster({ sink: 4 }, 'w1', 'w2');
    c.settle();
    c.members.delete('w2');
    c.gone.add('w2');
    c.round();
    expect(c.counts('tasks')).toEqual([4]);
  });

  it('holds back the work of a vanished worker for the delay, then reassigns it', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.settle();
    c.members.delete('w3');
    let r = c.round();
    expect(r.assignments.get('w1')?.delay).toBe(MAX_DELAY);
    expect(c.counts('tasks')).toEqual([2, 2]);
    c.now += 100_000;
    r = c.round();
    expect(r.assignments.get('w2')?.delay).toBe(MAX_DELAY - 100_000);
    expect(c.counts('tasks')).toEqual([2, 2]);
    c.now += MAX_DELAY - 100_000;
    r = c.round();
    expect(r.assignments.get('w1')?.delay).toBe(0);
    expect(c.counts('tasks')).toEqual([3, 3]);
    c.expectComplete();
  });

  it('gives a vanished worker its work back when it returns within the delay', () => {
    const c = new Cluster({ sink: 6, src: 1 }, 'w1', 'w2', 'w3');
    c.settle();
    const w3 = { tasks: c.tasks('w3'), connectors: c.members.get('w3')?.work.connectors };
    c.members.delete('w3');
    c.round();
    c.now += 5_000;
    c.join('w3', 'w3-rejoined'); // a new member id, the same worker url
    const r = c.round();
    expect(r.assignments.get('w3-rejoined')?.delay).toBe(0);
    expect(c.tasks('w3-rejoined')).toEqual(w3.tasks);
    expect(c.members.get('w3-rejoined')?.work.connectors).toEqual(w3.connectors);
    expect([...r.assignments.values()].every((a) => size(a.revoked) === 0)).toBe(true);
    c.expectComplete();
  });

  it('declaring a vanished worker gone during its delay reassigns its work at once', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.settle();
    c.members.delete('w3');
    c.round();
    c.gone.add(url('w3'));
    c.now += 1_000;
    const r = c.round();
    expect(r.assignments.get('w1')?.delay).toBe(0);
    expect(c.counts('tasks')).toEqual([3, 3]);
  });

  it('reassigns lost work at once when the delay is 0', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.maxDelay = 0;
    c.settle();
    c.members.delete('w3');
    c.round();
    expect(c.counts('tasks')).toEqual([3, 3]);
  });

  it('assigns new work while lost work is held back, but does not rebalance meanwhile', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.settle();
    c.members.delete('w3');
    c.round();
    c.configured.set('other', 2);
    c.join('w4');
    const r = c.round();
    expect([...r.assignments.values()].every((a) => size(a.revoked) === 0)).toBe(true);
    expect(c.tasks('w4')).toEqual(['other-0', 'other-1'].slice(0, c.tasks('w4').length));
    expect(c.counts('tasks').reduce((a, b) => a + b)).toBe(6);
    expect(r.assignments.get('w4')?.delay).toBeGreaterThan(0);
  });

  it('revokes a deleted connector and its tasks, then rebalances what is left', () => {
    const c = new Cluster({ a: 3, b: 3 }, 'w1', 'w2', 'w3');
    c.settle();
    c.configured.delete('b');
    const rounds = c.settle();
    const revoked = rounds[0]?.assignments;
    const revokedB = [...(revoked?.values() ?? [])].flatMap((a) => [
      ...a.revoked.connectors,
      ...a.revoked.tasks.map((t) => t.connector),
    ]);
    expect(revokedB.filter((x) => x === 'b')).toHaveLength(4);
    expect([...(revoked?.values() ?? [])].every((a) => size(a.assigned) === 0)).toBe(true);
    expect(spread(c.counts('tasks'))).toBeLessThanOrEqual(1);
    c.expectComplete();
  });

  it('assigns nothing in a round that revokes: new work waits for the follow-up round', () => {
    const c = new Cluster({ a: 2 }, 'w1', 'w2');
    c.settle();
    c.configured.delete('a');
    c.configured.set('c', 2);
    const first = c.round();
    expect([...first.assignments.values()].every((a) => size(a.assigned) === 0)).toBe(true);
    const second = c.round();
    expect([...second.assignments.values()].flatMap((a) => a.assigned.tasks)).toHaveLength(2);
    c.expectComplete();
  });

  it('follows tasks.max: fewer tasks are revoked, more tasks are spread', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.settle();
    c.configured.set('sink', 3);
    const down = c.settle();
    expect(revokedAll(down.slice(0, 1)).sort()).toEqual(['sink-3', 'sink-4', 'sink-5']);
    expect(c.counts('tasks')).toEqual([1, 1, 1]);
    c.configured.set('sink', 8);
    const up = c.settle();
    expect(revokedAll(up)).toEqual([]);
    expect(c.counts('tasks').sort()).toEqual([2, 3, 3]);
    c.expectComplete();
  });

  it('a new leader without a snapshot starts from what members report', () => {
    const c = new Cluster({ sink: 6, src: 1 }, 'w1', 'w2', 'w3');
    c.settle();
    // the leader w1 dies; w2 becomes leader with no previous state
    c.members.delete('w1');
    c.state = undefined;
    const kept = { w2: c.tasks('w2'), w3: c.tasks('w3') };
    const rounds = c.settle();
    expect(revokedAll(rounds)).toEqual([]);
    expect(rounds[0]?.assignments.get('w2')?.delay).toBe(0);
    for (const t of kept.w2) expect(c.tasks('w2')).toContain(t);
    for (const t of kept.w3) expect(c.tasks('w3')).toContain(t);
    expect(c.counts('tasks').sort()).toEqual([3, 4]);
    c.expectComplete();
  });

  it('revokes duplicated work from all but its previous owner', () => {
    const c = new Cluster({ sink: 2 }, 'w1', 'w2');
    c.settle();
    const stray = c.members.get('w1')?.work.tasks[0];
    c.members.get('w2')?.work.tasks.push(stray ?? { connector: '', task: 0 });
    const r = c.round();
    expect(r.assignments.get('w1')?.revoked.tasks).toEqual([]);
    expect(r.assignments.get('w2')?.revoked.tasks).toEqual([stray]);
    c.settle();
    c.expectComplete();
  });

  it('without a snapshot, revokes duplicated work from every holder and places it again', () => {
    const c = new Cluster({ sink: 1 }, 'w1', 'w2');
    c.members.get('w1')?.work.tasks.push({ connector: 'sink', task: 0 });
    c.members.get('w2')?.work.tasks.push({ connector: 'sink', task: 0 });
    const r = c.round();
    expect(r.assignments.get('w1')?.revoked.tasks).toHaveLength(1);
    expect(r.assignments.get('w2')?.revoked.tasks).toHaveLength(1);
    c.settle();
    c.expectComplete();
  });

  it('gives work back to a present member that did not receive its last assignment', () => {
    const c = new Cluster({ sink: 4 }, 'w1', 'w2');
    c.settle();
    const w2 = c.members.get('w2');
    const lostTasks = c.tasks('w2');
    if (w2) w2.work = { connectors: w2.work.connectors, tasks: [] }; // e.g. it missed the SyncGroup
    const r = c.round();
    expect(r.assignments.get('w2')?.delay).toBe(0);
    expect(c.tasks('w2')).toEqual(lostTasks);
  });

  it('a member that revoked everything after losing its membership gets its work back on rejoin', () => {
    const c = new Cluster({ sink: 4 }, 'w1', 'w2');
    c.settle();
    const before = c.tasks('w2');
    const old = c.members.get('w2');
    c.members.delete('w2');
    c.join('w2', 'w2-again');
    if (old) expect(c.members.get('w2-again')?.url).toBe(old.url);
    c.round();
    expect(c.tasks('w2-again')).toEqual(before);
  });

  it('a worker restarted in place while its dead process is still in the round gets its work back at once', () => {
    const c = new Cluster({ sink: 6, src: 1 }, 'w1', 'w2', 'w3');
    c.settle();
    const w3 = { tasks: c.tasks('w3'), connectors: c.members.get('w3')?.work.connectors };
    c.join('w3', 'w3-restarted'); // same URL, new member id; the old w3 is still a member (dead)
    const r = c.round();
    expect(r.replaced).toEqual([{ id: 'w3', url: url('w3') }]);
    // At once: no delay, nothing held back by the revocation sent to the dead member.
    expect(r.assignments.get('w3-restarted')?.delay).toBe(0);
    expect(c.tasks('w3-restarted')).toEqual(w3.tasks);
    expect(c.members.get('w3-restarted')?.work.connectors).toEqual(w3.connectors);
    // Were it alive, the old process stops everything; the others keep theirs untouched.
    expect(c.tasks('w3')).toEqual([]);
    for (const id of ['w1', 'w2']) {
      expect(size(r.assignments.get(id)!.revoked)).toBe(0);
      expect(size(r.assignments.get(id)!.assigned)).toBe(0);
    }
    expect(r.state.owners.map((o) => o.id)).toEqual(['w1', 'w2', 'w3-restarted']);
    c.members.delete('w3'); // expelled by the leader
    expect(c.settle()).toHaveLength(1);
    c.expectComplete();
  });

  it('a worker restarted in place after its dead process left the group gets its work back at once', () => {
    const c = new Cluster({ sink: 6 }, 'w1', 'w2', 'w3');
    c.settle();
    const w3 = c.tasks('w3');
    c.members.delete('w3'); // its session expired: the work is held back for the delay ...
    expect(c.round().assignments.get('w1')?.delay).toBe(MAX_DELAY);
    c.now += 2_000;
    c.join('w3', 'w3-restarted'); // ... until the same URL is back
    const r = c.round();
    expect(r.replaced).toEqual([]);
    expect(r.assignments.get('w1')?.delay).toBe(0);
    expect(c.tasks('w3-restarted')).toEqual(w3);
  });

  it('replaces no one when it cannot tell who is new, nor the leader, nor at a shared URL', () => {
    // A new leader has no snapshot: both look new.
    const fresh = new Cluster({ sink: 2 }, 'w1');
    fresh.join('w1', 'w1-again');
    expect(fresh.round().replaced).toEqual([]);
    // The leader computes the round, so it is alive: another worker advertises its URL.
    const c = new Cluster({ sink: 2 }, 'w1', 'w2');
    c.settle();
    c.join('w1', 'w1-twin');
    const r = c.round({ leader: 'w1' });
    expect(r.replaced).toEqual([]);
    expect(c.tasks('w1')).toHaveLength(1); // Java's behaviour: nothing moves for it
    // A URL where a member was replaced shortly before: two live workers share it.
    const d = new Cluster({ sink: 2 }, 'w1', 'w2');
    d.settle();
    d.join('w2', 'w2-twin');
    expect(d.round({ sharedUrls: new Set([url('w2')]) }).replaced).toEqual([]);
    expect(d.tasks('w2')).toHaveLength(1);
  });

  it('is pure: the same input gives the same output', () => {
    const input = {
      members: [
        { id: 'b', url: url('b'), allocation: { connectors: ['x'], tasks: [{ connector: 'x', task: 0 }] } },
        { id: 'a', url: url('a'), allocation: { connectors: [], tasks: [] } },
      ],
      configured: new Map([['x', 4]]),
      scheduledRebalanceMaxDelayMs: MAX_DELAY,
      now: 5,
    };
    const frozen = JSON.stringify(input, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
    const one = assignWork(input);
    const two = assignWork(input);
    expect(one).toEqual(two);
    expect(JSON.stringify(input, (_k, v: unknown) => (v instanceof Map ? [...v] : v))).toBe(frozen);
  });

  it('handles an empty group and an empty configuration', () => {
    expect(
      assignWork({ members: [], configured: new Map([['x', 2]]), scheduledRebalanceMaxDelayMs: 0, now: 0 })
        .assignments.size,
    ).toBe(0);
    const c = new Cluster({}, 'w1');
    expect(c.settle()).toHaveLength(1);
  });

  it('keeps counts within one for many connectors and workers joining one by one', () => {
    const c = new Cluster({ a: 7, b: 5, c: 3, d: 1, e: 0 }, 'w1');
    c.settle();
    for (const w of ['w2', 'w3', 'w4', 'w5']) {
      c.join(w);
      c.settle();
      expect(spread(c.counts('tasks'))).toBeLessThanOrEqual(1);
      expect(spread(c.counts('connectors'))).toBeLessThanOrEqual(1);
      c.expectComplete();
    }
  });
});
