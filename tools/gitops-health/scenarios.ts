// Every state a KafkaConnect or KafkaConnector goes through, as objects whose status the operator's
// model functions wrote, each with the health Argo CD and Flux (kstatus) are meant to show for it.
// They are the Argo CD health checks' testdata (generate-testdata.ts) and the unit tests' cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { KafkaConnect, KafkaConnector } from '../../operator/api/types.ts';
import { minimalKafkaConnect, minimalKafkaConnector } from '../../operator/api/testing/examples.ts';
import {
  connectorStatus,
  connectStatus,
  type ObservedConnect,
  type ObservedConnector,
  type ReconcileError,
} from '../../operator/model/conditions.ts';
import type { ConnectorStateInfo } from '../../runtime/rest/types.ts';
import { REPO_ROOT } from '../kafka/testbed.ts';

export type ArgoHealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type KstatusStatus = 'InProgress' | 'Current' | 'Failed' | 'Terminating' | 'NotFound' | 'Unknown';

export interface HealthScenario {
  /** Argo CD's testdata naming: `<health>_<what>` (the file is testdata/<name>.yaml). */
  name: string;
  object: KafkaConnect | KafkaConnector;
  argocd: { status: ArgoHealthStatus; message: string };
  kstatus: KstatusStatus;
  /** False for objects Argo CD never runs the script on (being deleted: gitops-engine decides). */
  argocdTestdata: boolean;
}

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

/** The status the CRD gives a resource the operator has not written yet (its schema default). */
export function crdStatusDefault(kind: 'KafkaConnect' | 'KafkaConnector'): Record<string, unknown> {
  const file = kind === 'KafkaConnect' ? 'kafkaconnects.weir.dev.yaml' : 'kafkaconnectors.weir.dev.yaml';
  const crd = load(readFileSync(join(REPO_ROOT, 'crds', file), 'utf8')) as {
    spec: { versions: { schema: { openAPIV3Schema: { properties: { status: { default?: object } } } } }[] };
  };
  const fallback = crd.spec.versions[0]!.schema.openAPIV3Schema.properties.status.default;
  return { ...(fallback ?? {}) };
}

type Resource = KafkaConnect | KafkaConnector;

function s(
  name: string,
  object: Resource,
  status: ArgoHealthStatus,
  message: string,
  kstatus: KstatusStatus,
): HealthScenario {
  return { name, object, argocd: { status, message }, kstatus, argocdTestdata: true };
}

/** Before the operator wrote anything: without a status, and as the API server hands it out. */
function unreconciled(object: Resource): HealthScenario[] {
  const waiting = `Waiting for the Weir operator: ${object.kind} not reconciled yet`;
  return [
    // Written without a status, or read from an API server whose CRD has no default: kstatus cannot
    // tell it from a resource that needs no status. The CRD's default prevents it (next case).
    s('progressing_noStatus', object, 'Progressing', waiting, 'Current'),
    s(
      'progressing_new',
      { ...object, status: crdStatusDefault(object.kind) },
      'Progressing',
      waiting,
      'InProgress',
    ),
  ];
}

/** Argo CD decides for a resource being deleted before any script runs, so it is no testdata. */
function terminating(object: Resource): HealthScenario {
  return {
    name: 'terminating',
    object: { ...object, metadata: { ...object.metadata, deletionTimestamp: T1 } } as Resource,
    argocd: { status: 'Progressing', message: 'Pending deletion' },
    kstatus: 'Terminating',
    argocdTestdata: false,
  };
}

function connect(generation: number, spec: Partial<KafkaConnect['spec']> = {}): KafkaConnect {
  const kc = minimalKafkaConnect();
  return { ...kc, metadata: { ...kc.metadata, generation }, spec: { ...kc.spec, replicas: 3, ...spec } };
}

