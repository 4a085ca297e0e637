// The test bed of `npm run bench -- operator`: the local cluster (started, or built first, when it
// does not run), the CRDs, a broker the pods reach (`hostAddressForPods()`), `weir operator` as a
// process on this machine scoped to the bench's own namespaces (e2e/operator-process.ts), and the
// workers' REST API at their pod IPs with the admin token.
import { join } from 'node:path';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import { RESOURCES, resourcePath, type KubeClient } from '../operator/kube/client.ts';
import { hostAddressForPods, startCluster } from '../e2e/cluster/cluster.ts';
import { eventually, isReady, kube, type Kube } from '../e2e/kube.ts';
import { applyCrds, kubeClient, OperatorProcess } from '../e2e/operator-process.ts';
import { startBroker, type BrokerState } from '../tools/kafka/testbed.ts';

export type Kind = 'KafkaConnect' | 'KafkaConnector';
export type Resource<K extends Kind> = (K extends 'KafkaConnect' ? KafkaConnect : KafkaConnector) &
  KubernetesObject;

export interface BenchEnv {
  kubeconfig: string;
  client: KubeClient;
  k: Kube;
  broker: BrokerState;
  /** Folder for the broker and the operators' logs (under .weir/: pods mount an emptyDir at /tmp). */
  work: string;
  log: (line: string) => void;
}

/** The tool connector every KafkaConnector of the bench runs: numbered records at a set rate. */
export const SOURCE_CLASS = 'org.apache.kafka.connect.tools.VerifiableSourceConnector';

export async function startEnv(work: string, log: (line: string) => void): Promise<BenchEnv> {
  const cluster = await startCluster({ log });
  applyCrds(cluster.kubeconfig);
  const broker = await startBroker({ dir: join(work, 'kafka'), host: hostAddressForPods() });
  return {
    kubeconfig: cluster.kubeconfig,
    client: kubeClient(cluster.kubeconfig),
    k: kube(cluster.kubeconfig),
    broker,
    work,
    log,
  };
}

export const path = (kind: Kind, namespace: string, name?: string): string =>
  resourcePath(RESOURCES[kind], namespace, name);

export async function list<K extends Kind>(
  env: BenchEnv,
  kind: K,
  namespace: string,
): Promise<Resource<K>[]> {
  return (await env.client.request<{ items: Resource<K>[] }>('GET', path(kind, namespace))).items;
}

export const isReadyResource = (o: {
  status?: { conditions?: { type: string; status: string }[] };
}): boolean => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export async function createConnect(
  env: BenchEnv,
  namespace: string,
  name: string,
  replicas: number,
): Promise<void> {
  const body: KafkaConnect = {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnect',
    metadata: { name, namespace },
    spec: {
      replicas,
      bootstrapServers: env.broker.bootstrap,
      config: { 'offset.flush.interval.ms': 10_000 },
    },
  };
  await env.client.request('POST', path('KafkaConnect', namespace), { body });
}

/** A VerifiableSource of one task writing `throughput` records a second to `topic`. */
export async function createConnector(
  env: BenchEnv,
  namespace: string,
  cluster: string,
  name: string,
  topic: string,
): Promise<void> {
  const body: KafkaConnector = {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnector',
    metadata: { name, namespace, labels: { 'weir.dev/cluster': cluster } },
    spec: { class: SOURCE_CLASS, tasksMax: 1, config: { topic, throughput: 1 } },
  };
  await env.client.request('POST', path('KafkaConnector', namespace), { body });
}

/** Deletes every KafkaConnector (the operator must run: their finalizer), then strips what is left. */
export async function deleteConnectors(env: BenchEnv, namespace: string, timeoutMs = 120_000): Promise<void> {
  await env.client.request('DELETE', path('KafkaConnector', namespace)).catch(() => {});
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await list(env, 'KafkaConnector', namespace)).length === 0) return;
    await sleep(500);
  }
  for (const o of await list(env, 'KafkaConnector', namespace)) {
    await env.client
      .request('PATCH', path('KafkaConnector', namespace, o.metadata.name), {
        body: { metadata: { finalizers: null } },
        contentType: 'application/merge-patch+json',
      })
      .catch(() => {});
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** e2e's polling helper, with the bench's own interval. */
export const until = <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
) => eventually(what, probe, timeoutMs, everyMs);

/** The workers of one KafkaConnect, reached as the operator reaches them. */
export class Workers {
  private token: string | undefined;
  private readonly env: BenchEnv;
  readonly namespace: string;
  readonly cluster: string;

  constructor(env: BenchEnv, namespace: string, cluster: string) {
    this.env = env;
    this.namespace = namespace;
    this.cluster = cluster;
  }

  async pods(): Promise<V1Pod[]> {
    const res = await this.env.k.core.listNamespacedPod({
      namespace: this.namespace,
      labelSelector: `weir.dev/cluster=${this.cluster}`,
    });
    return res.items;
  }

  async readyIps(): Promise<string[]> {
    return (await this.pods()).filter(isReady).map((p) => p.status!.podIP!);
  }

  /** One call to the worker at `ip`. */
  async callOne<T>(
    ip: string,
    method: string,
    urlPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    this.token ??= await this.readToken();
    const res = await fetch(`http://${ip}:8083${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** One call to the first ready worker (other than `excludeIp`) that answers. */
  async call<T>(method: string, urlPath: string, excludeIp?: string): Promise<T> {
    let last: unknown;
    for (const ip of await this.readyIps()) {
      if (ip === excludeIp) continue;
      try {
        const res = await this.callOne<T>(ip, method, urlPath);
        if (res.status < 300) return res.body;
        last = new Error(`${method} ${urlPath} on ${ip}: ${res.status} ${JSON.stringify(res.body)}`);
      } catch (error) {
        last = error;
      }
    }
    throw new Error(`no worker of ${this.namespace}/${this.cluster} answered: ${String(last)}`);
  }

  private async readToken(): Promise<string> {
    const secret = await this.env.k.core.readNamespacedSecret({
      name: `${this.cluster}-connect-credentials`,
      namespace: this.namespace,
    });
    return Buffer.from(secret.data?.['admin-token'] ?? '', 'base64').toString('utf8');
  }
}

/** The operator for `namespaces`, its log in the bench's folder. */
export const startOperator = (
  env: BenchEnv,
  namespaces: string[],
  identity: string,
): Promise<OperatorProcess> =>
  OperatorProcess.start({
    kubeconfig: env.kubeconfig,
    namespaces,
    identity,
    logFile: join(env.work, `${identity}.log`),
  });
