// Worker settings with Apache Kafka Connect's names and defaults (WorkerConfig, StandaloneConfig,
// DistributedConfig). Unknown keys pass through: producer.*, consumer.*, admin.* and client settings.
import { ConfigDef, Validators, invalid } from '../api/index.ts';
import { ConfigException } from '../api/index.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { PluginType } from '../rest/types.ts';
import {
  ALLOWLIST_SETTING,
  parseOverridePolicy,
  policyName,
  POLICY_SETTING,
  type ClientOverridePolicy,
} from './client-overrides.ts';

const common = (): ConfigDef =>
  new ConfigDef()
    .define('bootstrap.servers', {
      type: 'LIST',
      defaultValue: 'localhost:9092',
      importance: 'HIGH',
      documentation: 'Kafka brokers to connect to, host:port,…',
    })
    .define('client.id', {
      type: 'STRING',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Client id prefix.',
    })
    .define('key.converter', {
      type: 'CLASS',
      importance: 'HIGH',
      documentation: 'Converter for record keys, e.g. org.apache.kafka.connect.json.JsonConverter.',
    })
    .define('value.converter', {
      type: 'CLASS',
      importance: 'HIGH',
      documentation: 'Converter for record values, e.g. org.apache.kafka.connect.json.JsonConverter.',
    })
    .define('header.converter', {
      type: 'CLASS',
      defaultValue: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
      importance: 'LOW',
      documentation: 'Converter for header values.',
    })
    .define('offset.flush.interval.ms', {
      type: 'LONG',
      defaultValue: 60000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation: 'How often source offsets and sink commits are flushed.',
    })
    .define('offset.flush.timeout.ms', {
      type: 'LONG',
      defaultValue: 5000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation: 'How long a flush waits for records to be acknowledged before it is cancelled.',
    })
    .define('task.shutdown.graceful.timeout.ms', {
      type: 'LONG',
      defaultValue: 5000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
      documentation: 'How long tasks get to stop gracefully.',
    })
    .define('listeners', {
      type: 'LIST',
      defaultValue: 'http://:8083',
      importance: 'LOW',
      documentation: 'REST listeners, e.g. http://:8083.',
    })
    .define('rest.advertised.host.name', { type: 'STRING', defaultValue: null, importance: 'LOW' })
    .define('rest.advertised.port', { type: 'INT', defaultValue: null, importance: 'LOW' })
    .define('rest.advertised.listener', { type: 'STRING', defaultValue: null, importance: 'LOW' })
    .define('plugin.path', { type: 'LIST', defaultValue: null, importance: 'LOW' })
    // Weir's plugins are built in: nothing to scan, but a value Java refuses is refused here too.
    .define('plugin.discovery', {
      type: 'STRING',
      defaultValue: 'hybrid_warn',
      validator: Validators.inIgnoreCase('ONLY_SCAN', 'HYBRID_WARN', 'HYBRID_FAIL', 'SERVICE_LOAD'),
      importance: 'LOW',
    })
    .define('topic.tracking.enable', { type: 'BOOLEAN', defaultValue: true, importance: 'LOW' })
    .define('topic.tracking.allow.reset', { type: 'BOOLEAN', defaultValue: true, importance: 'LOW' })
    .define('topic.creation.enable', { type: 'BOOLEAN', defaultValue: true, importance: 'LOW' })
    .define(POLICY_SETTING, {
      type: 'STRING',
      defaultValue: 'All',
      validator: (name, value) => {
        if (policyName(String(value)) === undefined)
          invalid(name, value, 'must be All, None, Principal or Allowlist (or their class names)');
      },
      importance: 'MEDIUM',
      documentation:
        'Which producer.override.*, consumer.override.* and admin.override.* settings connectors may set: All, None, Principal (security.protocol, sasl.mechanism, sasl.jaas.config) or Allowlist.',
    })
    .define(ALLOWLIST_SETTING, {
      type: 'LIST',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'The client settings connectors may override under the Allowlist policy.',
    })
    .define('config.providers', { type: 'LIST', defaultValue: '', importance: 'LOW' })
    .define('weir.rest.token', {
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation:
        'When set (or WEIR_REST_TOKEN is), every REST request but GET /health needs "Authorization: Bearer <token>".',
    })
    .define('weir.metrics.port', {
      type: 'INT',
      defaultValue: null,
      validator: Validators.between(0, 65535),
      importance: 'LOW',
      documentation:
        'Port of the Prometheus endpoint (GET /metrics, no REST token needed), on every interface; unset: no endpoint. The operator sets 9404.',
    });

