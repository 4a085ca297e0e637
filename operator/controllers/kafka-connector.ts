// KafkaConnector → the Connect REST API of its KafkaConnect's workers. One reconcile per resource
// at a time (the work queue), each with its own REST calls and timeouts, so one failing connector
// never holds up the others. What the workers report comes from the poller's one
// `?expand=status&expand=info&expand=topics` call per cluster; the reconcile creates (in the requested state),
// updates only when the normalized config differs, pauses/resumes/stops, handles the restart
// annotations and auto-restart, and writes status only when it changed. After it changes a
// connector, status stays Reconciling until the workers run the change (model/connector-change.ts):
// what they report before that is the old connector's and tasks' state.
//
// Ownership: before the first POST the resource is annotated `weir.dev/created-connector:
// <cluster>/<connector>`, so an operator killed between the two never loses track, and on
// deletion (finalizer `weir.dev/connector`) only a connector so marked is deleted from the workers.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KafkaConnect, KafkaConnector } from '../api/types.ts';
import type { TargetState } from '../../runtime/rest/types.ts';
import { isNotFound, RESOURCES, resourcePath } from '../kube/client.ts';
import { patchStatus } from '../kube/apply.ts';
import type { ReconcileResult } from '../kube/work-queue.ts';
import { logger } from '../../runtime/logging.ts';
import {
  configsDiffer,
  connectorClusterRef,
  connectorName,
  connectorNameOwner,
  connectorNamespaceAllowed,
  desiredConnectorConfig,
  stateAction,
  targetState,
  validateKafkaConnector,
} from '../model/connector-config.ts';
import {
  autoRestartDecision,
  parseRestartAnnotation,
  parseRestartTaskAnnotation,
  RESTART_ANNOTATION,
  RESTART_TASK_ANNOTATION,
} from '../model/auto-restart.ts';
import {
  connectorStatus,
  statusEqual,
  type ObservedConnector,
  type ReconcileError,
} from '../model/conditions.ts';
import {
  addChange,
  changeFromStatus,
  changeProgress,
  settleTime,
  type ChangeProgress,
  type PendingChange,
} from '../model/connector-change.ts';
import { ConnectRestError, ConnectUnreachableError, type ConnectClient } from '../connect-client.ts';
import type { ConnectorExpansion } from '../connect-client.ts';
import type { ConnectorPoller } from './connector-poller.ts';
import { keyOf, splitKey, type ControllerContext } from './context.ts';
import { messageOf } from './kafka-connect.ts';

export const FINALIZER = 'weir.dev/connector';
export const CREATED_ANNOTATION = 'weir.dev/created-connector';

const log = logger('weir.operator.kafkaconnector');
const WAIT_FOR_WORKERS_MS = 5_000;
/** While the workers do not show a change yet: look again after about one poll. */
const APPLYING_RECHECK_MS = 2_000;
const SETTLE_MARGIN_MS = 50;

type Resource = KafkaConnector & KubernetesObject;

export class KafkaConnectorController {
  private readonly ctx: ControllerContext;
  private readonly poller: ConnectorPoller;
  /** When the operator last changed a connector (a snapshot older than that is stale for it). */
  private readonly actedAt = new Map<string, number>();
  /** The state last asked of a connector while it stayed FAILED (asked once, see stateAction). */
  private readonly askedWhileFailed = new Map<string, TargetState>();
  /** Changes made to a connector that the workers have not been seen running yet. */
  private readonly changes = new Map<string, PendingChange>();
  /** KafkaConnectors reconciled since this controller started (the others may be mid-change). */
  private readonly seen = new Set<string>();

  constructor(ctx: ControllerContext, poller: ConnectorPoller) {
    this.ctx = ctx;
    this.poller = poller;
  }

  /** The KafkaConnectors on the cluster `clusterKey` (namespace/name); only those for `names` when given. */
  connectorsOf(clusterKey: string, names?: ReadonlySet<string>): KafkaConnector[] {
    return this.ctx.informers.connectors.list().filter((k) => {
      const ref = connectorClusterRef(k);
      return (
        !('error' in ref) &&
        `${ref.namespace}/${ref.name}` === clusterKey &&
        (!names || names.has(connectorName(k)))
      );
    });
  }

