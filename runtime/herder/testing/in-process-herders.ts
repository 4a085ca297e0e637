// Herders in the test process on the real broker, for integration tests that register connectors of
// their own or look at a herder's state directly: one standalone worker, or one distributed worker
// with topics named after its group.
import { Producer, stringSerializers } from '@platformatic/kafka';
import type { SinkConnector } from '../../api/index.ts';
import type { ConnectMetrics } from '../../metrics/connect-metrics.ts';
import { builtinPlugins } from '../../plugins/builtin.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import {
  parseDistributedConfig,
  parseWorkerConfig,
  standaloneWorkerConfigDef,
} from '../../config/worker-config.ts';
import { FileOffsetStore } from '../../storage/file-offset-store.ts';
import { KafkaConfigStore } from '../../storage/kafka-config-store.ts';
import { KafkaOffsetStore } from '../../storage/kafka-offset-store.ts';
import { KafkaStatusStore } from '../../storage/kafka-status-store.ts';
import { MemoryStatusStore } from '../../storage/status-store.ts';
import { baseClientOptions } from '../../worker/kafka-clients.ts';
import { DistributedHerder } from '../distributed-herder.ts';
import type { Herder } from '../herder.ts';
import { StandaloneHerder } from '../standalone-herder.ts';

export interface InProcessHerder {
  readonly herder: Herder;
  /** The config topic (distributed mode). */
  readonly configTopic?: string;
  stop(): Promise<void>;
}

export interface InProcessHerderOptions {
  bootstrap: string;
  /** Worker settings over the test defaults (JSON without schemas, quick flushes and consumer sessions). */
  settings?: Record<string, string>;
  plugins: PluginRegistry;
  /** Standalone: the offsets file. Distributed: the group id, topics `<group>-configs` and so on. */
  name: string;
  metrics?: ConnectMetrics;
}

const WORKER_ID = '127.0.0.1:18083';

function workerSettings(options: InProcessHerderOptions): Record<string, string> {
  return {
    'bootstrap.servers': options.bootstrap,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'false',
    'value.converter.schemas.enable': 'false',
    'offset.flush.interval.ms': '1000',
    'consumer.session.timeout.ms': '6000',
    'consumer.heartbeat.interval.ms': '1000',
    listeners: `http://${WORKER_ID}`,
    ...options.settings,
  };
}

/** The built-in plugins and a sink connector of the test's own, as `dev.weir.test.<simpleName>`. */
export function pluginsWithSink(simpleName: string, create: () => SinkConnector): PluginRegistry {
  return builtinPlugins().register({
    className: `dev.weir.test.${simpleName}`,
    type: 'sink',
    version: '1',
    create,
  });
}

export async function startStandaloneHerder(options: InProcessHerderOptions): Promise<InProcessHerder> {
  const config = parseWorkerConfig(
    { ...workerSettings(options), 'offset.storage.file.filename': options.name },
    standaloneWorkerConfigDef(),
  );
  const offsets = new FileOffsetStore(options.name);
  await offsets.start();
  const herder = new StandaloneHerder({
    workerId: WORKER_ID,
    config,
    plugins: options.plugins,
    offsets,
    statuses: new MemoryStatusStore(),
    metrics: options.metrics,
  });
  herder.markStarted('test');
  return {
    herder,
    async stop() {
      await herder.stop();
      await offsets.stop();
    },
  };
}

export async function startDistributedHerder(options: InProcessHerderOptions): Promise<InProcessHerder> {
  const group = options.name;
  const { worker: config, distributed } = parseDistributedConfig({
    ...workerSettings(options),
    'group.id': group,
    'config.storage.topic': `${group}-configs`,
    'offset.storage.topic': `${group}-offsets`,
    'status.storage.topic': `${group}-status`,
  });
  const store = { client: baseClientOptions(config, group), replicationFactor: 1, fetchMaxWaitMs: 100 };
  const configs = new KafkaConfigStore({ ...store, topic: distributed.configTopic });
  const offsets = new KafkaOffsetStore({ ...store, topic: distributed.offsetTopic, partitions: 1 });
  const statuses = new KafkaStatusStore({ ...store, topic: distributed.statusTopic, partitions: 1 });
  await Promise.all([configs.start(), offsets.start(), statuses.start()]);
  const herder = new DistributedHerder({
    workerId: WORKER_ID,
    url: `http://${WORKER_ID}/`,
    config,
    distributed,
    plugins: options.plugins,
    configs,
    offsets,
    statuses,
    kafkaClusterId: 'test',
    metrics: options.metrics,
  });
  await herder.start();
  return {
    herder,
    configTopic: distributed.configTopic,
    async stop() {
      await herder.stop();
      await Promise.all([configs.stop(), offsets.stop(), statuses.stop()]);
    },
  };
}

/** Sends strings to `topic` as JSON (what the test workers' JsonConverter reads as that string). */
export function jsonSender(bootstrap: string, topic: string) {
  const producer = new Producer({
    clientId: `test-producer-${topic}`,
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    autocreateTopics: true,
  });
  return {
    send: (value: string) => producer.send({ messages: [{ topic, value: JSON.stringify(value) }] }),
    close: () => producer.close(),
  };
}
