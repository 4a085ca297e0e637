import { describe, expect, it } from 'vitest';
import { WeirError } from '../errors.ts';
import { javaInstant, rebalanceStage, whenSettled, type SettlingMember } from './settled-group.ts';

function member(settleAfterMs: number | null, since = Date.UTC(2026, 11, 8, 2, 30, 0, 120)): SettlingMember {
  return {
    settled: settleAfterMs === 0,
    unsettledSince: settleAfterMs === 0 ? undefined : since,
    whenSettled: () =>
      settleAfterMs === null
        ? new Promise(() => {})
        : new Promise((resolve) => setTimeout(resolve, settleAfterMs)),
  };
}

describe('whenSettled', () => {
  it('answers at once when settled, and once settled otherwise', async () => {
    await whenSettled(member(0), 1_000);
    await whenSettled(member(20), 1_000);
  });

  it("times out with Java's answer naming the stage the worker is in", async () => {
    const error = await whenSettled(member(null), 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeirError);
    expect((error as WeirError).httpStatus).toBe(500);
    expect((error as WeirError).message).toBe(
      'Request timed out. The worker is currently ensuring membership in the cluster, which began at 2026-12-08T02:30:00.120Z.',
    );
  });

  it("prints instants as Java's Instant.toString does", () => {
    expect(javaInstant(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05Z');
    expect(rebalanceStage(member(0))).toBeUndefined();
  });
});