  readonly reconcile = async (key: string): Promise<ReconcileResult> => {
    const { namespace, name } = splitKey(key);
    let ktr = this.ctx.informers.connectors.get(namespace, name) as Resource | undefined;
    if (!ktr) return;
    const ref = connectorClusterRef(ktr);
    const clusterKey = 'error' in ref ? undefined : `${ref.namespace}/${ref.name}`;
    const kc = 'error' in ref ? undefined : this.ctx.informers.connects.get(ref.namespace, ref.name);

    if (ktr.metadata.deletionTimestamp) {
      this.actedAt.delete(key);
      this.askedWhileFailed.delete(key);
      this.changes.delete(key);
      this.seen.delete(key);
      return this.finalize(ktr, kc);
    }
    if (!ktr.metadata.finalizers?.includes(FINALIZER)) {
      ktr = await this.patchMeta(ktr, { finalizers: [...(ktr.metadata.finalizers ?? []), FINALIZER] });
    }
    const problems = validateKafkaConnector(ktr);
    if (problems.length > 0 || !clusterKey) return void (await this.writeStatus(ktr, {}));
    if (!kc || kc.metadata.deletionTimestamp) {
      await this.writeStatus(
        ktr,
        {},
        retryable('ClusterNotFound', `KafkaConnect ${clusterKey} does not exist`),
      );
      return; // a KafkaConnect appearing enqueues its connectors
    }
    if (!connectorNamespaceAllowed(kc, namespace)) {
      const message = `KafkaConnect ${clusterKey} does not allow connectors from namespace ${namespace} (spec.allowedConnectorNamespaces)`;
      await this.writeStatus(ktr, {}, { reason: 'NamespaceNotAllowed', message, terminal: true });
      return;
    }
    const owner = this.nameOwner(kc, ktr);
    if (owner && keyOf(owner) !== key) {
      // Connector names are per Connect cluster: another KafkaConnector runs this one; hands off.
      const message = `KafkaConnector ${keyOf(owner)} (created ${owner.metadata.creationTimestamp ?? 'earlier'}) already runs a connector named ${connectorName(ktr)} on KafkaConnect ${clusterKey}; this one leaves it alone. Rename one of them (the connector name is metadata.name) or delete one.`;
      await this.writeStatus(ktr, {}, { reason: 'ConnectorNameConflict', message, terminal: true });
      return;
    }
    if (!this.seen.has(key)) {
      this.seen.add(key);
      const inherited = changeFromStatus(ktr, Date.now());
      if (inherited) this.changes.set(key, inherited);
    }
    // A snapshot taken after this connector's last change, and after its settle time once that is due.
    const change = this.changes.get(key);
    const settledAt = change ? (settleTime(change) ?? 0) : 0;
    const since = Math.max(this.actedAt.get(key) ?? 0, settledAt <= Date.now() ? settledAt : 0);
    const snapshot = await this.poller.fresh(clusterKey, since);
    if (!snapshot) {
      await this.writeStatus(
        ktr,
        {},
        retryable('WaitingForWorkers', `no ready worker of ${clusterKey} answered yet`),
      );
      return { requeueAfter: WAIT_FOR_WORKERS_MS };
    }
    const rest = await this.ctx.clusters.rest(clusterKey);
    try {
      return await this.converge(ktr, clusterKey, rest, snapshot.connectors[connectorName(ktr)], snapshot.at);
    } catch (error) {
      const failure = asReconcileError(error);
      this.ctx.events.warning(ktr, failure.reason, 'Reconcile', failure.message);
      await this.writeStatus(ktr, {}, failure).catch((e) =>
        log.warn({ err: e, key }, 'could not write status'),
      );
      if (failure.terminal) return;
      throw error;
    }
  };

