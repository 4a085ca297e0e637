import { describe, expect, it } from 'vitest';
import { decodeAssignment, type ConnectAssignment } from './connect-protocol.ts';
import type { AssignContext, GroupMemberInfo } from './group-member.ts';
import { LeaderAssignment, REPLACED_URL_MEMORY_MS } from './leader-assignment.ts';

const member = (
  id: string,
  configOffset = 5n,
  allocation: ConnectAssignment | null = null,
  host = id,
): GroupMemberInfo => ({
  memberId: id,
  state: { version: 2, url: `http://${host}:8083/`, configOffset, allocation },
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

  it('hands over the previous process of a worker restarted in place once, to be expelled; a URL two live workers share only once', async () => {
    let now = 0;
    const leader = new LeaderAssignment({
      scheduledRebalanceMaxDelayMs: 60_000,
      config: () => ({ offset: 0n, connectors: new Map([['c', 2]]) }),
      now: () => now,
    });
    let generation = 1;
    const round = async (members: GroupMemberInfo[]) => {
      const out = decodeAll(
        await leader.assign(members, context({ generation, lastCompletedGeneration: generation - 1 })),
      );
      generation++;
      return out;
    };
    const first = await round([member('a', 0n), member('b', 0n)]);
    const bWork = first.get('b') ?? null;
    // b's process died with its JoinGroup pending (so it is in the round) and came back as b2.
    const second = await round([
      member('a', 0n, first.get('a') ?? null),
      member('b', 0n, bWork),
      member('b2', 0n, null, 'b'),
    ]);
    expect(leader.takeReplaced()).toEqual(['b']);
    expect(leader.takeReplaced()).toEqual([]);
    expect(second.get('b2')?.tasks).toEqual(bWork?.tasks);
    expect(second.get('b')?.revokedTasks).toEqual(bWork?.tasks);
    // b was alive after all (two workers advertise one URL): back as b3, it is not taken for dead again.
    now = 1_000;
    const third = await round([
      member('a', 0n, first.get('a') ?? null),
      member('b2', 0n, second.get('b2') ?? null, 'b'),
      member('b3', 0n, null, 'b'),
    ]);
    expect(leader.takeReplaced()).toEqual([]);
    expect(third.get('b2')?.revokedTasks).toEqual([]);
    // Long after, the URL is taken for a restart in place again.
    now = 1_000 + REPLACED_URL_MEMORY_MS;
    await round([
      member('a', 0n, first.get('a') ?? null),
      member('b2', 0n, second.get('b2') ?? null, 'b'),
      member('b4', 0n, null, 'b'),
    ]);
    expect(leader.takeReplaced()).toEqual(['b2']);
  });
});
