// The operator as users install it: the Helm chart (charts/weir) released into a test namespace,
// watching only that namespace (other operators may run on the shared cluster), with the e2e image.
// Also what tests ask of the release: its pods, the Lease holder, each pod's leader metric, logs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../operator/kube/client.ts';
import { RESOURCES } from '../operator/kube/client.ts';
import { CHART_DIR, ensureHelm, runHelm } from '../tools/helm.ts';
import { binary } from './cluster/build.ts';
import { DEFAULT_CLUSTER_DIR, kubeconfigPath } from './cluster/cluster.ts';
import { KIND_KUBECONFIG } from './kind.ts';
import { eventually, isReady, type Kube } from './kube.ts';

export const RELEASE = 'weir';
/** The chart's operator pods carry this label (the workers' NetworkPolicy admits it). */
export const OPERATOR_SELECTOR = 'app.kubernetes.io/name=weir-operator';
export const LEASE = 'weir-operator';

export interface OperatorRelease {
  helm: string;
  kubeconfig: string;
  namespace: string;
}

/** `weir:e2e` → `--set image.repository=weir,image.tag=e2e`. */
export function imageValues(image: string): string[] {
  const at = image.lastIndexOf(':');
  return ['--set', `image.repository=${image.slice(0, at)},image.tag=${image.slice(at + 1)}`];
}

/**
 * `helm install` of the chart into `namespace`, watching only it. The admission policies are
 * cluster-wide and shared by every test on the cluster, so tests apply them from crds/ instead. The
 * image is never pulled: kind has it loaded (`kind load`), the local node agent ignores images.
 */
export async function installOperator(o: {
  kubeconfig: string;
  namespace: string;
  image: string;
  extraArgs?: string[];
}): Promise<OperatorRelease> {
  const helm = await ensureHelm();
  const result = runHelm(helm, [
    'install',
    RELEASE,
    CHART_DIR,
    '--kubeconfig',
    o.kubeconfig,
    '--namespace',
    o.namespace,
    ...imageValues(o.image),
    ...['--set', 'image.pullPolicy=Never'],
    '--set',
    `watchNamespaces={${o.namespace}},admissionPolicies.enabled=false,logLevel=DEBUG`,
    ...(o.extraArgs ?? []),
  ]);
  if (result.status !== 0) throw new Error(`helm install failed:\n${result.stderr}`);
  return { helm, kubeconfig: o.kubeconfig, namespace: o.namespace };
}

/**
 * `helm uninstall`, deleting in the foreground and waiting until every object of the chart is gone
 * (the Deployment only goes after its pods); true when there was a release to remove. The wait is
 * Helm's polling one (`--wait=legacy`): the default watcher's delete wait can stop once the objects
 * it has heard about are gone, and then fails on an event for one still terminating that arrives
 * after (helm/helm#31651, #31766).
 */
export function uninstallOperator(r: OperatorRelease): boolean {
  const result = runHelm(r.helm, [
    'uninstall',
    RELEASE,
    '--kubeconfig',
    r.kubeconfig,
    '--namespace',
    r.namespace,
    '--cascade',
    'foreground',
    '--wait=legacy',
    '--timeout',
    '90s',
  ]);
  if (result.status !== 0 && !/not found/.test(result.stderr)) {
    throw new Error(`helm uninstall failed:\n${result.stderr}`);
  }
  return result.status === 0;
}

/** What the chart makes in the release namespace (RBAC too: the tests watch only that namespace). */
const CHART_TYPES = [
  RESOURCES.Deployment,
  RESOURCES.ServiceAccount,
  RESOURCES.Service,
  RESOURCES.Role,
  RESOURCES.RoleBinding,
  RESOURCES.PodDisruptionBudget,
];
/** What the cluster makes of them, labelled alike: the Deployment's ReplicaSets and pods, the Service's slices. */
const DERIVED_TYPES = [RESOURCES.ReplicaSet, RESOURCES.Pod, RESOURCES.EndpointSlice];

export interface ReleaseObject {
  kind: string;
  name: string;
  /** Its deletion has begun (a deletionTimestamp): it waits for finalizers or dependents. */
  deleting: boolean;
}