function connectAt(
  kc: KafkaConnect,
  observed: Partial<ObservedConnect>,
  error?: ReconcileError,
  now = T1,
): KafkaConnect {
  const full: ObservedConnect = {
    desiredReplicas: kc.spec.replicas ?? 3,
    readyReplicas: 3,
    updatedReplicas: 3,
    rolloutComplete: true,
    ...observed,
  };
  return { ...kc, status: connectStatus(kc, full, error, now) };
}

function connectScenarios(): HealthScenario[] {
  const ready = connectAt(connect(1), {}, undefined, T0);
  return [
    ...unreconciled(connect(1)),
    s(
      'progressing_waitingForWorkers',
      connectAt(connect(1), { readyReplicas: 1, rolloutComplete: false }),
      'Progressing',
      '1/3 workers ready',
      'InProgress',
    ),
    s('healthy', ready, 'Healthy', '3/3 workers ready', 'Current'),
    s(
      'progressing_generationNotObserved',
      { ...ready, metadata: { ...ready.metadata, generation: 2 }, spec: { ...ready.spec, replicas: 4 } },
      'Progressing',
      'Waiting for the Weir operator: generation 2 not observed yet (status is of generation 1)',
      'InProgress',
    ),
    s(
      'progressing_rollingUpdate',
      connectAt(
        { ...ready, metadata: { ...ready.metadata, generation: 2 } },
        { updatedReplicas: 1, rolloutComplete: false },
      ),
      'Progressing',
      '3/3 workers ready',
      'InProgress',
    ),
    s(
      'progressing_retrying',
      connectAt(
        connect(1),
        { readyReplicas: 0, rolloutComplete: false },
        {
          reason: 'ReconcileFailed',
          message: 'the API server refused the Deployment: etcdserver: request timed out',
          terminal: false,
        },
      ),
      'Progressing',
      'the API server refused the Deployment: etcdserver: request timed out',
      'InProgress',
    ),
    s(
      'healthy_scaledToZero',
      connectAt(connect(1, { replicas: 0 }), { readyReplicas: 0, updatedReplicas: 0 }),
      'Healthy',
      'no workers wanted (replicas 0)',
      'Current',
    ),
    s(
      'degraded_invalidSpec',
      connectAt(connect(1, { config: { 'group.id': 'mine' } }), { readyReplicas: 0, rolloutComplete: false }),
      'Degraded',
      'spec.config: the operator owns group.id',
      'Failed',
    ),
    terminating(ready),
  ];
}

function connector(generation: number, spec: Partial<KafkaConnector['spec']> = {}): KafkaConnector {
  const ktr = minimalKafkaConnector();
  return {
    ...ktr,
    metadata: { ...ktr.metadata, generation },
    spec: { ...ktr.spec, config: { file: '/data/test.txt', topic: 'connect-test' }, ...spec },
  };
}

/** What the workers answer: the connector's state, then each task's. */
function workers(connectorState: string, ...tasks: string[]): ConnectorStateInfo {
  const failed = (state: string) =>
    state === 'FAILED'
      ? {
          trace:
            'org.apache.kafka.connect.errors.ConnectException: /data/test.txt: permission denied\n\tat …',
        }
      : {};
  return {
    name: 'my-source',
    type: 'source',
    connector: { state: connectorState, worker_id: '10.244.0.7:8083', ...failed(connectorState) },
    tasks: tasks.map((state, id) => ({ id, state, worker_id: '10.244.0.8:8083', ...failed(state) })),
  } as ConnectorStateInfo;
}

function connectorAt(
  ktr: KafkaConnector,
  observed: ObservedConnector,
  error?: ReconcileError,
): KafkaConnector {
  return { ...ktr, status: connectorStatus(ktr, { topics: ['connect-test'], ...observed }, error, T1) };
}