export function standaloneWorkerConfigDef(): ConfigDef {
  return common().define('offset.storage.file.filename', {
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'File to store source connector offsets in.',
  });
}

export function distributedWorkerConfigDef(): ConfigDef {
  const topic = (name: string, defaultTopic: string, partitions: number | null) => {
    const def = new ConfigDef()
      .define(`${name}.storage.topic`, { type: 'STRING', defaultValue: defaultTopic, importance: 'HIGH' })
      .define(`${name}.storage.replication.factor`, { type: 'SHORT', defaultValue: 3, importance: 'LOW' });
    if (partitions !== null)
      def.define(`${name}.storage.partitions`, {
        type: 'INT',
        defaultValue: partitions,
        validator: Validators.atLeast(1),
        importance: 'LOW',
      });
    return def;
  };
  return common()
    .define('group.id', {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'The Connect cluster this worker belongs to.',
    })
    .merge(topic('config', 'connect-configs', null))
    .merge(topic('offset', 'connect-offsets', 25))
    .merge(topic('status', 'connect-status', 5))
    .define('session.timeout.ms', { type: 'INT', defaultValue: 10000, importance: 'HIGH' })
    .define('heartbeat.interval.ms', { type: 'INT', defaultValue: 3000, importance: 'HIGH' })
    .define('rebalance.timeout.ms', { type: 'INT', defaultValue: 60000, importance: 'HIGH' })
    .define('scheduled.rebalance.max.delay.ms', {
      type: 'INT',
      defaultValue: 300000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
    })
    .define('connect.protocol', {
      type: 'STRING',
      defaultValue: 'sessioned',
      validator: Validators.inIgnoreCase('eager', 'compatible', 'sessioned'),
      importance: 'LOW',
    })
    .define('inter.worker.key.ttl.ms', {
      type: 'INT',
      defaultValue: 3600000,
      validator: Validators.atLeast(0),
      importance: 'LOW',
    })
    .define('inter.worker.signature.algorithm', {
      type: 'STRING',
      defaultValue: 'HmacSHA256',
      validator: Validators.in('HmacSHA256'),
      importance: 'LOW',
    })
    .define('weir.admin.token', {
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation:
        "Bearer token for Weir's admin endpoints (declaring a worker gone); also read from WEIR_ADMIN_TOKEN.",
    });
}

export interface DistributedConfig {
  readonly groupId: string;
  readonly configTopic: string;
  readonly offsetTopic: string;
  readonly statusTopic: string;
  readonly configReplicationFactor: number;
  readonly offsetReplicationFactor: number;
  readonly statusReplicationFactor: number;
  readonly offsetPartitions: number;
  readonly statusPartitions: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly scheduledRebalanceMaxDelayMs: number;
  readonly keyTtlMs: number;
  readonly adminToken: string | null;
}

export function parseDistributedConfig(props: Readonly<Record<string, string>>): {
  worker: WorkerConfig;
  distributed: DistributedConfig;
} {
  const def = distributedWorkerConfigDef();
  const worker = parseWorkerConfig(props, def);
  const v = def.parse(props);
  return {
    worker,
    distributed: {
      groupId: v['group.id'] as string,
      configTopic: v['config.storage.topic'] as string,
      offsetTopic: v['offset.storage.topic'] as string,
      statusTopic: v['status.storage.topic'] as string,
      configReplicationFactor: v['config.storage.replication.factor'] as number,
      offsetReplicationFactor: v['offset.storage.replication.factor'] as number,
      statusReplicationFactor: v['status.storage.replication.factor'] as number,
      offsetPartitions: v['offset.storage.partitions'] as number,
      statusPartitions: v['status.storage.partitions'] as number,
      sessionTimeoutMs: v['session.timeout.ms'] as number,
      heartbeatIntervalMs: v['heartbeat.interval.ms'] as number,
      rebalanceTimeoutMs: v['rebalance.timeout.ms'] as number,
      scheduledRebalanceMaxDelayMs: v['scheduled.rebalance.max.delay.ms'] as number,
      keyTtlMs: v['inter.worker.key.ttl.ms'] as number,
      adminToken: (v['weir.admin.token'] as string | null) ?? process.env.WEIR_ADMIN_TOKEN ?? null,
    },
  };
}

