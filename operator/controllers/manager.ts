// Wires the controllers while this replica leads: informers over KafkaConnects, KafkaConnectors and
// the workers' Deployments and pods; a work queue per kind; the connector poller; the worker-pod
// watcher. Events route keys: a Deployment to its KafkaConnect, a KafkaConnect to its connectors, a
// KafkaConnector to itself and to the others of the same name (they contend for one connector name),
// a poll that saw changes to the KafkaConnectors of the connectors that changed, a worker pod
// turning ready or unready to a poll of its cluster and to its KafkaConnect (log levels), a worker
// pod whose failure changed (model/worker-failures.ts) to its KafkaConnect (status), and a Secret
// created, changed or deleted to the KafkaConnects that refer to it (secret-index.ts: the pods
// roll on a new version, a deleted credentials Secret is made again).
import type { KubernetesObject, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { CLUSTER_LABEL, type KafkaConnect, type KafkaConnector } from '../api/types.ts';
import { RESOURCES, type KubeClient } from '../kube/client.ts';
import { makeInformer, type Informer } from '../kube/informer.ts';
import { WorkQueue } from '../kube/work-queue.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { OperatorMetrics } from '../runtime/metrics-server.ts';
import type { OperatorSettings } from '../model/connect-cluster.ts';
import { findCondition } from '../model/conditions.ts';
import { KIND_LABEL } from '../model/names.ts';
import { failureSignature } from '../model/worker-failures.ts';
import { ClusterAccess, keyOf, type Cached, type ControllerContext, type Informers } from './context.ts';
import { KafkaConnectController } from './kafka-connect.ts';
import { KafkaConnectorController } from './kafka-connector.ts';
import { ConnectorPoller } from './connector-poller.ts';
import { connectMetrics } from './connect-metrics.ts';
import { WorkerPodsController } from './worker-pods.ts';
import { SecretIndex } from './secret-index.ts';

export interface ManagerOptions {
  client: KubeClient;
  events: EventRecorder;
  metrics: OperatorMetrics;
  settings: OperatorSettings;
  /** Watched namespaces; undefined: all. */
  namespaces?: string[];
  pollIntervalMs?: number;
}

export interface Manager {
  readonly informers: Informers;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createManager(o: ManagerOptions): Manager {
  const workers = `${KIND_LABEL}=KafkaConnect`;
  const ns = o.namespaces ? { namespaces: o.namespaces } : {};
  const informers: Informers = {
    connects: makeInformer<Cached<KafkaConnect>>(o.client, RESOURCES.KafkaConnect, ns),
    connectors: makeInformer<Cached<KafkaConnector>>(o.client, RESOURCES.KafkaConnector, ns),
    deployments: makeInformer<V1Deployment>(o.client, RESOURCES.Deployment, {
      ...ns,
      labelSelector: workers,
    }),
    pods: makeInformer<V1Pod>(o.client, RESOURCES.Pod, { ...ns, labelSelector: workers, resyncSeconds: 0 }),
    // Any Secret may be referenced, so all of them, but metadata only: never their data.
    secrets: makeInformer<KubernetesObject>(o.client, RESOURCES.Secret, {
      ...ns,
      metadataOnly: true,
      resyncSeconds: 0,
    }),
  };
  const secretIndex = new SecretIndex();
  const rest = connectMetrics(o.metrics.registry);
  const ctx: ControllerContext = {
    client: o.client,
    informers,
    events: o.events,
    settings: o.settings,
    clusters: new ClusterAccess(o.client, informers.pods, rest.request),
  };
  const connectController = new KafkaConnectController(ctx);
  const poller = new ConnectorPoller(ctx.clusters, {
    intervalMs: o.pollIntervalMs ?? 2_000,
    clusters: () => informers.connects.list().map(keyOf),
    onChange: (clusterKey, changed) => enqueueConnectors(clusterKey, new Set(changed)),
    onPolled: (_clusterKey, result, durationMs) => rest.polled(result, durationMs),
  });
  const connectorController = new KafkaConnectorController(ctx, poller);
  const workerPods = new WorkerPodsController(ctx, (clusterKey) => {
    setTimeout(() => void poller.refresh(clusterKey), 500);
  });
  const connectQueue = new WorkQueue(connectController.reconcile, {
    name: 'KafkaConnect',
    concurrency: 4,
    onReconciled: o.metrics.reconcileObserver('KafkaConnect'),
  });
  const connectorQueue = new WorkQueue(connectorController.reconcile, {
    name: 'KafkaConnector',
    concurrency: 16,
    baseDelayMs: 500,
    maxDelayMs: 60_000,
    timeoutMs: 60_000,
    onReconciled: o.metrics.reconcileObserver('KafkaConnector'),
  });
  o.metrics.watchQueue('KafkaConnect', connectQueue);
  o.metrics.watchQueue('KafkaConnector', connectorQueue);

  /** The cluster's KafkaConnectors (only those of the connectors named in `names`, when given). */
  function enqueueConnectors(clusterKey: string, names?: ReadonlySet<string>): void {
    for (const k of connectorController.connectorsOf(clusterKey, names)) connectorQueue.add(keyOf(k));
  }
  const clusterOf = (obj: { metadata?: { namespace?: string; labels?: Record<string, string> } }) =>
    obj.metadata?.labels?.[CLUSTER_LABEL] &&
    `${obj.metadata.namespace}/${obj.metadata.labels[CLUSTER_LABEL]}`;

  informers.connects.on('add', (kc) => {
    secretIndex.set(kc);
    connectQueue.add(keyOf(kc));
    enqueueConnectors(keyOf(kc));
  });
  informers.connects.on('update', (kc, old) => {
    if (kc !== old) secretIndex.set(kc);
    connectQueue.add(keyOf(kc));
    const ready = (x?: KafkaConnect) => findCondition(x?.status?.conditions, 'Ready')?.status;
    // Its spec too: spec.allowedConnectorNamespaces decides which of them may run (and which wins a name).
    const specChanged = kc.metadata.generation !== old?.metadata.generation;
    if (kc !== old && (ready(kc) !== ready(old) || specChanged || kc.metadata.deletionTimestamp))
      enqueueConnectors(keyOf(kc));
  });
  informers.connects.on('delete', (kc) => {
    secretIndex.delete(keyOf(kc));
    connectQueue.add(keyOf(kc));
    poller.forget(keyOf(kc));
    enqueueConnectors(keyOf(kc));
  });
  for (const event of ['add', 'update', 'delete'] as const) {
    informers.connectors.on(event, (k) => {
      if (event === 'delete') connectorQueue.forget(keyOf(k));
      else connectorQueue.add(keyOf(k));
      // Connector names are per KafkaConnect: one freed or taken may change which KafkaConnector runs it.
      for (const other of informers.connectors.list())
        if (other.metadata.name === k.metadata.name && keyOf(other) !== keyOf(k))
          connectorQueue.add(keyOf(other));
    });
    informers.deployments.on(event, (d) => {
      const cluster = clusterOf(d);
      if (cluster) connectQueue.add(cluster);
    });
    informers.secrets.on(event, (secret) => {
      for (const key of secretIndex.connectsOf(secret.metadata?.namespace, secret.metadata?.name))
        connectQueue.add(key);
    });
  }
  informers.pods.on('update', (pod, old) => {
    const cluster = clusterOf(pod);
    const wasReady = old?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (cluster && wasReady !== isReady) {
      void poller.refresh(cluster);
      connectQueue.add(cluster); // a worker that turned ready gets spec.logging
    } else if (cluster && failureSignature(pod, Date.now()) !== failureSignature(old, Date.now())) {
      connectQueue.add(cluster); // a worker failing (or failing differently): status says why
    }
  });

  const all = Object.values(informers) as Informer<never>[];
  let stopWorkerPods: (() => void) | undefined;
  return {
    informers,
    async start() {
      for (const inf of all) o.metrics.watchInformer(inf);
      stopWorkerPods = workerPods.start();
      await Promise.all(all.map((inf) => inf.start()));
      poller.start();
    },
    async stop() {
      poller.stop();
      stopWorkerPods?.();
      await Promise.all([connectQueue.stop(), connectorQueue.stop()]);
      await Promise.all(all.map((inf) => inf.stop()));
      for (const inf of all) o.metrics.unwatchInformer(inf);
    },
  };
}
