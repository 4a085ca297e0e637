// The worker pod of a KafkaConnect: one container running `weir connect-distributed` on the
// generated worker.properties, restricted-Pod-Security friendly by default.
//
// Environment the runtime reads: WEIR_POD_IP (rest.advertised.host.name=${env:WEIR_POD_IP}),
// WEIR_ADMIN_TOKEN (admin endpoints), WEIR_REST_TOKEN (bearer token every REST call but /health
// must carry), WEIR_LOG_FORMAT, WEIR_LOG_CONFIG (log4j.properties: root and per-logger levels; not
// in the pod template, so a level change never rolls the workers).
import type {
  V1Container,
  V1EnvVar,
  V1PodSpec,
  V1Probe,
  V1Volume,
  V1VolumeMount,
} from '../api/kube-types.ts';
import { PROBE_DEFAULTS, type KafkaConnect, type Probe } from '../api/types.ts';
import {
  ADMIN_TOKEN_KEY,
  CLIENT_CERT_DIR,
  CONFIG_DIR,
  connectNames,
  CONTAINER_NAME,
  LOG_PROPERTIES,
  METRICS_PORT,
  METRICS_PORT_NAME,
  REST_PORT,
  REST_PORT_NAME,
  REST_TOKEN_KEY,
  SASL_DIR,
  TRUSTED_DIR,
  WORKER_PROPERTIES,
} from './names.ts';
import { trustedSecretNames, userVolumeMounts, userVolumes } from './mounted-folders.ts';
import { POD_IP_ENV, taskShutdownTimeoutMs } from './worker-properties.ts';
import type { OperatorSettings } from './connect-cluster.ts';

/** Time a stopping worker has beyond task.shutdown.graceful.timeout.ms (leave the group, flush). */
export const SHUTDOWN_MARGIN_SECONDS = 30;
export const MIN_GRACE_SECONDS = 60;
const NON_ROOT_UID = 1000;

export function terminationGracePeriodSeconds(kc: KafkaConnect): number {
  const fromTemplate = kc.spec.template?.pod?.terminationGracePeriodSeconds;
  if (fromTemplate !== undefined) return fromTemplate;
  return Math.max(MIN_GRACE_SECONDS, Math.ceil(taskShutdownTimeoutMs(kc) / 1000) + SHUTDOWN_MARGIN_SECONDS);
}

function probe(p: Probe | undefined, defaults: Required<Probe>): V1Probe {
  return {
    httpGet: { path: '/health', port: REST_PORT_NAME, scheme: 'HTTP' },
    initialDelaySeconds: p?.initialDelaySeconds ?? defaults.initialDelaySeconds,
    timeoutSeconds: p?.timeoutSeconds ?? defaults.timeoutSeconds,
    periodSeconds: p?.periodSeconds ?? defaults.periodSeconds,
    failureThreshold: p?.failureThreshold ?? defaults.failureThreshold,
  };
}

/** Secret volumes and mounts for TLS and SASL credentials, one per Secret, read-only. */
export function credentialVolumes(kc: KafkaConnect): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  const add = (
    name: string,
    secretName: string,
    mountPath: string,
    items?: { key: string; path: string }[],
  ) => {
    volumes.push({ name, secret: { secretName, defaultMode: 0o440, ...(items ? { items } : {}) } });
    mounts.push({ name, mountPath, readOnly: true });
  };
  trustedSecretNames(kc).forEach((secretName, i) =>
    add(`weir-trusted-${i}`, secretName, `${TRUSTED_DIR}/${secretName}`),
  );
  const auth = kc.spec.authentication;
  if (auth?.type === 'tls' && auth.certificateAndKey) {
    add('weir-client-cert', auth.certificateAndKey.secretName, CLIENT_CERT_DIR);
  } else if (auth?.passwordSecret) {
    add('weir-sasl', auth.passwordSecret.secretName, SASL_DIR, [
      { key: auth.passwordSecret.password, path: 'password' },
    ]);
  }
  return { volumes, mounts };
}

/** A Secret the pods mount or read; an optional one may be missing (the pods start without it). */
export interface SecretReference {
  name: string;
  optional: boolean;
}

/**
 * The Secrets the pods mount or read, once each: trusted certificates, client certificate, SASL
 * password, Secret volumes (also inside projected ones) and `secretKeyRef` env of `spec.template`,
 * and the credentials Secret. Their versions go into the config hash, and a change to any of them
 * reaches the operator through its Secret watch.
 */
