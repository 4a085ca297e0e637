// Example resources for tests: a minimal and a complete one of each kind (every field set), typed
// by operator/api/types.ts, so the schema tests can check types and CRDs describe the same fields.
// The complete ones set every field, so they break cross-field rules (both SASL and tls credentials).
import type { KafkaConnect, KafkaConnector } from '../types.ts';

export function minimalKafkaConnect(name = 'my-connect', namespace = 'kafka'): KafkaConnect {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnect',
    metadata: { name, namespace, uid: 'uid-1', generation: 1 },
    spec: { bootstrapServers: 'broker:9092' },
  };
}

export function fullKafkaConnect(): KafkaConnect {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnect',
    metadata: { name: 'my-connect', namespace: 'kafka', uid: 'uid-1', generation: 4 },
    spec: {
      replicas: 2,
      image: 'registry.example/weir:0.2.0',
      bootstrapServers: 'broker-0:9093,broker-1:9093',
      groupId: 'connect-cluster',
      configStorageTopic: 'connect-configs',
      offsetStorageTopic: 'connect-offsets',
      statusStorageTopic: 'connect-status',
      config: {
        'offset.flush.interval.ms': 10000,
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter.schemas.enable': false,
        'config.storage.replication.factor': 1,
      },
      tls: {
        trustedCertificates: [
          { secretName: 'cluster-ca', certificate: 'ca.crt' },
          { secretName: 'other-cas', pattern: '*.crt' },
        ],
      },
      authentication: {
        type: 'scram-sha-512',
        username: 'connect',
        passwordSecret: { secretName: 'connect-user', password: 'password' },
        certificateAndKey: { secretName: 'connect-cert', certificate: 'tls.crt', key: 'tls.key' },
      },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      logging: {
        type: 'inline',
        loggers: { root: 'INFO', 'org.apache.kafka.connect.runtime.Worker': 'DEBUG' },
      },
      template: {
        pod: {
          metadata: { labels: { team: 'data' }, annotations: { 'example.com/owner': 'data' } },
          affinity: { nodeAffinity: {} },
          tolerations: [
            { key: 'dedicated', operator: 'Equal', value: 'kafka', effect: 'NoSchedule' },
            {
              key: 'node.kubernetes.io/unreachable',
              operator: 'Exists',
              effect: 'NoExecute',
              tolerationSeconds: 30,
            },
          ],
          securityContext: { fsGroup: 1000 },
          priorityClassName: 'high',
          volumes: [{ name: 'data', hostPath: { path: '/data' } }],
          terminationGracePeriodSeconds: 90,
        },
        connectContainer: {
          env: [
            { name: 'TZ', value: 'UTC' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          ],
          volumeMounts: [
            { name: 'data', mountPath: '/data' },
            {
              name: 'data',
              mountPath: '/config',
              readOnly: true,
              subPath: 'config',
              mountPropagation: 'None',
            },
            {
              name: 'data',
              mountPath: '/pods',
              subPathExpr: '$(WEIR_POD_NAME)',
              recursiveReadOnly: 'Disabled',
            },
          ],
          securityContext: { runAsUser: 1001 },
        },
      },
      livenessProbe: { initialDelaySeconds: 30, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 5 },
      readinessProbe: { initialDelaySeconds: 5, timeoutSeconds: 3, periodSeconds: 5, failureThreshold: 3 },
      allowedConnectorNamespaces: ['team-a', 'team-b'],
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Available',
          message: '2/2 workers ready',
          lastTransitionTime: '2026-01-01T00:00:00Z',
          observedGeneration: 4,
        },
      ],
      observedGeneration: 4,
      url: 'http://my-connect-connect-api.kafka.svc:8083',
      replicas: 2,
      labelSelector: 'weir.dev/cluster=my-connect,weir.dev/kind=KafkaConnect',
      connectorPlugins: [
        {
          class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          type: 'source',
          version: '4.0.0',
        },
      ],
    },
  };
}

export function minimalKafkaConnector(
  name = 'my-source',
  namespace = 'kafka',
  cluster = 'my-connect',
): KafkaConnector {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnector',
    metadata: { name, namespace, uid: 'uid-2', generation: 1, labels: { 'weir.dev/cluster': cluster } },
    spec: { class: 'FileStreamSource', tasksMax: 1, state: 'running' },
  };
}

export function fullKafkaConnector(): KafkaConnector {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnector',
    metadata: { name: 'my-source', namespace: 'team-a', uid: 'uid-2', generation: 3 },
    spec: {
      class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      tasksMax: 1,
      config: { file: '/data/test.txt', topic: 'connect-test', 'batch.size': 100, 'errors.log.enable': true },
      state: 'paused',
      autoRestart: { enabled: true, maxRestarts: 10 },
      clusterRef: { name: 'my-connect', namespace: 'kafka' },
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Running',
          message: 'connector and 1/1 tasks running',
          lastTransitionTime: '2026-01-01T00:00:00Z',
          observedGeneration: 3,
        },
      ],
      observedGeneration: 3,
      connectorStatus: {
        name: 'my-source',
        connector: { state: 'RUNNING', worker_id: '10.0.0.1:8083' },
        tasks: [{ id: 0, state: 'RUNNING', worker_id: '10.0.0.1:8083' }],
        type: 'source',
      },
      tasksMax: 1,
      labelSelector: 'weir.dev/cluster=my-connect,weir.dev/kind=KafkaConnect',
      topics: ['connect-test'],
      autoRestart: { count: 1, lastRestartTimestamp: '2026-01-01T00:00:00Z' },
    },
  };
}