  private async converge(
    ktr: Resource,
    clusterKey: string,
    rest: ConnectClient,
    entry: ConnectorExpansion | undefined,
    polledAt: number,
  ): Promise<ReconcileResult> {
    const name = connectorName(ktr);
    const key = keyOf(ktr);
    const { events } = this.ctx;
    const desired = desiredConnectorConfig(ktr);
    let acted = false;
    /** Each call that changed the connector: status waits for the workers to run it. */
    const changed = (what: string): void => {
      const now = Date.now();
      this.actedAt.set(key, now);
      this.changes.set(key, addChange(this.changes.get(key), what, now));
      acted = true;
    };
    if (!entry?.info) {
      const marker = `${clusterKey}/${name}`;
      if (ktr.metadata.annotations?.[CREATED_ANNOTATION] !== marker) {
        ktr = await this.patchMeta(ktr, { annotations: { [CREATED_ANNOTATION]: marker } });
      }
      try {
        await rest.createConnector({ name, config: desired, initial_state: targetState(ktr) });
        events.normal(ktr, 'Created', 'CreateConnector', `connector ${name} created on ${clusterKey}`);
        log.info({ connector: keyOf(ktr), cluster: clusterKey }, 'connector created');
      } catch (error) {
        // 409: it exists after all (a create that raced the poll, or made before a restart): fine.
        if (!(error instanceof ConnectRestError && error.status === 409 && /exist/i.test(error.message)))
          throw error;
      }
      // A new connector has no old state to mistake for its own: no change to wait for.
      this.actedAt.set(key, Date.now());
      this.changes.delete(key);
      void this.poller.refresh(clusterKey);
      await this.writeStatus(ktr, {});
      return { requeueAfter: 2_000 };
    }
    if (configsDiffer(desired, entry.info.config)) {
      await rest.putConnectorConfig(name, desired);
      changed('configuration updated');
      events.normal(ktr, 'Updated', 'UpdateConnector', `connector ${name} configuration updated`);
    }
    const failed = entry.status?.connector.state === 'FAILED';
    if (!failed) this.askedWhileFailed.delete(key);
    const action = stateAction(ktr, entry.status?.connector.state, this.askedWhileFailed.get(key));
    if (action) {
      await rest.setState(name, action);
      changed(action === 'resume' ? 'resumed' : action === 'pause' ? 'paused' : 'stopped');
      if (failed) this.askedWhileFailed.set(key, targetState(ktr));
      events.normal(
        ktr,
        'StateChanged',
        action === 'resume' ? 'Resume' : action === 'pause' ? 'Pause' : 'Stop',
        `connector ${name}: ${action}`,
      );
    }
    if (await this.restartsByAnnotation(ktr, rest)) changed('restarted');

    let progress = this.progress(ktr, entry, polledAt);
    // Failures seen before the workers ran a change are the old tasks': no automatic restart for them.
    const decision =
      progress.phase === 'done' ? autoRestartDecision(ktr, entry.status, Date.now()) : undefined;
    // A failed connector just asked to pause or stop is not restarted as well: the next look sees how it settled.
    if (decision?.action === 'restart' && !(failed && action)) {
      await rest.restartConnector(name, { includeTasks: true, onlyFailed: true });
      changed('failed connector/tasks restarted');
      events.normal(
        ktr,
        'AutoRestarted',
        'Restart',
        `restart ${decision.status.count} of failed connector/tasks`,
      );
      progress = this.progress(ktr, entry, polledAt);
    }
    if (acted) void this.poller.refresh(clusterKey);
    const tasksMax = Number(entry.info.config['tasks.max']);
    await this.writeStatus(ktr, {
      connectorStatus: entry.status,
      ...(entry.topics ? { topics: entry.topics } : {}),
      ...(Number.isFinite(tasksMax) ? { tasksMax } : {}),
      restartPending: decision?.action === 'wait' || decision?.action === 'restart',
      ...(decision?.status ? { autoRestart: decision.status } : {}),
      ...(progress.phase !== 'done' ? { change: { phase: progress.phase, message: progress.message } } : {}),
    });
    // A little after the settle time, so the next look polls anew (fresh) rather than before it.
    if (progress.phase === 'settling')
      return { requeueAfter: Math.max(0, progress.settledAt - Date.now()) + SETTLE_MARGIN_MS };
    if (progress.phase === 'applying') return { requeueAfter: APPLYING_RECHECK_MS };
    if (decision?.action === 'wait') return { requeueAfter: decision.retryAfterMs };
    return acted ? { requeueAfter: 2_000 } : undefined;
  }

  /** Where the connector's last change stands in the workers' answer (none pending: done). */
  private progress(ktr: Resource, entry: ConnectorExpansion, polledAt: number): ChangeProgress {
    const key = keyOf(ktr);
    const change = this.changes.get(key);
    if (!change) return { phase: 'done' };
    const progress = changeProgress(change, ktr, entry, polledAt);
    if (progress.phase === 'done') this.changes.delete(key);
    else this.changes.set(key, progress.change);
    return progress;
  }

  /** Which KafkaConnector runs the connector named like `ktr`'s on `kc` (connectorNameOwner). */
  private nameOwner(kc: KafkaConnect, ktr: Resource): KafkaConnector | undefined {
    const sameName = this.ctx.informers.connectors
      .list()
      .filter((k) => connectorName(k) === connectorName(ktr));
    return connectorNameOwner(kc, ktr, sameName);
  }

