// KafkaConnector → the Connect REST API of its KafkaConnect's workers. One reconcile per resource
// at a time (the work queue), each with its own REST calls and timeouts, so one failing connector
// never holds up the others. What the workers report comes from the poller's one
// `?expand=status&expand=info&expand=topics` call per cluster; the reconcile creates (in the requested state),
// updates only when the normalized config differs, pauses/resumes/stops, handles the restart
// annotations and auto-restart, and writes status only when it changed.
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
import { ConnectRestError, ConnectUnreachableError, type ConnectClient } from '../connect-client.ts';
import type { ConnectorExpansion } from '../connect-client.ts';
import type { ConnectorPoller } from './connector-poller.ts';
import { keyOf, splitKey, type ControllerContext } from './context.ts';
import { messageOf } from './kafka-connect.ts';

export const FINALIZER = 'weir.dev/connector';
export const CREATED_ANNOTATION = 'weir.dev/created-connector';

const log = logger('weir.operator.kafkaconnector');
const WAIT_FOR_WORKERS_MS = 5_000;

type Resource = KafkaConnector & KubernetesObject;

export class KafkaConnectorController {
  private readonly ctx: ControllerContext;
  private readonly poller: ConnectorPoller;
  /** When the operator last changed a connector (a snapshot older than that is stale for it). */
  private readonly actedAt = new Map<string, number>();
  /** The state last asked of a connector while it stayed FAILED (asked once, see stateAction). */
  private readonly askedWhileFailed = new Map<string, TargetState>();

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
    const snapshot = await this.poller.fresh(clusterKey, this.actedAt.get(key) ?? 0);
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
      const result = await this.converge(ktr, clusterKey, rest, snapshot.connectors[connectorName(ktr)]);
      if (result?.requeueAfter !== undefined) this.actedAt.set(key, Date.now());
      return result;
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
  ): Promise<ReconcileResult> {
    const name = connectorName(ktr);
    const { events } = this.ctx;
    const desired = desiredConnectorConfig(ktr);
    let acted = false;
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
      void this.poller.refresh(clusterKey);
      await this.writeStatus(ktr, {});
      return { requeueAfter: 2_000 };
    }
    if (configsDiffer(desired, entry.info.config)) {
      await rest.putConnectorConfig(name, desired);
      events.normal(ktr, 'Updated', 'UpdateConnector', `connector ${name} configuration updated`);
      acted = true;
    }
    const key = keyOf(ktr);
    const failed = entry.status?.connector.state === 'FAILED';
    if (!failed) this.askedWhileFailed.delete(key);
    const action = stateAction(ktr, entry.status?.connector.state, this.askedWhileFailed.get(key));
    if (action) {
      await rest.setState(name, action);
      if (failed) this.askedWhileFailed.set(key, targetState(ktr));
      events.normal(
        ktr,
        'StateChanged',
        action === 'resume' ? 'Resume' : action === 'pause' ? 'Pause' : 'Stop',
        `connector ${name}: ${action}`,
      );
      acted = true;
    }
    acted = (await this.restartsByAnnotation(ktr, rest)) || acted;

    const decision = autoRestartDecision(ktr, entry.status, Date.now());
    // A failed connector just asked to pause or stop is not restarted as well: the next look sees how it settled.
    if (decision.action === 'restart' && !(failed && action)) {
      await rest.restartConnector(name, { includeTasks: true, onlyFailed: true });
      events.normal(
        ktr,
        'AutoRestarted',
        'Restart',
        `restart ${decision.status.count} of failed connector/tasks`,
      );
      acted = true;
    }
    if (acted) void this.poller.refresh(clusterKey);
    const tasksMax = Number(entry.info.config['tasks.max']);
    await this.writeStatus(ktr, {
      connectorStatus: entry.status,
      ...(entry.topics ? { topics: entry.topics } : {}),
      ...(Number.isFinite(tasksMax) ? { tasksMax } : {}),
      restartPending: decision.action === 'wait' || decision.action === 'restart',
      ...(decision.status ? { autoRestart: decision.status } : {}),
    });
    if (decision.action === 'wait') return { requeueAfter: decision.retryAfterMs };
    return acted ? { requeueAfter: 2_000 } : undefined;
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
