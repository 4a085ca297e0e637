import { describe, expect, it } from 'vitest';
import type { V1ContainerState, V1Pod } from '@kubernetes/client-node';
import { goneProcess, goneReason } from './worker-pods.ts';

const pod = (
  extra: {
    deletionTimestamp?: string;
    phase?: string;
    reason?: string;
    state?: V1ContainerState;
    lastState?: V1ContainerState;
  } = {},
): V1Pod => ({
  metadata: {
    name: 'w',
    uid: 'uid-1',
    ...(extra.deletionTimestamp ? { deletionTimestamp: new Date(extra.deletionTimestamp) } : {}),
  },
  status: {
    phase: extra.phase ?? 'Running',
    podIP: '10.0.0.1',
    ...(extra.reason ? { reason: extra.reason } : {}),
    containerStatuses: [
      {
        name: 'connect',
        image: 'weir:0.1.0',
        imageID: '',
        ready: false,
        restartCount: extra.lastState ? 1 : 0,
        state: extra.state ?? { running: { startedAt: new Date('2026-01-01T00:00:00Z') } },
        ...(extra.lastState ? { lastState: extra.lastState } : {}),
      },
    ],
  },
});

const killed = {
  terminated: {
    exitCode: 137,
    reason: 'OOMKilled',
    containerID: 'containerd://abc',
    finishedAt: new Date('2026-01-01T00:01:00Z'),
  },
};

describe('goneReason', () => {
  it('says why a worker pod is gone, and nothing while it runs', () => {
    expect(goneReason(pod(), false)).toBeUndefined();
    expect(goneReason(pod(), true)).toBe('deleted');
    expect(goneReason(pod({ deletionTimestamp: '2026-01-01T00:00:00Z' }), false)).toBe('terminating');
    expect(goneReason(pod({ phase: 'Failed', reason: 'Evicted' }), false)).toBe('evicted');
    expect(goneReason(pod({ phase: 'Failed' }), false)).toBe('failed');
    expect(goneReason(pod({ phase: 'Succeeded' }), false)).toBeUndefined();
  });

  it('a worker container that ended in a pod that stays: gone until it runs again', () => {
    expect(goneReason(pod({ state: killed }), false)).toBe('container OOMKilled, exit code 137');
    const backOff = { waiting: { reason: 'CrashLoopBackOff' } };
    expect(goneReason(pod({ state: backOff, lastState: killed }), false)).toBe(
      'container OOMKilled, exit code 137',
    );
    // Restarted: the new process (same worker id) replaces its predecessor in the group itself.
    expect(goneReason(pod({ lastState: killed }), false)).toBeUndefined();
    // Waiting for a first start (pulling the image): nothing ran, nothing is gone.
    expect(goneReason(pod({ state: { waiting: { reason: 'ContainerCreating' } } }), false)).toBeUndefined();
  });
});

describe('goneProcess', () => {
  it('one report per pod, and per ended run of its container', () => {
    expect(goneProcess(pod())).toBe('uid-1');
    expect(goneProcess(pod({ deletionTimestamp: '2026-01-01T00:00:00Z', state: killed }))).toBe('uid-1');
    const ended = goneProcess(pod({ state: killed }));
    expect(ended).toBe('uid-1/containerd://abc');
    // The same run seen again while the kubelet backs off: the same process.
    expect(goneProcess(pod({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: killed }))).toBe(
      ended,
    );
    const noId = { terminated: { exitCode: 1, finishedAt: new Date('2026-01-01T00:02:00Z') } };
    expect(goneProcess(pod({ state: noId }))).toBe('uid-1/2026-01-01T00:02:00.000Z');
  });
});
