import { describe, expect, it } from 'vitest';
import { decodeAssignment, type ConnectAssignment } from './connect-protocol.ts';
import type { AssignContext, GroupMemberInfo } from './group-member.ts';
import { LeaderAssignment } from './leader-assignment.ts';

const member = (
  id: string,
  configOffset = 5n,
  allocation: ConnectAssignment | null = null,
): GroupMemberInfo => ({
  memberId: id,
  state: { version: 2, url: `http://${id}:8083/`, configOffset, allocation },
});

const context = (overrides: Partial<AssignContext> = {}): AssignContext => ({
  leaderId: 'a',
  protocol: 'sessioned',
  protocolVersion: 2,
  generation: 1,
  lastCompletedGeneration: -1,
  ...overrides,
});

function decodeAll(out: Map<string, Buffer>): Map<string, ConnectAssignment> {
  return new Map([...out].map(([id, bytes]) => [id, decodeAssignment(bytes)]));
}

describe('LeaderAssignment', () => {
  it('assigns from the config view and writes leader, leader url, offset and protocol version', async () => {
    const leader = new LeaderAssignment({
      scheduledRebalanceMaxDelayMs: 1000,
      config: () => ({ offset: 5n, connectors: new Map([['c', 2]]) }),
    });
    const out = decodeAll(await leader.assign([member('a'), member('b')], context()));
    const a = out.get('a');
    expect(a).toMatchObject({
      version: 2,
      error: 0,
      leader: 'a',
      leaderUrl: 'http://a:8083/',
      configOffset: 5n,
    });
    const tasks = [...out.values()].flatMap((x) => x.tasks);
    expect(tasks).toHaveLength(2);
    expect([...out.values()].flatMap((x) => x.connectors)).toEqual(['c']);
    expect(leader.snapshot?.owners).toHaveLength(2);
  });

  it('uses the compatible (v1) header when the group chose it', async () => {
    const leader = new LeaderAssignment({
      scheduledRebalanceMaxDelayMs: 0,
      config: () => ({ offset: 0n, connectors: new Map() }),
    });
    const out = await leader.assign(
      [member('a', 0n)],
      context({ protocol: 'compatible', protocolVersion: 1 }),
    );
    expect(out.get('a')?.readInt16BE(0)).toBe(1);
  });

  it('answers CONFIG_MISMATCH with the newest offset when the leader is behind a member', async () => {
    const leader = new LeaderAssignment({
      scheduledRebalanceMaxDelayMs: 0,
      config: () => ({ offset: 3n, connectors: new Map([['c', 1]]) }),
    });
    const out = decodeAll(await leader.assign([member('a', 3n), member('b', 9n)], context()));
    for (const a of out.values()) {
      expect(a.error).toBe(1);
      expect(a.configOffset).toBe(9n);
      expect(a.connectors).toEqual([]);
    }
  });

  it('keeps lost work back across rounds, and forgets its snapshot if the last round did not complete', async () => {
    let now = 0;
    const leader = new LeaderAssignment({
      scheduledRebalanceMaxDelayMs: 10_000,
      config: () => ({ offset: 0n, connectors: new Map([['c', 2]]) }),
      now: () => now,
    });
    const first = decodeAll(await leader.assign([member('a', 0n), member('b', 0n)], context()));
    const bWork = first.get('b') ?? null;
    // b vanishes: its work is held back in generation 2 ...
    const allocationA = first.get('a') ?? null;
    now = 100;
    const second = decodeAll(
      await leader.assign(
        [member('a', 0n, allocationA)],
        context({ generation: 2, lastCompletedGeneration: 1 }),
      ),
    );
    expect(second.get('a')?.delay).toBe(10_000);
    expect(second.get('a')?.tasks).toEqual([]);
    // ... but a leader whose previous round never completed starts afresh, like a new leader
    const third = decodeAll(
      await leader.assign(
        [member('a', 0n, allocationA)],
        context({ generation: 4, lastCompletedGeneration: 3 }),
      ),
    );
    expect(third.get('a')?.delay).toBe(0);
    expect(third.get('a')?.tasks).toEqual(bWork?.tasks);
  });
});