function connectorScenarios(): HealthScenario[] {
  const running = connectorAt(connector(1), { connectorStatus: workers('RUNNING', 'RUNNING') });
  const next = (spec: Partial<KafkaConnector['spec']>): KafkaConnector => ({
    ...running,
    metadata: { ...running.metadata, generation: 2 },
    spec: { ...running.spec, ...spec },
  });
  return [
    ...unreconciled(connector(1)),
    s(
      'progressing_clusterNotFound',
      connectorAt(
        connector(1),
        {},
        {
          reason: 'ClusterNotFound',
          message: 'KafkaConnect kafka/my-connect does not exist',
          terminal: false,
        },
      ),
      'Progressing',
      'KafkaConnect kafka/my-connect does not exist',
      'InProgress',
    ),
    s(
      'progressing_creating',
      connectorAt(connector(1), {}),
      'Progressing',
      'the connector is being created',
      'InProgress',
    ),
    s(
      'progressing_noTaskYet',
      connectorAt(connector(1), { connectorStatus: workers('RUNNING') }),
      'Progressing',
      'want RUNNING; connector RUNNING, 0 task(s)',
      'InProgress',
    ),
    s('healthy', running, 'Healthy', 'connector and 1 task(s) running', 'Current'),
    s(
      'progressing_generationNotObserved',
      next({ state: 'paused' }),
      'Progressing',
      'Waiting for the Weir operator: generation 2 not observed yet (status is of generation 1)',
      'InProgress',
    ),
    s(
      'progressing_pausing',
      connectorAt(next({ state: 'paused' }), { connectorStatus: workers('PAUSED', 'RUNNING') }),
      'Progressing',
      'want PAUSED; connector PAUSED, 1 task(s) (RUNNING)',
      'InProgress',
    ),
    s(
      'suspended_paused',
      connectorAt(next({ state: 'paused' }), { connectorStatus: workers('PAUSED', 'PAUSED') }),
      'Suspended',
      'connector and 1 task(s) paused',
      'Current',
    ),
    s(
      'suspended_stopped',
      connectorAt(next({ state: 'stopped' }), { connectorStatus: workers('STOPPED') }),
      'Suspended',
      'connector stopped',
      'Current',
    ),
    s(
      'degraded_taskFailed',
      connectorAt(connector(1), { connectorStatus: workers('RUNNING', 'FAILED') }),
      'Degraded',
      'task 0 failed: org.apache.kafka.connect.errors.ConnectException: /data/test.txt: permission denied',
      'Failed',
    ),
    s(
      'degraded_connectorFailed',
      connectorAt(connector(1), { connectorStatus: workers('FAILED') }),
      'Degraded',
      'connector failed: org.apache.kafka.connect.errors.ConnectException: /data/test.txt: permission denied',
      'Failed',
    ),
    s(
      'progressing_restartScheduled',
      connectorAt(connector(1, { autoRestart: { enabled: true } }), {
        connectorStatus: workers('RUNNING', 'FAILED'),
        restartPending: true,
        autoRestart: { count: 1, lastRestartTimestamp: T0 },
      }),
      'Progressing',
      'task 0 failed: org.apache.kafka.connect.errors.ConnectException: /data/test.txt: permission denied (restart scheduled)',
      'InProgress',
    ),
    s(
      'degraded_namespaceNotAllowed',
      connectorAt(
        connector(1),
        {},
        {
          reason: 'NamespaceNotAllowed',
          message:
            'KafkaConnect kafka/my-connect does not allow connectors from namespace team-a (spec.allowedConnectorNamespaces)',
          terminal: true,
        },
      ),
      'Degraded',
      'KafkaConnect kafka/my-connect does not allow connectors from namespace team-a (spec.allowedConnectorNamespaces)',
      'Failed',
    ),
    s(
      'degraded_invalidSpec',
      connectorAt(connector(1, { config: { 'tasks.max': 4 } }), {}),
      'Degraded',
      'spec.config may not set tasks.max (use metadata.name, spec.class, spec.tasksMax)',
      'Failed',
    ),
    terminating(running),
  ];
}

export function healthScenarios(): { KafkaConnect: HealthScenario[]; KafkaConnector: HealthScenario[] } {
  return { KafkaConnect: connectScenarios(), KafkaConnector: connectorScenarios() };
}
