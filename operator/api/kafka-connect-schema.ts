// The KafkaConnect custom resource's schema (spec and status), the source of
// crds/kafkaconnects.weir.dev.yaml. Field names follow Strimzi's KafkaConnectSpec.
import { arr, bool, int, kubeObject, map, obj, quantity, propertyMap, str, type Schema } from './openapi.ts';
import { describeKeys, OPERATOR_OWNED_WORKER_KEYS } from './reserved-keys.ts';
import { conditionsSchema, metadataTemplate } from './common-schema.ts';
import { PROBE_DEFAULTS } from './types.ts';

export const DEFAULT_REPLICAS = 3;
/** Keeps `<name>-connect-api` (the longest generated name) a valid Service name. */
export const MAX_CONNECT_NAME_LENGTH = 51;
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF'];

const secretName = (what: string) =>
  str(`Name of the Secret, in the KafkaConnect's namespace, that holds ${what}.`, {
    minLength: 1,
    maxLength: 253,
  });

const secretKey = (what: string) =>
  str(`The key of the Secret that holds ${what}.`, { minLength: 1, maxLength: 253 });

const tls = obj(
  'TLS to the Kafka brokers. Present (even empty) → the workers connect with TLS (security.protocol SSL or SASL_SSL).',
  {
    trustedCertificates: arr(
      'CA certificates the workers trust for the brokers, from Secrets. Empty → the system trust store.',
      obj(
        'One or more PEM certificates from a Secret: a key (certificate) or a glob over the keys (pattern).',
        {
          secretName: secretName('the certificates'),
          certificate: secretKey('one PEM certificate or bundle, e.g. ca.crt'),
          pattern: str('A glob over the Secret\'s keys, e.g. "*.crt"; every matching key is trusted.', {
            minLength: 1,
            maxLength: 253,
          }),
        },
        {
          required: ['secretName'],
          'x-kubernetes-validations': [
            {
              rule: 'has(self.certificate) != has(self.pattern)',
              message: 'give exactly one of certificate and pattern',
            },
          ],
        },
      ),
      { maxItems: 32, 'x-kubernetes-list-type': 'atomic' },
    ),
  },
);

const authentication = obj(
  'How the workers authenticate to the Kafka brokers. Credentials come from Secrets and never appear in the generated worker configuration.',
  {
    type: str(
      'tls: a client certificate (needs spec.tls); scram-sha-256, scram-sha-512: SASL SCRAM; plain: SASL PLAIN.',
      { enum: ['tls', 'scram-sha-256', 'scram-sha-512', 'plain'] },
    ),
    username: str('The SASL user name (scram-sha-256, scram-sha-512, plain).', {
      minLength: 1,
      maxLength: 1024,
    }),
    passwordSecret: obj(
      'The Secret holding the SASL password (scram-sha-256, scram-sha-512, plain).',
      { secretName: secretName('the password'), password: secretKey('the password') },
      { required: ['secretName', 'password'] },
    ),
    certificateAndKey: obj(
      'The Secret holding the client certificate and its private key (tls).',
      {
        secretName: secretName('the client certificate and key'),
        certificate: secretKey('the PEM client certificate (chain), e.g. tls.crt'),
        key: secretKey('the PEM private key, e.g. tls.key'),
      },
      { required: ['secretName', 'certificate', 'key'] },
    ),
  },
  {
    required: ['type'],
    'x-kubernetes-validations': [
      {
        rule: "self.type != 'tls' || (has(self.certificateAndKey) && !has(self.username) && !has(self.passwordSecret))",
        message: 'authentication type tls takes certificateAndKey (and neither username nor passwordSecret)',
      },
      {
        rule: "self.type == 'tls' || (has(self.username) && has(self.passwordSecret) && !has(self.certificateAndKey))",
        message:
          'SASL authentication (scram-sha-256, scram-sha-512, plain) takes username and passwordSecret (and no certificateAndKey)',
      },
    ],
  },
);

const probe = (which: 'readiness' | 'liveness', path: string) => {
  const defaults = PROBE_DEFAULTS[which];
  return obj(`The ${which} probe: HTTP GET ${path} on the REST port (8083).`, {
    initialDelaySeconds: int('Seconds after the container starts before the first probe.', {
      minimum: 0,
      default: defaults.initialDelaySeconds,
    }),
    timeoutSeconds: int('Seconds before a probe times out.', {
      minimum: 1,
      default: defaults.timeoutSeconds,
    }),
    periodSeconds: int('Seconds between probes.', { minimum: 1, default: defaults.periodSeconds }),
    failureThreshold: int('Failed probes in a row before the pod counts as failed.', {
      minimum: 1,
      default: defaults.failureThreshold,
    }),
  });
};