export function secretReferences(kc: KafkaConnect): SecretReference[] {
  const found = new Map<string, boolean>();
  const add = (name: string | undefined, optional = false) => {
    if (name) found.set(name, (found.get(name) ?? true) && optional);
  };
  for (const v of credentialVolumes(kc).volumes) add(v.secret?.secretName);
  for (const v of kc.spec.template?.pod?.volumes ?? []) {
    if (v.name.startsWith('weir-')) continue; // dropped from the pod (connectPodSpec)
    add(v.secret?.secretName, v.secret?.optional === true);
    for (const source of v.projected?.sources ?? [])
      add(source.secret?.name, source.secret?.optional === true);
  }
  for (const e of kc.spec.template?.connectContainer?.env ?? []) {
    if (e.name.startsWith('WEIR_')) continue; // dropped from the pod (env)
    add(e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.optional === true);
  }
  add(connectNames(kc.metadata.name).credentials);
  return [...found].map(([name, optional]) => ({ name, optional }));
}

/** Names of the Secrets the pods mount or read (secretReferences). */
export function referencedSecrets(kc: KafkaConnect): string[] {
  return secretReferences(kc).map((r) => r.name);
}

function env(kc: KafkaConnect): V1EnvVar[] {
  const credentials = connectNames(kc.metadata.name).credentials;
  const own: V1EnvVar[] = [
    { name: POD_IP_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    { name: 'WEIR_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'WEIR_ADMIN_TOKEN', valueFrom: { secretKeyRef: { name: credentials, key: ADMIN_TOKEN_KEY } } },
    { name: 'WEIR_REST_TOKEN', valueFrom: { secretKeyRef: { name: credentials, key: REST_TOKEN_KEY } } },
    { name: 'WEIR_LOG_FORMAT', value: 'json' },
    { name: 'WEIR_LOG_CONFIG', value: `${CONFIG_DIR}/${LOG_PROPERTIES}` },
  ];
  const user = (kc.spec.template?.connectContainer?.env ?? []).filter((e) => !e.name.startsWith('WEIR_'));
  return [...own, ...user];
}

export function connectContainer(kc: KafkaConnect, settings: OperatorSettings): V1Container {
  const container = kc.spec.template?.connectContainer;
  return {
    name: CONTAINER_NAME,
    image: kc.spec.image ?? settings.defaultImage,
    ...(settings.imagePullPolicy ? { imagePullPolicy: settings.imagePullPolicy } : {}),
    args: ['connect-distributed', `${CONFIG_DIR}/${WORKER_PROPERTIES}`],
    ports: [
      { name: REST_PORT_NAME, containerPort: REST_PORT, protocol: 'TCP' },
      { name: METRICS_PORT_NAME, containerPort: METRICS_PORT, protocol: 'TCP' },
    ],
    env: env(kc),
    // A worker that exits at start says why in its last log lines; they become the termination
    // message, which the operator puts in the KafkaConnect's status (model/worker-failures.ts).
    terminationMessagePolicy: 'FallbackToLogsOnError',
    ...(kc.spec.resources ? { resources: kc.spec.resources } : {}),
    readinessProbe: probe(kc.spec.readinessProbe, PROBE_DEFAULTS.readiness),
    livenessProbe: probe(kc.spec.livenessProbe, PROBE_DEFAULTS.liveness),
    volumeMounts: [
      { name: 'weir-config', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'weir-tmp', mountPath: '/tmp' },
      ...credentialVolumes(kc).mounts,
      ...userVolumeMounts(kc),
    ],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      ...(container?.securityContext ?? {}),
    },
  };
}

export function connectPodSpec(kc: KafkaConnect, settings: OperatorSettings): V1PodSpec {
  const pod = kc.spec.template?.pod;
  return {
    serviceAccountName: connectNames(kc.metadata.name).serviceAccount,
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: terminationGracePeriodSeconds(kc),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NON_ROOT_UID,
      runAsGroup: NON_ROOT_UID,
      fsGroup: NON_ROOT_UID,
      seccompProfile: { type: 'RuntimeDefault' },
      ...(pod?.securityContext ?? {}),
    },
    ...(pod?.affinity ? { affinity: pod.affinity } : {}),
    ...(pod?.tolerations ? { tolerations: pod.tolerations } : {}),
    ...(pod?.priorityClassName ? { priorityClassName: pod.priorityClassName } : {}),
    containers: [connectContainer(kc, settings)],
    volumes: [
      { name: 'weir-config', configMap: { name: connectNames(kc.metadata.name).configMap } },
      { name: 'weir-tmp', emptyDir: { sizeLimit: '256Mi' } },
      ...credentialVolumes(kc).volumes,
      ...userVolumes(kc),
    ],
  };
}