export interface WorkerConfig {
  /** Every setting as written, for pass-through (producer.*, consumer.*, converter sub-settings). */
  readonly originals: Readonly<Record<string, string>>;
  readonly bootstrapServers: string[];
  readonly clientId: string;
  readonly keyConverter: string;
  readonly valueConverter: string;
  readonly headerConverter: string;
  readonly offsetFlushIntervalMs: number;
  readonly offsetFlushTimeoutMs: number;
  readonly taskShutdownGracefulTimeoutMs: number;
  readonly listeners: string[];
  readonly advertisedHostName: string | null;
  readonly advertisedPort: number | null;
  readonly topicTrackingEnable: boolean;
  readonly topicTrackingAllowReset: boolean;
  readonly offsetStorageFileFilename?: string;
  /** Bearer token the REST API requires, or null for an open API. */
  readonly restToken: string | null;
  /** Port of GET /metrics, or null for none. */
  readonly metricsPort: number | null;
  /** Which client settings connectors may override (connector.client.config.override.policy). */
  readonly clientOverridePolicy: ClientOverridePolicy;
}

/** The worker's settings that name plugins, and the kind each must be. */
const WORKER_PLUGIN_SETTINGS: [keyof WorkerConfig & string, string, PluginType][] = [
  ['keyConverter', 'key.converter', 'converter'],
  ['valueConverter', 'value.converter', 'converter'],
  ['headerConverter', 'header.converter', 'header_converter'],
];

/**
 * Refuses, before the worker starts, a converter class the worker does not have, as Java's ClassValidator
 * does (its message, plus the closest names): without it, every task would fail instead.
 */
export function checkWorkerPlugins(config: WorkerConfig, plugins: PluginRegistry): void {
  const problems = WORKER_PLUGIN_SETTINGS.flatMap(([field, setting, type]) => {
    const className = String(config[field]).trim();
    if (plugins.find(className, [type])) return [];
    const other = plugins.find(className);
    const why = other
      ? `Class ${className} is a ${other.type.replace('_', ' ')}, not a ${type.replace('_', ' ')}.`
      : `Class ${className} could not be found.`;
    const closest = plugins.closest(className, [type], true);
    const hint = closest.length > 0 ? ` Did you mean ${closest.join(' or ')}?` : '';
    return [
      {
        name: setting,
        message: `Invalid value ${className} for configuration ${setting}: ${why}${hint}`,
      },
    ];
  });
  if (problems.length > 0) throw new ConfigException(problems);
}

/** Parses worker settings; throws a ConfigException listing every problem. */
export function parseWorkerConfig(props: Readonly<Record<string, string>>, def: ConfigDef): WorkerConfig {
  const v = def.parse(props);
  const listeners = v['listeners'] as string[];
  if (listeners.length === 0) {
    throw new ConfigException('listeners', '', 'at least one listener is needed, e.g. http://:8083');
  }
  return {
    originals: { ...props },
    bootstrapServers: v['bootstrap.servers'] as string[],
    clientId: v['client.id'] as string,
    keyConverter: v['key.converter'] as string,
    valueConverter: v['value.converter'] as string,
    headerConverter: v['header.converter'] as string,
    offsetFlushIntervalMs: v['offset.flush.interval.ms'] as number,
    offsetFlushTimeoutMs: v['offset.flush.timeout.ms'] as number,
    taskShutdownGracefulTimeoutMs: v['task.shutdown.graceful.timeout.ms'] as number,
    listeners,
    advertisedHostName: v['rest.advertised.host.name'] as string | null,
    advertisedPort: v['rest.advertised.port'] as number | null,
    topicTrackingEnable: v['topic.tracking.enable'] as boolean,
    topicTrackingAllowReset: v['topic.tracking.allow.reset'] as boolean,
    offsetStorageFileFilename: (v['offset.storage.file.filename'] as string | undefined) ?? undefined,
    restToken: (v['weir.rest.token'] as string | null) ?? process.env.WEIR_REST_TOKEN ?? null,
    metricsPort: (v['weir.metrics.port'] as number | null) ?? null,
    clientOverridePolicy: parseOverridePolicy(v[POLICY_SETTING] as string, v[ALLOWLIST_SETTING] as string[]),
  };
}
