import { describe, expect, it } from 'vitest';
import { mayAcquire, nextRecord } from './leader-election.ts';

describe('mayAcquire', () => {
  const held = { holderIdentity: 'a', leaseDurationSeconds: 15 };
  it('takes a Lease nobody holds, or one it holds itself', () => {
    expect(mayAcquire(undefined, 'b', 0, 0)).toBe(true);
    expect(mayAcquire({ leaseDurationSeconds: 1 }, 'b', 0, 0)).toBe(true);
    expect(mayAcquire(held, 'a', 0, 0)).toBe(true);
  });
  it("waits a whole lease duration from when it first saw the holder's record unchanged, by its own clock", () => {
    expect(mayAcquire(held, 'b', 1000, 1000)).toBe(false);
    expect(mayAcquire(held, 'b', 1000, 15_999)).toBe(false);
    expect(mayAcquire(held, 'b', 1000, 16_000)).toBe(true);
  });
  it("uses the record's own duration", () => {
    expect(mayAcquire({ holderIdentity: 'a', leaseDurationSeconds: 1 }, 'b', 0, 1000)).toBe(true);
  });
});

describe('nextRecord', () => {
  const t0 = Date.UTC(2026, 0, 1);
  it('creates a first record', () => {
    expect(nextRecord(undefined, 'a', t0, 15_000)).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: '2026-01-01T00:00:00.000000Z',
      renewTime: '2026-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
    });
  });
  it('renews: keeps acquireTime and the transition count', () => {
    const first = nextRecord(undefined, 'a', t0, 15_000);
    const renewed = nextRecord(first, 'a', t0 + 2000, 15_000);
    expect(renewed.acquireTime).toBe(first.acquireTime);
    expect(renewed.renewTime).toBe('2026-01-01T00:00:02.000000Z');
    expect(renewed.leaseTransitions).toBe(0);
  });
  it('takes over: new acquireTime, one more transition', () => {
    const first = nextRecord(undefined, 'a', t0, 15_000);
    const taken = nextRecord(first, 'b', t0 + 20_000, 15_000);
    expect(taken.holderIdentity).toBe('b');
    expect(taken.acquireTime).toBe('2026-01-01T00:00:20.000000Z');
    expect(taken.leaseTransitions).toBe(1);
  });
});
