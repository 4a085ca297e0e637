// A pod's status from its containers' states, as the kubelet computes it: phase, conditions (whose
// lastTransitionTime changes only when their status does), IPs and container statuses. Pure.
import type { V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';

export interface PodSnapshot {
  pod: V1Pod;
  hostIP: string;
  podIP: string | undefined;
  startTime: Date;
  networkReady: boolean;
  initDone: boolean;
  initContainerStatuses: V1ContainerStatus[];
  containerStatuses: V1ContainerStatus[];
  /** A reason the pod cannot run at all (phase Failed), e.g. its network could not be made. */
  failure?: { reason: string; message: string };
}

/** Pending, Running, Succeeded or Failed from the containers' states and the restart policy. */
export function podPhase(snapshot: PodSnapshot): string {
  if (snapshot.failure) return 'Failed';
  const statuses = snapshot.containerStatuses;
  const policy = snapshot.pod.spec?.restartPolicy ?? 'Always';
  const initFailed = snapshot.initContainerStatuses.some(
    (s) => policy === 'Never' && (s.state?.terminated?.exitCode ?? 0) !== 0,
  );
  if (initFailed) return 'Failed';
  if (!snapshot.initDone || statuses.length === 0) return 'Pending';
  const done = statuses.every((s) => s.state?.terminated !== undefined);
  if (done) {
    const anyFailed = statuses.some((s) => s.state?.terminated?.exitCode !== 0);
    if (policy === 'Always') return 'Running';
    return anyFailed ? 'Failed' : 'Succeeded';
  }
  const started = statuses.some((s) => s.state?.running || s.state?.terminated || (s.restartCount ?? 0) > 0);
  return started ? 'Running' : 'Pending';
}

function condition(
  type: string,
  ok: boolean,
  previous: V1PodCondition[] | undefined,
  now: Date,
  reason?: string,
): V1PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous?.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now;
  return { type, status, lastTransitionTime, ...(ok ? {} : { reason }) };
}

/** The status to write for `snapshot`, given the pod's current status (for transition times). */
export function podStatus(snapshot: PodSnapshot, now = new Date()): V1PodStatus {
  const previous = snapshot.pod.status?.conditions;
  const phase = podPhase(snapshot);
  const statuses = snapshot.containerStatuses;
  const containersReady = statuses.length > 0 && statuses.every((s) => s.ready) && phase === 'Running';
  const ended = phase === 'Succeeded' || phase === 'Failed';
  const conditions = [
    condition('PodReadyToStartContainers', snapshot.networkReady && !ended, previous, now),
    condition('Initialized', snapshot.initDone, previous, now, 'ContainersNotInitialized'),
    condition('Ready', containersReady, previous, now, ended ? 'PodCompleted' : 'ContainersNotReady'),
    condition(
      'ContainersReady',
      containersReady,
      previous,
      now,
      ended ? 'PodCompleted' : 'ContainersNotReady',
    ),
  ];
  const scheduled = previous?.find((c) => c.type === 'PodScheduled');
  if (scheduled) conditions.push(scheduled);
  const status: V1PodStatus = {
    phase,
    conditions,
    hostIP: snapshot.hostIP,
    hostIPs: [{ ip: snapshot.hostIP }],
    startTime: snapshot.startTime,
    qosClass: snapshot.pod.status?.qosClass,
    initContainerStatuses: snapshot.initContainerStatuses.length ? snapshot.initContainerStatuses : undefined,
    containerStatuses: statuses,
  };
  if (snapshot.podIP) {
    status.podIP = snapshot.podIP;
    status.podIPs = [{ ip: snapshot.podIP }];
  }
  if (snapshot.failure) {
    status.reason = snapshot.failure.reason;
    status.message = snapshot.failure.message;
  }
  return status;
}

/** The status without timestamps, to decide whether anything worth writing changed. */
export function statusKey(status: V1PodStatus): string {
  return JSON.stringify(status, (key, value: unknown) => (key === 'lastTransitionTime' ? undefined : value));
}
