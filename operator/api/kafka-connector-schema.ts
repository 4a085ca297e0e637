// The KafkaConnector custom resource's schema (spec and status), the source of
// crds/kafkaconnectors.weir.dev.yaml. Field names follow Strimzi's KafkaConnectorSpec.
import { arr, bool, int, obj, propertyMap, str, type Schema } from './openapi.ts';
import { conditionsSchema } from './common-schema.ts';
import { CONNECTOR_OWNED_KEYS, describeKeys } from './reserved-keys.ts';

export const kafkaConnectorSpec: Schema = obj(
  'The desired connector. It runs on the KafkaConnect named by the label weir.dev/cluster (same namespace) or by spec.clusterRef (any namespace the KafkaConnect allows).',
  {
    class: str(
      'The connector class (connector.class): a fully qualified name, a simple name or an alias, e.g. FileStreamSource.',
      { minLength: 1, maxLength: 1024 },
    ),
    tasksMax: int('The most tasks the connector may run (tasks.max).', {
      minimum: 1,
      default: 1,
      format: 'int32',
    }),
    config: propertyMap(
      `Connector properties, e.g. topic: my-topic. Keys with fields of their own are refused: ${describeKeys(CONNECTOR_OWNED_KEYS)}. Values may use \${env:NAME} and \${directory:/path:file} placeholders, /path being a folder where the workers mount a Secret or ConfigMap.`,
    ),
    state: str(
      'running, paused (tasks stay assigned, no data flows) or stopped (tasks shut down, configuration kept). A new connector is created directly in this state.',
      { enum: ['running', 'paused', 'stopped'], default: 'running' },
    ),
    autoRestart: obj('Restarting a FAILED connector and its FAILED tasks automatically, with back-off.', {
      enabled: bool('Restart failed connectors and tasks automatically.', { default: false }),
      maxRestarts: int(
        'Restarts before giving up (the count resets after a healthy period); absent → no limit.',
        { minimum: 0, format: 'int32' },
      ),
    }),
    clusterRef: obj(
      'The KafkaConnect to run on, instead of the label weir.dev/cluster. In another namespace, that KafkaConnect must list this namespace in spec.allowedConnectorNamespaces. If both are given, they must name the same KafkaConnect.',
      {
        name: str("The KafkaConnect's name.", { minLength: 1, maxLength: 253 }),
        namespace: str("The KafkaConnect's namespace; default: this KafkaConnector's namespace.", {
          minLength: 1,
          maxLength: 63,
        }),
      },
      { required: ['name'] },
    ),
  },
  { required: ['class'] },
);

export const kafkaConnectorStatus: Schema = obj('What the operator observed; written by the operator only.', {
  conditions: conditionsSchema,
  observedGeneration: int('The metadata.generation the operator last reconciled.', { format: 'int64' }),
  connectorStatus: {
    type: 'object',
    description:
      "The connector's state as the workers report it (GET /connectors/{name}/status): name, connector {state, worker_id, trace}, tasks [{id, state, worker_id, trace}], type.",
    'x-kubernetes-preserve-unknown-fields': true,
  },
  tasksMax: int('The tasks.max in effect (the scale subresource reads it).', { format: 'int32' }),
  labelSelector: str(
    "Label selector of the worker pods of the KafkaConnect this connector runs on (the scale subresource's selector: an HorizontalPodAutoscaler, and so KEDA, needs one). For a KafkaConnect in another namespace it selects no pod in this namespace, so scale on external or object metrics (KEDA's Kafka consumer lag), not on pod CPU or memory.",
  ),
  topics: arr('Topics the connector has used (GET /connectors/{name}/topics).', str('A topic.'), {
    'x-kubernetes-list-type': 'atomic',
  }),
  autoRestart: obj('Automatic restarts so far.', {
    count: int('Automatic restarts since the connector was last healthy for long enough.', { minimum: 0 }),
    lastRestartTimestamp: str('When the last automatic restart happened (RFC 3339).', {
      format: 'date-time',
    }),
  }),
});