/**
 * The objects labelled as the release's in `namespace`: the chart's own (`'chart'`), or those and
 * what the cluster made of them (`'all'`).
 */
export async function releaseObjects(
  client: KubeClient,
  namespace: string,
  which: 'chart' | 'all' = 'all',
): Promise<ReleaseObject[]> {
  const types = which === 'chart' ? CHART_TYPES : [...CHART_TYPES, ...DERIVED_TYPES];
  const query = { labelSelector: `app.kubernetes.io/instance=${RELEASE}` };
  const lists = await Promise.all(
    types.map(async (type) => {
      const list = await client.list(type, namespace, query);
      return list.items.map((o) => ({
        kind: type.kind,
        name: o.metadata?.name ?? '',
        deleting: Boolean(o.metadata?.deletionTimestamp),
      }));
    }),
  );
  return lists.flat();
}

export async function operatorPods(k: Kube, namespace: string): Promise<V1Pod[]> {
  const list = await k.core.listNamespacedPod({ namespace, labelSelector: OPERATOR_SELECTOR });
  return list.items;
}

/** The Lease's holder (the chart makes each replica's identity its pod name). */
export async function leaseHolder(client: KubeClient, namespace: string): Promise<string | undefined> {
  const lease = await client.get<{ spec?: { holderIdentity?: string } } & { metadata?: object }>(
    RESOURCES.Lease,
    namespace,
    LEASE,
  );
  return lease?.spec?.holderIdentity || undefined;
}

/** `weir_operator_leader` as the pod's /metrics reports it (1 leading, 0 standing by). */
export async function leaderMetric(pod: V1Pod): Promise<number> {
  const res = await fetch(`http://${pod.status?.podIP}:8080/metrics`, { signal: AbortSignal.timeout(3000) });
  const line = (await res.text()).split('\n').find((l) => l.startsWith('weir_operator_leader '));
  if (!line) throw new Error(`${pod.metadata?.name}: no weir_operator_leader in /metrics`);
  return Number(line.split(' ')[1]);
}

/** Waits until `replicas` operator pods are ready and the Lease is held by one of them. */
export async function waitForOperator(
  k: Kube,
  client: KubeClient,
  namespace: string,
  replicas = 2,
  timeoutMs = 90_000,
): Promise<{ pods: V1Pod[]; leader: string }> {
  return eventually(
    `${replicas} operator pods ready, one of them holding the Lease`,
    async () => {
      const pods = (await operatorPods(k, namespace)).filter(isReady);
      const leader = await leaseHolder(client, namespace);
      return pods.length === replicas && leader && pods.some((p) => p.metadata?.name === leader)
        ? { pods, leader }
        : undefined;
    },
    timeoutMs,
  );
}

/**
 * The last lines of a pod container's log, its earlier runs included: on the local cluster from the
 * file the node agent appends to under the cluster's folder while the pod exists; on kind from
 * `kubectl logs` (the previous run's, then the current run's).
 */
export function podLog(kubeconfig: string, pod: V1Pod, container = 'operator', lines = 40): string {
  if (kubeconfig === KIND_KUBECONFIG) return kubectlLogs(kubeconfig, pod, container, lines);
  const clusterDir = kubeconfig === kubeconfigPath() ? DEFAULT_CLUSTER_DIR : dirname(kubeconfig);
  const file = join(clusterDir, 'node', 'pods', pod.metadata?.uid ?? '', 'logs', `${container}.log`);
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function kubectlLogs(kubeconfig: string, pod: V1Pod, container: string, lines: number): string {
  const run = (previous: boolean): string => {
    const result = spawnSync(
      binary('kubectl'),
      [
        ...[
          '--kubeconfig',
          kubeconfig,
          '-n',
          pod.metadata?.namespace ?? '',
          'logs',
          pod.metadata?.name ?? '',
        ],
        ...['-c', container, `--tail=${Number.isFinite(lines) ? lines : -1}`],
        ...(previous ? ['--previous'] : []),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    return result.status === 0 ? result.stdout.trimEnd() : ''; // no earlier run, or the pod is gone
  };
  const text = [run(true), run(false)].filter(Boolean).join('\n');
  return text.split('\n').slice(-lines).join('\n');
}
