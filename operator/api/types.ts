// The custom resources Weir's operator serves: KafkaConnect and KafkaConnector, API group weir.dev,
// version v1beta1. Field names follow Strimzi's (strimzi.io/v1beta2) so a migration is a
// search-and-replace of the API group. These types match the CRDs in crds/, which
// operator/api/schema.ts generates; schema.test.ts checks a complete example of each against them.
import type {
  V1Affinity,
  V1EnvVar,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { ConnectorStateInfo, PluginType } from '../../runtime/rest/types.ts';

export const GROUP = 'weir.dev';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** The label linking a KafkaConnector (and every object the operator makes) to its KafkaConnect. */
export const CLUSTER_LABEL = 'weir.dev/cluster';

/** The part of metadata the operator reads (a raw object from the API server fits it). */
export interface ResourceMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  /** RFC 3339; set once the resource is being deleted. */
  deletionTimestamp?: string;
  creationTimestamp?: string;
}

// ---- shared pieces ----

export type ConditionType = 'Ready' | 'Reconciling' | 'Stalled';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** One aspect of the resource's state (kstatus conventions; what Flux and Argo CD read). */
export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  /** CamelCase, machine-readable. */
  reason: string;
  message: string;
  /** RFC 3339; changes only when `status` changes. */
  lastTransitionTime: string;
  /** The metadata.generation this condition was computed from. */
  observedGeneration?: number;
}

// ---- KafkaConnect ----

export interface CertSecretSource {
  /** Secret in the KafkaConnect's namespace. */
  secretName: string;
  /** The key holding one PEM certificate (or bundle). Exactly one of certificate and pattern. */
  certificate?: string;
  /** A glob over the Secret's keys, e.g. `*.crt`. Exactly one of certificate and pattern. */
  pattern?: string;
}

export interface ClientTls {
  /** CA certificates to trust; none → the system's trust store. */
  trustedCertificates?: CertSecretSource[];
}

export interface PasswordSecretSource {
  secretName: string;
  /** The key holding the password. */
  password: string;
}

export interface CertAndKeySecretSource {
  secretName: string;
  /** The key holding the PEM client certificate (chain). */
  certificate: string;
  /** The key holding the PEM private key. */
  key: string;
}

export type AuthenticationType = 'tls' | 'scram-sha-256' | 'scram-sha-512' | 'plain';

export interface ClientAuthentication {
  type: AuthenticationType;
  /** scram-sha-256, scram-sha-512, plain. */
  username?: string;
  /** scram-sha-256, scram-sha-512, plain. */
  passwordSecret?: PasswordSecretSource;
  /** tls. */
  certificateAndKey?: CertAndKeySecretSource;
}

export interface Probe {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

/**
 * The probes' defaults: the CRD defaults each field of a probe that is given, and the model uses the
 * same values for a probe that is not, so both ways of leaving a field out give one result.
 * Readiness is quick because GET /health answers 503 until the worker has joined its group.
 */
export const PROBE_DEFAULTS: Readonly<Record<'readiness' | 'liveness', Required<Probe>>> = {
  readiness: { initialDelaySeconds: 5, timeoutSeconds: 5, periodSeconds: 5, failureThreshold: 3 },
  liveness: { initialDelaySeconds: 60, timeoutSeconds: 5, periodSeconds: 10, failureThreshold: 3 },
};

export interface InlineLogging {
  type: 'inline';
  /** Logger name → level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF); `root` is the root logger. */
  loggers?: Record<string, string>;
}

export interface MetadataTemplate {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PodTemplate {
  metadata?: MetadataTemplate;
  affinity?: V1Affinity;
  tolerations?: V1Toleration[];
  securityContext?: V1PodSecurityContext;
  priorityClassName?: string;
  volumes?: V1Volume[];
  terminationGracePeriodSeconds?: number;
}

export interface ContainerTemplate {
  env?: V1EnvVar[];
  volumeMounts?: V1VolumeMount[];
  securityContext?: V1SecurityContext;
}

export interface KafkaConnectTemplate {
  pod?: PodTemplate;
  connectContainer?: ContainerTemplate;
}

/** Worker property values as users write them in YAML. */
export type ConfigValue = string | number | boolean;

export interface KafkaConnectSpec {
  /** Worker pods; default 3. */
  replicas?: number;
  /** Container image; default: the operator's --worker-image (the chart's workerImage), else weir:<version>. */
  image?: string;
  bootstrapServers: string;
  /** Default `<namespace>.<name>` (see operator/model/connect-cluster.ts). */
  groupId?: string;
  /** Default `<name>-connect-configs`. */
  configStorageTopic?: string;
  /** Default `<name>-connect-offsets`. */
  offsetStorageTopic?: string;
  /** Default `<name>-connect-status`. */
  statusStorageTopic?: string;
  config?: Record<string, ConfigValue>;
  tls?: ClientTls;
  authentication?: ClientAuthentication;
  resources?: V1ResourceRequirements;
  logging?: InlineLogging;
  template?: KafkaConnectTemplate;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  /**
   * Namespaces whose KafkaConnectors may run on this cluster through spec.clusterRef; `*` allows
   * all. The KafkaConnect's own namespace is always allowed.
   */
  allowedConnectorNamespaces?: string[];
}

export interface ConnectorPlugin {
  class: string;
  type: PluginType;
  version?: string;
}

export interface KafkaConnectStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  /** The REST API's in-cluster URL, e.g. http://my-connect-connect-api.ns.svc:8083. */
  url?: string;
  /** Ready worker pods (the scale subresource reads it). */
  replicas?: number;
  /** The worker pods' label selector as a string (the scale subresource reads it). */
  labelSelector?: string;
  connectorPlugins?: ConnectorPlugin[];
}

export interface KafkaConnect {
  apiVersion: typeof API_VERSION;
  kind: 'KafkaConnect';
  metadata: ResourceMeta;
  spec: KafkaConnectSpec;
  status?: KafkaConnectStatus;
}

// ---- KafkaConnector ----

export type ConnectorTargetState = 'running' | 'paused' | 'stopped';

export interface AutoRestart {
  /** Default false. */
  enabled?: boolean;
  /** Restarts before giving up; absent → no limit. */
  maxRestarts?: number;
}

export interface ClusterRef {
  name: string;
  /** Default: the KafkaConnector's namespace. */
  namespace?: string;
}

export interface KafkaConnectorSpec {
  /** connector.class. */
  class: string;
  /** tasks.max; the CRD defaults it to 1. */
  tasksMax?: number;
  config?: Record<string, ConfigValue>;
  /** Default running. */
  state?: ConnectorTargetState;
  autoRestart?: AutoRestart;
  /** The KafkaConnect to run on, instead of the label weir.dev/cluster; may be in another namespace. */
  clusterRef?: ClusterRef;
}

export interface AutoRestartStatus {
  count: number;
  /** RFC 3339. */
  lastRestartTimestamp?: string;
}

export interface KafkaConnectorStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  /** GET /connectors/{name}/status, as the workers answered it. */
  connectorStatus?: ConnectorStateInfo;
  /** The tasks.max in effect (the scale subresource reads it). */
  tasksMax?: number;
  /**
   * The worker pods' selector of the KafkaConnect it runs on (the scale subresource's selector, which
   * an HPA requires; KEDA makes an HPA).
   */
  labelSelector?: string;
  topics?: string[];
  autoRestart?: AutoRestartStatus;
}

export interface KafkaConnector {
  apiVersion: typeof API_VERSION;
  kind: 'KafkaConnector';
  metadata: ResourceMeta;
  spec: KafkaConnectorSpec;
  status?: KafkaConnectorStatus;
}
