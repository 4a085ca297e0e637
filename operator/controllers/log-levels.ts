// spec.logging, live: each ready worker of a KafkaConnect gets the levels through its own
// GET/PUT /admin/loggers (a PUT on one worker changes that worker only), so a change takes effect
// within seconds and never rolls the pods. Workers that start later read the same levels from the
// ConfigMap (WEIR_LOG_CONFIG) and are checked here once they are ready.
//
// Idempotent and cheap: a worker process (pod uid + container restarts) that already got the
// current levels is not called again; one that did not is read first (GET) and only the loggers
// that differ are set (model/log-levels.ts). Each worker has its own short timeouts and its own
// outcome, so one that does not answer never holds up the others; failures come back to the
// caller, which reports them and retries.
import type { V1Pod } from '@kubernetes/client-node';
import { logger } from '../../runtime/logging.ts';
import { levelsFingerprint, loggerUpdates, type LoggerUpdate } from '../model/log-levels.ts';
import { isPodReady, workerId, type ClusterAccess } from './context.ts';

const log = logger('weir.operator.loglevels');

/** Per call: a worker that takes longer is reported and retried later. */
const CONNECT_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 5_000;

export interface LogLevelOutcome {
  /** Workers whose levels were changed now, with the changes. */
  updated: { worker: string; updates: LoggerUpdate[] }[];
  /** `<worker>: <why>` for each worker that could not be brought in line. */
  failures: string[];
}

/** One worker process: a restarted container starts from the ConfigMap again. */
const incarnation = (pod: V1Pod): string =>
  `${pod.metadata?.uid ?? ''}/${(pod.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0)}/${pod.status?.podIP ?? ''}`;

/** What the sync needs of ClusterAccess: the cluster's pods and a client for one worker. */
export type WorkerAccess = Pick<ClusterAccess, 'workerPods' | 'restTo'>;

export class LogLevelSync {
  private readonly access: WorkerAccess;
  /** Per cluster: worker incarnation → fingerprint of the levels it got. */
  private readonly applied = new Map<string, Map<string, string>>();

  constructor(access: WorkerAccess) {
    this.access = access;
  }

  forget(clusterKey: string): void {
    this.applied.delete(clusterKey);
  }

  /** Brings every ready worker of the cluster to `desired` (logger → level, with root). Never throws. */
  async sync(clusterKey: string, desired: Record<string, string>): Promise<LogLevelOutcome> {
    const fingerprint = levelsFingerprint(desired);
    const known = this.applied.get(clusterKey) ?? new Map<string, string>();
    const next = new Map<string, string>();
    const outcome: LogLevelOutcome = { updated: [], failures: [] };
    const pods = this.access.workerPods(clusterKey).filter(isPodReady);
    await Promise.all(
      pods.map(async (pod) => {
        const id = incarnation(pod);
        const endpoint = workerId(pod)!;
        if (known.get(id) === fingerprint) return void next.set(id, fingerprint);
        try {
          const updates = await this.syncWorker(clusterKey, endpoint, desired);
          next.set(id, fingerprint);
          if (updates.length > 0) outcome.updated.push({ worker: endpoint, updates });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          outcome.failures.push(`${endpoint}: ${message}`);
          log.debug({ err: error, cluster: clusterKey, worker: endpoint }, 'log levels not applied');
        }
      }),
    );
    this.applied.set(clusterKey, next); // workers gone are dropped
    outcome.failures.sort();
    outcome.updated.sort((a, b) => a.worker.localeCompare(b.worker));
    return outcome;
  }

  private async syncWorker(
    clusterKey: string,
    endpoint: string,
    desired: Record<string, string>,
  ): Promise<LoggerUpdate[]> {
    const rest = await this.access.restTo(clusterKey, endpoint, {
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    const updates = loggerUpdates(desired, await rest.loggers());
    // In order: a parent's PUT overwrites its children, so they follow it.
    for (const u of updates) await rest.setLoggerLevel(u.logger, u.level);
    return updates;
  }
}

/** "root=WARN, weir.worker=DEBUG" for events. */
export const describeUpdates = (updates: LoggerUpdate[]): string =>
  updates.map((u) => `${u.logger}=${u.level}`).join(', ');