  /** `weir.dev/restart` and `weir.dev/restart-task`: act once, then remove the annotation. */
  private async restartsByAnnotation(ktr: Resource, rest: ConnectClient): Promise<boolean> {
    const name = connectorName(ktr);
    const annotations = ktr.metadata.annotations ?? {};
    const remove: Record<string, null> = {};
    const restart = parseRestartAnnotation(annotations[RESTART_ANNOTATION]);
    const task = parseRestartTaskAnnotation(annotations[RESTART_TASK_ANNOTATION]);
    for (const parsed of [restart, task]) {
      if (parsed && typeof parsed === 'object' && 'error' in parsed)
        this.ctx.events.warning(ktr, 'InvalidAnnotation', 'Restart', parsed.error);
    }
    if (restart && !('error' in restart)) {
      await rest.restartConnector(name, restart);
      this.ctx.events.normal(
        ktr,
        'Restarted',
        'Restart',
        `connector ${name} restarted (${annotations[RESTART_ANNOTATION]})`,
      );
    }
    if (typeof task === 'number') {
      await rest.restartTask(name, task);
      this.ctx.events.normal(ktr, 'Restarted', 'RestartTask', `task ${task} of ${name} restarted`);
    }
    if (RESTART_ANNOTATION in annotations) remove[RESTART_ANNOTATION] = null;
    if (RESTART_TASK_ANNOTATION in annotations) remove[RESTART_TASK_ANNOTATION] = null;
    if (Object.keys(remove).length > 0) await this.patchMeta(ktr, { annotations: remove });
    return (restart !== null && !('error' in restart)) || typeof task === 'number';
  }

  /** Deletion: remove the connector from the workers if this operator made it, then the finalizer. */
  private async finalize(ktr: Resource, kc: KafkaConnect | undefined): Promise<ReconcileResult> {
    if (!ktr.metadata.finalizers?.includes(FINALIZER)) return;
    const ref = connectorClusterRef(ktr);
    const clusterKey = 'error' in ref ? undefined : `${ref.namespace}/${ref.name}`;
    const name = connectorName(ktr);
    // Made by this one, and not run by another KafkaConnector of the same name since (connectorNameOwner).
    const owner = kc && this.nameOwner(kc, ktr);
    const ours =
      clusterKey &&
      ktr.metadata.annotations?.[CREATED_ANNOTATION] === `${clusterKey}/${name}` &&
      (!owner || keyOf(owner) === keyOf(ktr));
    if (ours && kc && !kc.metadata.deletionTimestamp && this.ctx.clusters.endpoints(clusterKey).length > 0) {
      const rest = await this.ctx.clusters.rest(clusterKey);
      const deleted = await rest.deleteConnector(name);
      if (deleted)
        this.ctx.events.normal(
          ktr,
          'Deleted',
          'DeleteConnector',
          `connector ${name} deleted from ${clusterKey}`,
        );
      void this.poller.refresh(clusterKey);
    } else if (ours && kc && !kc.metadata.deletionTimestamp) {
      throw new Error(`no ready worker of ${clusterKey} to delete connector ${name} from`);
    }
    const finalizers = (ktr.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    await this.patchMeta(ktr, { finalizers }).catch((error) => {
      if (!isNotFound(error)) throw error; // already gone: nothing left to do
    });
  }

  /** A merge patch of metadata, guarded by the resourceVersion read (a conflict retries the reconcile). */
  private async patchMeta(ktr: Resource, metadata: Record<string, unknown>): Promise<Resource> {
    const { namespace, name, resourceVersion } = ktr.metadata;
    return this.ctx.client.request<Resource>(
      'PATCH',
      resourcePath(RESOURCES.KafkaConnector, namespace, name),
      {
        body: { metadata: { ...metadata, resourceVersion } },
        contentType: 'application/merge-patch+json',
        query: { fieldManager: 'weir-operator' },
      },
    );
  }

  private async writeStatus(
    ktr: Resource,
    observed: ObservedConnector,
    error?: ReconcileError,
  ): Promise<void> {
    const status = connectorStatus(ktr, observed, error, new Date().toISOString());
    if (statusEqual(ktr.status, status)) return;
    await patchStatus(this.ctx.client, ktr, status);
  }
}

const retryable = (reason: string, message: string): ReconcileError => ({ reason, message, terminal: false });

function asReconcileError(error: unknown): ReconcileError {
  if (error instanceof ConnectRestError)
    return {
      reason: error.retryable ? 'ConnectUnavailable' : 'ConnectRejected',
      message: error.message,
      terminal: !error.retryable,
    };
  if (error instanceof ConnectUnreachableError) return retryable('ConnectUnreachable', error.message);
  return retryable('ReconcileFailed', messageOf(error));
}
