// Names, labels and paths of everything the operator makes for a KafkaConnect. Stable: renaming
// any of these orphans objects in running clusters.
//
//   <name>-connect               Deployment, PodDisruptionBudget, NetworkPolicy, ServiceAccount
//   <name>-connect-config        ConfigMap (worker.properties, log4j.properties)
//   <name>-connect-api           Service (REST, port 8083)
//   <name>-connect-credentials   Secret (admin-token, rest-token)
import type { V1OwnerReference } from '../api/kube-types.ts';
import { API_VERSION, CLUSTER_LABEL, type KafkaConnect } from '../api/types.ts';

export const REST_PORT = 8083;
export const REST_PORT_NAME = 'rest';
/** The workers' Prometheus endpoint (weir.metrics.port): Strimzi's metrics port. */
export const METRICS_PORT = 9404;
export const METRICS_PORT_NAME = 'metrics';
export const CONTAINER_NAME = 'connect';

export const CONFIG_DIR = '/etc/weir/config';
export const WORKER_PROPERTIES = 'worker.properties';
export const LOG_PROPERTIES = 'log4j.properties';
export const TRUSTED_DIR = '/etc/weir/tls/trusted';
export const CLIENT_CERT_DIR = '/etc/weir/tls/client';
export const SASL_DIR = '/etc/weir/secrets/sasl';

export const ADMIN_TOKEN_KEY = 'admin-token';
export const REST_TOKEN_KEY = 'rest-token';

export const CONFIG_HASH_ANNOTATION = 'weir.dev/config-hash';
export const KIND_LABEL = 'weir.dev/kind';
export const MANAGED_BY = 'weir-operator';

export const connectNames = (name: string) => ({
  deployment: `${name}-connect`,
  podDisruptionBudget: `${name}-connect`,
  networkPolicy: `${name}-connect`,
  serviceAccount: `${name}-connect`,
  configMap: `${name}-connect-config`,
  service: `${name}-connect-api`,
  credentials: `${name}-connect-credentials`,
});

/** The worker pods' selector: immutable in a Deployment, so only the two labels that never change. */
export function selectorLabels(kc: KafkaConnect): Record<string, string> {
  return workerSelectorLabels(kc.metadata.name);
}

const workerSelectorLabels = (connectName: string): Record<string, string> => ({
  [CLUSTER_LABEL]: connectName,
  [KIND_LABEL]: 'KafkaConnect',
});

/** The selector as a string, for status.labelSelector (the scale subresource). */
export function labelSelectorString(kc: KafkaConnect): string {
  return workerSelectorString(kc.metadata.name);
}

/** The worker pods' selector of the KafkaConnect `connectName`, as a string (a KafkaConnector's scale). */
export function workerSelectorString(connectName: string): string {
  return Object.entries(workerSelectorLabels(connectName))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Labels on every object made for the KafkaConnect. */
export function connectLabels(kc: KafkaConnect): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kafka-connect',
    'app.kubernetes.io/instance': kc.metadata.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': 'weir',
    ...selectorLabels(kc),
  };
}

export function namespaceOf(resource: { metadata: { namespace?: string } }): string {
  return resource.metadata.namespace ?? 'default';
}

/** The REST API's in-cluster URL (status.url). */
export function restUrl(kc: KafkaConnect): string {
  return `http://${connectNames(kc.metadata.name).service}.${namespaceOf(kc)}.svc:${REST_PORT}`;
}

export function ownerReference(kc: KafkaConnect): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: 'KafkaConnect',
    name: kc.metadata.name,
    uid: kc.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