// Small core/v1 types spelled out, so the API server checks them when the resource is applied; the
// big ones (Affinity, Volume sources, security contexts) stay as written and are checked when the
// Deployment is applied (status then says what was refused).
const toleration = obj('A toleration (core/v1 Toleration).', {
  key: str('The taint key to tolerate; empty with operator Exists: every taint.'),
  operator: str('Exists or Equal (default).', { enum: ['Exists', 'Equal'] }),
  value: str('The taint value (operator Equal).'),
  effect: str('NoSchedule, PreferNoSchedule or NoExecute; empty: all.', {
    enum: ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  }),
  tolerationSeconds: int('How long a NoExecute taint is tolerated before eviction.', { format: 'int64' }),
});

const envVar = obj(
  'An environment variable (core/v1 EnvVar).',
  {
    name: str('The variable name (not starting with WEIR_).', { minLength: 1 }),
    value: str('The value; $(VAR) references expand.'),
    valueFrom: kubeObject(
      'Where the value comes from: secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef',
      'core/v1 EnvVarSource',
    ),
  },
  { required: ['name'] },
);

const volumeMount = obj(
  'Where a volume is mounted (core/v1 VolumeMount).',
  {
    name: str('The volume (from template.pod.volumes).', { minLength: 1 }),
    mountPath: str('The path in the container (not /tmp or under /etc/weir).', { minLength: 1 }),
    readOnly: bool('Mount read-only.'),
    subPath: str('A path inside the volume to mount instead of its root.'),
    subPathExpr: str('Like subPath, with $(VAR) references expanded.'),
    mountPropagation: str('None, HostToContainer or Bidirectional.'),
    recursiveReadOnly: str('Disabled, IfPossible or Enabled.'),
  },
  { required: ['name', 'mountPath'] },
);

const volume: Schema = {
  ...kubeObject('A volume', 'core/v1 Volume'),
  required: ['name'],
  properties: { name: str('The volume name (not starting with weir-).', { minLength: 1, maxLength: 63 }) },
};

const template = obj('Customizes the worker pods the operator creates.', {
  pod: obj('The worker pod.', {
    metadata: metadataTemplate('the worker pods'),
    affinity: kubeObject('Scheduling affinity of the worker pods', 'core/v1 Affinity'),
    tolerations: arr('Tolerations of the worker pods.', toleration, {
      maxItems: 64,
      'x-kubernetes-list-type': 'atomic',
    }),
    securityContext: kubeObject(
      "The pod's security context; the defaults are restricted-Pod-Security friendly (runAsNonRoot, seccomp RuntimeDefault)",
      'core/v1 PodSecurityContext',
    ),
    priorityClassName: str('The PriorityClass of the worker pods.', { maxLength: 253 }),
    volumes: arr(
      'Extra volumes for the worker pods (mount them with template.connectContainer.volumeMounts). Names starting with "weir-" are reserved.',
      volume,
      { maxItems: 64, 'x-kubernetes-list-type': 'atomic' },
    ),
    terminationGracePeriodSeconds: int(
      'Seconds a stopping worker gets to hand its tasks over and flush offsets; at least 60 by default.',
      { minimum: 0 },
    ),
  }),
  connectContainer: obj('The worker container.', {
    env: arr(
      'Extra environment variables (names starting with WEIR_ are reserved). Worker properties may read them as ${env:NAME}.',
      envVar,
      { maxItems: 256, 'x-kubernetes-list-type': 'atomic' },
    ),
    volumeMounts: arr(
      'Where the extra volumes are mounted (paths under /etc/weir are reserved).',
      volumeMount,
      { maxItems: 64, 'x-kubernetes-list-type': 'atomic' },
    ),
    securityContext: kubeObject(
      "The container's security context, merged over the restricted defaults",
      'core/v1 SecurityContext',
    ),
  }),
});

const resources = obj('CPU and memory for each worker container.', {
  requests: map('Minimum resources, e.g. cpu: 500m, memory: 512Mi.', quantity('A quantity.')),
  limits: map('Maximum resources, e.g. memory: 1Gi.', quantity('A quantity.')),
});

