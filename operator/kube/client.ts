// A small JSON client for the Kubernetes API: any path, any verb, plain JSON in and out. The typed
// clients of @kubernetes/client-node turn timestamps into Date objects on reads but watches deliver
// strings; the operator's caches, applies and leases all go through this one client so every object
// it holds has the API server's own JSON shape. Authentication and TLS come from the KubeConfig.
import {
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a resource is called in the API: `apiVersion`, `kind`, its plural and whether it is namespaced. */
export interface ResourceType {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const t = (apiVersion: string, kind: string, plural: string, namespaced = true): ResourceType => ({
  apiVersion,
  kind,
  plural,
  namespaced,
});

/** The resources the operator reads and writes. Others are found through discovery (`resourceType`). */
export const RESOURCES = {
  ConfigMap: t('v1', 'ConfigMap', 'configmaps'),
  Secret: t('v1', 'Secret', 'secrets'),
  Service: t('v1', 'Service', 'services'),
  ServiceAccount: t('v1', 'ServiceAccount', 'serviceaccounts'),
  Pod: t('v1', 'Pod', 'pods'),
  Namespace: t('v1', 'Namespace', 'namespaces', false),
  Deployment: t('apps/v1', 'Deployment', 'deployments'),
  ReplicaSet: t('apps/v1', 'ReplicaSet', 'replicasets'),
  PodDisruptionBudget: t('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets'),
  NetworkPolicy: t('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies'),
  EndpointSlice: t('discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices'),
  Lease: t('coordination.k8s.io/v1', 'Lease', 'leases'),
  Event: t('events.k8s.io/v1', 'Event', 'events'),
  Role: t('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  RoleBinding: t('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'),
  CustomResourceDefinition: t(
    'apiextensions.k8s.io/v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    false,
  ),
  KafkaConnect: t('weir.dev/v1beta1', 'KafkaConnect', 'kafkaconnects'),
  KafkaConnector: t('weir.dev/v1beta1', 'KafkaConnector', 'kafkaconnectors'),
} as const satisfies Record<string, ResourceType>;

/** `/api/v1/namespaces/ns/pods/name/status`, or without the parts left out. */
export function resourcePath(
  type: ResourceType,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const root = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  const parts = [root];
  if (type.namespaced && namespace) parts.push('namespaces', encodeURIComponent(namespace));
  parts.push(type.plural);
  if (name !== undefined) parts.push(encodeURIComponent(name));
  if (subresource) parts.push(subresource);
  return parts.join('/');
}

/** A failed API call: the HTTP status and the Status object's reason and message when there is one. */
export class KubeApiError extends Error {
  readonly status: number;
  readonly reason: string | undefined;
  readonly body: unknown;
  constructor(status: number, method: string, path: string, body: unknown) {
    const s = body as { message?: string; reason?: string } | undefined;
    const detail = typeof body === 'string' ? body.slice(0, 300) : (s?.message ?? '');
    super(
      `${method} ${path}: HTTP ${status}${s?.reason ? ` ${s.reason}` : ''}${detail ? `: ${detail}` : ''}`,
    );
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = typeof body === 'object' ? s?.reason : undefined;
    this.body = body;
  }
}

const statusOf = (error: unknown): number | undefined => {
  const e = error as { status?: unknown; statusCode?: unknown; code?: unknown } | undefined;
  for (const v of [e?.status, e?.statusCode, e?.code]) if (typeof v === 'number') return v;
  return undefined;
};
export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
export const isConflict = (error: unknown): boolean => statusOf(error) === 409;
/** 410 Gone: a resourceVersion or continue token older than the API server keeps. */
export const isGone = (error: unknown): boolean => statusOf(error) === 410;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** The Accept header; default `application/json`. */
  accept?: string;
  /** Whole-request timeout; default 30 s. */
  timeoutMs?: number;
}

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** Plain-JSON access to the API server of a KubeConfig. */
export class KubeClient {
  readonly kubeConfig: KubeConfig;
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly discovered = new Map<string, ResourceType>();

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
  }

  /** Sends one request; resolves to the parsed JSON body, throws KubeApiError on a non-2xx answer. */
  async request<T = unknown>(method: HttpVerb, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.exchange<T>(method, path, options)).body;
  }

  /** Like `request`, with the HTTP status (201 tells a create by apply from a patch). */
  async exchange<T = unknown>(
    method: HttpVerb,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: T }> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(cluster.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const ctx = new RequestContext(url.toString(), method);
    ctx.setHeaderParam('Accept', options.accept ?? 'application/json');
    if (options.body !== undefined) {
      ctx.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(options.body));
    }
    await this.kubeConfig.applySecurityAuthentication(ctx);
    ctx.setSignal(AbortSignal.timeout(options.timeoutMs ?? 30_000));
    const response = await this.http.send(ctx).toPromise();
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error
    }
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new KubeApiError(response.httpStatusCode, method, url.pathname, parsed);
    }
    return { status: response.httpStatusCode, body: parsed as T };
  }

  /** One page of a list. */
  list<T extends KubernetesObject>(
    type: ResourceType,
    namespace: string | undefined,
    query: RequestOptions['query'] = {},
  ): Promise<ListResult<T>> {
    return this.request<ListResult<T>>('GET', resourcePath(type, namespace), { query });
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubernetesObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', resourcePath(type, namespace, name));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The resource type of `apiVersion`/`kind`: from RESOURCES, else asked of the API server once. */
  async resourceType(apiVersion: string, kind: string): Promise<ResourceType> {
    const known = Object.values(RESOURCES).find((r) => r.apiVersion === apiVersion && r.kind === kind);
    if (known) return known;
    const key = `${apiVersion}/${kind}`;
    const cached = this.discovered.get(key);
    if (cached) return cached;
    const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>(
      'GET',
      root,
    );
    const found = list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    const type = t(apiVersion, kind, found.name, found.namespaced);
    this.discovered.set(key, type);
    return type;
  }
}

/** `namespace/name` (or `name` for cluster-scoped objects). */
export function objectKey(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ''}` : (obj.metadata?.name ?? '');
}
