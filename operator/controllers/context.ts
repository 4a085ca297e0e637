// What the controllers share: the API client, the informers' caches, the event recorder, the
// operator's settings, and the way to reach one KafkaConnect's workers (ready pod IPs + admin token).
import type { KubernetesObject, V1Deployment, V1Pod, V1Secret } from '@kubernetes/client-node';
import type { KafkaConnect, KafkaConnector } from '../api/types.ts';
import { CLUSTER_LABEL } from '../api/types.ts';
import { RESOURCES, type KubeClient } from '../kube/client.ts';
import type { Informer } from '../kube/informer.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { OperatorSettings } from '../model/connect-cluster.ts';
import { ADMIN_TOKEN_KEY, connectNames, REST_PORT } from '../model/names.ts';
import { ConnectClient, type ConnectClientOptions } from '../connect-client.ts';

/** A custom resource as the Kubernetes machinery holds it. */
export type Cached<T> = T & KubernetesObject;

export interface Informers {
  connects: Informer<Cached<KafkaConnect>>;
  connectors: Informer<Cached<KafkaConnector>>;
  deployments: Informer<V1Deployment>;
  pods: Informer<V1Pod>;
  /** Secrets' metadata only (names and resourceVersions: what the config hash needs). */
  secrets: Informer<KubernetesObject>;
}

export interface ControllerContext {
  client: KubeClient;
  informers: Informers;
  events: EventRecorder;
  settings: OperatorSettings;
  clusters: ClusterAccess;
}

/** `namespace/name`. */
export const keyOf = (o: { metadata?: { namespace?: string; name?: string } }): string =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const isPodReady = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' &&
  !pod.metadata?.deletionTimestamp &&
  !!pod.status.podIP &&
  (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** The worker id (`<podIP>:8083`) a pod's worker advertises. */
export const workerId = (pod: V1Pod): string | undefined =>
  pod.status?.podIP ? `${pod.status.podIP}:${REST_PORT}` : undefined;

/** Reaches each KafkaConnect's workers: ready pods from the pod informer, the admin token from its Secret. */
export class ClusterAccess {
  private readonly tokens = new Map<string, string>();
  private readonly client: KubeClient;
  private readonly pods: Informer<V1Pod>;
  private readonly onRequest: ConnectClientOptions['onRequest'];

  constructor(client: KubeClient, pods: Informer<V1Pod>, onRequest?: ConnectClientOptions['onRequest']) {
    this.client = client;
    this.pods = pods;
    this.onRequest = onRequest;
  }

  /** The cluster's worker pods (any state). */
  workerPods(clusterKey: string): V1Pod[] {
    const { namespace, name } = splitKey(clusterKey);
    return this.pods.list(namespace).filter((p) => p.metadata?.labels?.[CLUSTER_LABEL] === name);
  }

  /** `ip:8083` of each ready worker, in a rotating order so the load spreads. */
  endpoints(clusterKey: string, exclude?: string): string[] {
    const ids = this.workerPods(clusterKey)
      .filter(isPodReady)
      .map(workerId)
      .filter((id): id is string => !!id && id !== exclude);
    const shift = ids.length > 0 ? Math.floor(Math.random() * ids.length) : 0;
    return [...ids.slice(shift), ...ids.slice(0, shift)];
  }

  /** Remembers the token read from (or written to) the credentials Secret. */
  setToken(clusterKey: string, token: string): void {
    this.tokens.set(clusterKey, token);
  }

  forget(clusterKey: string): void {
    this.tokens.delete(clusterKey);
  }

  async token(clusterKey: string): Promise<string | undefined> {
    const known = this.tokens.get(clusterKey);
    if (known) return known;
    const { namespace, name } = splitKey(clusterKey);
    const secret = await this.client.get<V1Secret>(
      RESOURCES.Secret,
      namespace,
      connectNames(name).credentials,
    );
    const data = secret?.data?.[ADMIN_TOKEN_KEY];
    if (!data) return undefined;
    const token = Buffer.from(data, 'base64').toString('utf8');
    this.tokens.set(clusterKey, token);
    return token;
  }

  /** A REST client for the cluster's ready workers (optionally leaving one out). */
  async rest(clusterKey: string, exclude?: string): Promise<ConnectClient> {
    return new ConnectClient(() => this.endpoints(clusterKey, exclude), await this.clientOptions(clusterKey));
  }

  /** A REST client for one worker (`ip:8083`) only: for what each worker holds for itself (log levels). */
  async restTo(
    clusterKey: string,
    endpoint: string,
    timeouts: Pick<ConnectClientOptions, 'connectTimeoutMs' | 'requestTimeoutMs'> = {},
  ): Promise<ConnectClient> {
    return new ConnectClient([endpoint], { ...(await this.clientOptions(clusterKey)), ...timeouts });
  }

  private async clientOptions(clusterKey: string): Promise<ConnectClientOptions> {
    const token = await this.token(clusterKey);
    return { ...(token ? { token } : {}), ...(this.onRequest ? { onRequest: this.onRequest } : {}) };
  }
}
