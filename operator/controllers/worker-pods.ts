// Tasks move when workers die: the moment a worker pod is deleted (deletionTimestamp set, or gone),
// evicted or failed, or its worker container has ended (OOMKilled, killed by its liveness probe) and
// not yet restarted, a surviving worker of the same cluster hears
// `DELETE /admin/workers/<podIP>:8083` with the admin token, so the group rebalances its work now
// instead of after scheduled.rebalance.max.delay.ms. Each worker process is reported once (a pod, or
// one ended container of it); a call that fails (no survivor ready yet, a timeout) is retried a few
// times with a short back-off. A container that is already running again is left alone: the new
// process has the same worker id and, joining, removes its predecessor from the group itself.
import type { V1ContainerStateTerminated, V1Pod } from '@kubernetes/client-node';
import { CLUSTER_LABEL } from '../api/types.ts';
import { CONTAINER_NAME } from '../model/names.ts';
import { logger } from '../../runtime/logging.ts';
import { keyOf, workerId, type ControllerContext } from './context.ts';

const log = logger('weir.operator.workerpods');
const RETRIES = 5;

/** The worker container's run that ended and has not been followed by a new one yet. */
function endedRun(pod: V1Pod): V1ContainerStateTerminated | undefined {
  const c = pod.status?.containerStatuses?.find((s) => s.name === CONTAINER_NAME);
  return c?.state?.terminated ?? (c?.state?.waiting ? c.lastState?.terminated : undefined);
}

/** Why the pod's worker is gone, or undefined while it is alive (or restarted). */
export function goneReason(pod: V1Pod, deleted: boolean): string | undefined {
  if (deleted) return 'deleted';
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  if (pod.status?.phase === 'Failed') return pod.status.reason === 'Evicted' ? 'evicted' : 'failed';
  const ended = endedRun(pod);
  if (ended) return `container ${ended.reason ?? 'ended'}, exit code ${ended.exitCode}`;
  return undefined;
}

/**
 * Which worker process a gone report is about: the pod, or one ended run of its container (a pod
 * whose container restarts dies once per run).
 */
export function goneProcess(pod: V1Pod): string | undefined {
  const uid = pod.metadata?.uid;
  if (!uid) return undefined;
  const ended = pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed' ? undefined : endedRun(pod);
  if (!ended) return uid;
  const finished = ended.finishedAt instanceof Date ? ended.finishedAt.toISOString() : ended.finishedAt;
  return `${uid}/${ended.containerID ?? finished ?? ''}`;
}

export class WorkerPodsController {
  private readonly ctx: ControllerContext;
  /** Worker processes already reported (goneProcess; kept a while so a late event does not report twice). */
  private readonly reported = new Map<string, number>();
  /** Called after a worker was reported (the poller looks again soon). */
  private readonly onReported: (clusterKey: string) => void;

  constructor(ctx: ControllerContext, onReported: (clusterKey: string) => void = () => {}) {
    this.ctx = ctx;
    this.onReported = onReported;
  }

  /** Subscribes to the pod informer; returns the unsubscribe function. */
  start(): () => void {
    const { pods } = this.ctx.informers;
    const offUpdate = pods.on('update', (pod) => this.seen(pod, false));
    const offDelete = pods.on('delete', (pod) => this.seen(pod, true));
    return () => {
      offUpdate();
      offDelete();
    };
  }

  private seen(pod: V1Pod, deleted: boolean): void {
    const reason = goneReason(pod, deleted);
    const processKey = goneProcess(pod);
    const id = workerId(pod);
    const cluster = pod.metadata?.labels?.[CLUSTER_LABEL];
    if (!reason || !processKey || !id || !cluster || this.reported.has(processKey)) return;
    this.reported.set(processKey, Date.now());
    this.prune();
    const clusterKey = `${pod.metadata?.namespace}/${cluster}`;
    void this.report(clusterKey, pod, id, reason);
  }

  private async report(clusterKey: string, pod: V1Pod, id: string, reason: string): Promise<void> {
    for (let attempt = 1; attempt <= RETRIES; attempt++) {
      try {
        const rest = await this.ctx.clusters.rest(clusterKey, id);
        const started = Date.now();
        await rest.removeWorker(id);
        log.info(
          { cluster: clusterKey, pod: keyOf(pod), worker: id, reason, ms: Date.now() - started },
          'worker declared gone',
        );
        const kc = this.ctx.informers.connects.get(pod.metadata?.namespace, cluster(clusterKey));
        if (kc)
          this.ctx.events.normal(
            kc,
            'WorkerRemoved',
            'RemoveWorker',
            `worker ${id} (pod ${pod.metadata?.name}, ${reason}) declared gone; its tasks move now`,
          );
        this.onReported(clusterKey);
        return;
      } catch (error) {
        log.warn(
          { err: error, cluster: clusterKey, worker: id, attempt },
          'could not declare the worker gone',
        );
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  }

  private prune(): void {
    const cutoff = Date.now() - 30 * 60_000;
    for (const [key, at] of this.reported) if (at < cutoff) this.reported.delete(key);
  }
}

const cluster = (clusterKey: string): string => clusterKey.slice(clusterKey.indexOf('/') + 1);
