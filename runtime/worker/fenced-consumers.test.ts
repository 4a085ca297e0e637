import { describe, expect, it } from 'vitest';
import { isFencedInstance } from './fenced-consumers.ts';

describe('isFencedInstance', () => {
  it("finds the broker's FENCED_INSTANCE_ID in the errors @platformatic/kafka wraps it in", () => {
    expect(isFencedInstance({ apiId: 'FENCED_INSTANCE_ID' })).toBe(true);
    expect(
      isFencedInstance({ errors: [{ apiId: 'NONE' }, { errors: [{ apiId: 'FENCED_INSTANCE_ID' }] }] }),
    ).toBe(true);
    expect(isFencedInstance(new Error('x', { cause: { apiId: 'FENCED_INSTANCE_ID' } }))).toBe(true);
    expect(isFencedInstance({ apiId: 'UNKNOWN_MEMBER_ID' })).toBe(false);
    expect(isFencedInstance(null)).toBe(false);
  });
});
