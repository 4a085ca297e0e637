// A container's environment as the kubelet builds it: a base (PATH, HOME, HOSTNAME, the API server's
// address), then envFrom, then env with valueFrom and $(VAR) expansion.
import type { V1Container, V1Pod } from '@kubernetes/client-node';

/** Reads ConfigMaps and Secrets of the pod's namespace (Secret values decoded). */
export interface ObjectSource {
  configMap(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  secret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
}

/** A container cannot be configured yet (kubelet: CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

export interface EnvContext {
  pod: V1Pod;
  podIP: string;
  hostIP: string;
  /** PATH for containers that set none: the machine's, with this repository's Node first. */
  path: string;
  apiServer: { host: string; port: number };
  objects: ObjectSource;
}

/** Expands `$(NAME)` from `vars`; `$$` escapes; unknown references stay as written (as kubelet does). */
export function expand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$(\$|\(([A-Za-z_][A-Za-z0-9_.-]*)\))/g, (whole, inner: string, name?: string) => {
    if (inner === '$') return '$';
    return name !== undefined && name in vars ? (vars[name] ?? '') : whole;
  });
}

function fieldValue(pod: V1Pod, path: string, ctx: EnvContext): string {
  const meta = pod.metadata ?? {};
  const labelOrAnnotation = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (labelOrAnnotation) {
    const map = labelOrAnnotation[1] === 'labels' ? meta.labels : meta.annotations;
    return map?.[labelOrAnnotation[2] ?? ''] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP;
    default:
      throw new ContainerConfigError(`fieldRef ${path} is not supported by the local node agent`);
  }
}

async function lookup(
  kind: 'configMap' | 'secret',
  namespace: string,
  name: string,
  ctx: EnvContext,
): Promise<Record<string, string> | undefined> {
  return kind === 'configMap' ? ctx.objects.configMap(namespace, name) : ctx.objects.secret(namespace, name);
}

/** The container's full environment. Throws ContainerConfigError for a missing, non-optional source. */
export async function containerEnv(container: V1Container, ctx: EnvContext): Promise<Record<string, string>> {
  const { pod } = ctx;
  const namespace = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {
    PATH: ctx.path,
    HOME: '/root',
    HOSTNAME: pod.metadata?.name ?? '',
    KUBERNETES_SERVICE_HOST: ctx.apiServer.host,
    KUBERNETES_SERVICE_PORT: String(ctx.apiServer.port),
    KUBERNETES_SERVICE_PORT_HTTPS: String(ctx.apiServer.port),
    KUBERNETES_PORT: `tcp://${ctx.apiServer.host}:${ctx.apiServer.port}`,
  };
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'configMap' : 'secret';
    if (!ref?.name) continue;
    const data = await lookup(kind, namespace, ref.name, ctx);
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${kind} "${ref.name}" not found`);
    }
    for (const [key, value] of Object.entries(data)) env[`${from.prefix ?? ''}${key}`] = value;
  }
  for (const item of container.env ?? []) {
    const source = item.valueFrom;
    if (!source) {
      env[item.name] = expand(item.value ?? '', env);
      continue;
    }
    if (source.fieldRef) {
      env[item.name] = fieldValue(pod, source.fieldRef.fieldPath, ctx);
      continue;
    }
    const keyRef = source.configMapKeyRef ?? source.secretKeyRef;
    if (keyRef) {
      const kind = source.configMapKeyRef ? 'configMap' : 'secret';
      const data = await lookup(kind, namespace, keyRef.name ?? '', ctx);
      const value = data?.[keyRef.key];
      if (value === undefined) {
        if (keyRef.optional) continue;
        throw new ContainerConfigError(
          `${kind} "${keyRef.name}" has no key "${keyRef.key}" (or does not exist)`,
        );
      }
      env[item.name] = value;
      continue;
    }
    throw new ContainerConfigError(
      `env ${item.name}: resourceFieldRef is not supported by the local node agent`,
    );
  }
  return env;
}