export const kafkaConnectSpec: Schema = obj(
  'The desired Kafka Connect cluster: Weir workers in distributed mode.',
  {
    replicas: int('Number of worker pods.', { minimum: 0, default: DEFAULT_REPLICAS }),
    image: str(
      "The worker container image. Default: the operator's --worker-image flag (the Helm chart passes its workerImage value, else the chart's operator image), else $WEIR_WORKER_IMAGE, else weir:<operator version>.",
      { maxLength: 1024 },
    ),
    bootstrapServers: str('Kafka brokers to connect to, host:port[,host:port…].', {
      minLength: 1,
      maxLength: 4096,
    }),
    groupId: str('The workers\' group id (worker property group.id); default "<namespace>.<name>".', {
      minLength: 1,
      maxLength: 249,
    }),
    configStorageTopic: str('Topic holding connector configurations; default "<name>-connect-configs".', {
      minLength: 1,
      maxLength: 249,
    }),
    offsetStorageTopic: str('Topic holding source connector offsets; default "<name>-connect-offsets".', {
      minLength: 1,
      maxLength: 249,
    }),
    statusStorageTopic: str('Topic holding connector and task states; default "<name>-connect-status".', {
      minLength: 1,
      maxLength: 249,
    }),
    config: propertyMap(
      `Worker properties (Apache Kafka Connect's names), e.g. offset.flush.interval.ms: 10000. Keys the operator owns are refused: ${describeKeys(OPERATOR_OWNED_WORKER_KEYS)}. Values may use \${env:NAME} and \${directory:/path:file} placeholders; the directory provider, and a file or directory provider added here without allowed.paths, read only the folders where the pods mount Secrets and ConfigMaps.`,
    ),
    tls,
    authentication,
    resources,
    logging: obj(
      'Log levels of the workers.',
      {
        type: str('inline: levels given here.', { enum: ['inline'], default: 'inline' }),
        loggers: map(
          'Logger name → level; "root" sets the default level, e.g. root: INFO, org.apache.kafka.connect.runtime.WorkerSourceTask: DEBUG.',
          str('The level.', { enum: LOG_LEVELS }),
          { maxProperties: 256 },
        ),
      },
      { required: ['type'] },
    ),
    template,
    livenessProbe: probe('liveness', '/health'),
    readinessProbe: probe('readiness', '/health'),
    allowedConnectorNamespaces: arr(
      'Namespaces whose KafkaConnectors may run on this cluster through spec.clusterRef ("*" allows all). The KafkaConnect\'s own namespace is always allowed, through the weir.dev/cluster label or clusterRef.',
      str('A namespace name, or "*".', { minLength: 1, maxLength: 63 }),
      { maxItems: 256, 'x-kubernetes-list-type': 'set' },
    ),
  },
  {
    required: ['bootstrapServers'],
    'x-kubernetes-validations': [
      {
        rule: "!has(self.authentication) || self.authentication.type != 'tls' || has(self.tls)",
        message: 'authentication type tls needs TLS to the brokers: add spec.tls (it may be empty)',
        fieldPath: '.authentication.type',
      },
    ],
  },
);

export const kafkaConnectStatus: Schema = obj('What the operator observed; written by the operator only.', {
  conditions: conditionsSchema,
  observedGeneration: int('The metadata.generation the operator last reconciled.', { format: 'int64' }),
  url: str('The REST API inside the cluster, e.g. http://my-connect-connect-api.kafka.svc:8083.'),
  replicas: int('Ready worker pods.', { format: 'int32' }),
  labelSelector: str('Label selector of the worker pods (for the scale subresource and autoscalers).'),
  connectorPlugins: arr(
    'The connector plugins the workers offer (GET /connector-plugins): source and sink connectors only. Converters, transformations and predicates are listed by a worker at GET /connector-plugins?connectorsOnly=false.',
    obj(
      'A connector plugin.',
      {
        class: str('The fully qualified class name.'),
        type: str('source or sink.'),
        version: str('The plugin version.'),
      },
      { required: ['class', 'type'] },
    ),
    { 'x-kubernetes-list-type': 'atomic' },
  ),
});

export const kafkaConnectRootRules = [
  {
    rule: `size(self.metadata.name) <= ${MAX_CONNECT_NAME_LENGTH} && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')`,
    message: `a KafkaConnect name starts with a letter, has only lower-case letters, digits and '-', and at most ${MAX_CONNECT_NAME_LENGTH} characters (its Service is "<name>-connect-api")`,
  },
];
