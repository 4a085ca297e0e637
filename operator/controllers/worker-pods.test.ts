import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { goneReason } from './worker-pods.ts';

const pod = (extra: { deletionTimestamp?: string; phase?: string; reason?: string } = {}): V1Pod => ({
  metadata: {
    name: 'w',
    ...(extra.deletionTimestamp ? { deletionTimestamp: new Date(extra.deletionTimestamp) } : {}),
  },
  status: {
    phase: extra.phase ?? 'Running',
    podIP: '10.0.0.1',
    ...(extra.reason ? { reason: extra.reason } : {}),
  },
});

describe('goneReason', () => {
  it('says why a worker pod is gone, and nothing while it runs', () => {
    expect(goneReason(pod(), false)).toBeUndefined();
    expect(goneReason(pod(), true)).toBe('deleted');
    expect(goneReason(pod({ deletionTimestamp: '2026-01-01T00:00:00Z' }), false)).toBe('terminating');
    expect(goneReason(pod({ phase: 'Failed', reason: 'Evicted' }), false)).toBe('evicted');
    expect(goneReason(pod({ phase: 'Failed' }), false)).toBe('failed');
    expect(goneReason(pod({ phase: 'Succeeded' }), false)).toBeUndefined();
  });
});
