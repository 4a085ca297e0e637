// `weir connect-distributed`: worker settings → internal topics (config, offsets, status) → herder
// (group membership) → REST. SIGTERM/SIGINT stop the work, flush offsets, announce the departure so
// the others take the work over at once, leave the group and exit 0.
import { hostname } from 'node:os';
import { resolveWorkerProperties } from '../config/config-providers.ts';
import { readPropertiesFile } from '../config/properties.ts';
import { checkWorkerPlugins, parseDistributedConfig, type WorkerConfig } from '../config/worker-config.ts';
import { DistributedHerder } from '../herder/distributed-herder.ts';
import { logger } from '../logging.ts';
import { startWorkerMetrics } from '../metrics/worker-metrics.ts';
import { exitOnSignals } from './shutdown.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import { restAuthenticator } from '../rest/auth.ts';
import { createRestApp, startRestServer } from '../rest/server.ts';
import { KafkaConfigStore } from '../storage/kafka-config-store.ts';
import { KafkaOffsetStore } from '../storage/kafka-offset-store.ts';
import { KafkaStatusStore } from '../storage/kafka-status-store.ts';
import { baseClientOptions } from '../worker/kafka-clients.ts';
import { WEIR_COMMIT, WEIR_VERSION } from '../version.ts';
import { lookupKafkaClusterId, workerIdOf } from './standalone.ts';

const log = logger('org.apache.kafka.connect.cli.ConnectDistributed');

function advertisedUrl(config: WorkerConfig): { workerId: string; url: string } {
  const workerId = workerIdOf(config);
  const [host] = workerId.split(/:(?=\d+$)/);
  const resolved = host === '' || host === '0.0.0.0' ? hostname() : host;
  const port = workerId.slice(workerId.lastIndexOf(':') + 1);
  return { workerId: `${resolved}:${port}`, url: `http://${resolved}:${port}/` };
}

/** Settings under `prefix` (config.storage., offset.storage., status.storage.) that configure a new topic. */
function topicSettings(props: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  const own = new Set(['topic', 'replication.factor', 'partitions']);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith(prefix) && !own.has(key.slice(prefix.length))) out[key.slice(prefix.length)] = value;
  }
  return out;
}

export async function runDistributed(args: string[]): Promise<void> {
  const [workerFile] = args;
  if (!workerFile) throw new Error('usage: weir connect-distributed <worker.properties>');
  const props = resolveWorkerProperties(readPropertiesFile(workerFile));
  const { worker: config, distributed } = parseDistributedConfig(props);
  const plugins = builtinPlugins();
  checkWorkerPlugins(config, plugins);
  const { workerId, url } = advertisedUrl(config);
  const metrics = await startWorkerMetrics(config, log);
  const kafkaClusterId = await lookupKafkaClusterId(config);
  const client = (name: string) => baseClientOptions(config, `${distributed.groupId}-${name}`);

  const configs = new KafkaConfigStore({
    client: client('configs'),
    topic: distributed.configTopic,
    replicationFactor: distributed.configReplicationFactor,
    topicConfigs: topicSettings(props, 'config.storage.'),
    // Config and status changes coordinate the workers: read them with little delay.
    fetchMaxWaitMs: 100,
  });
  const offsets = new KafkaOffsetStore({
    client: client('offsets'),
    topic: distributed.offsetTopic,
    partitions: distributed.offsetPartitions,
    replicationFactor: distributed.offsetReplicationFactor,
    topicConfigs: topicSettings(props, 'offset.storage.'),
  });
  const statuses = new KafkaStatusStore({
    client: client('statuses'),
    topic: distributed.statusTopic,
    partitions: distributed.statusPartitions,
    replicationFactor: distributed.statusReplicationFactor,
    topicConfigs: topicSettings(props, 'status.storage.'),
    fetchMaxWaitMs: 100,
  });
  await Promise.all([configs.start(), offsets.start(), statuses.start()]);

  const herder = new DistributedHerder({
    workerId,
    url,
    config,
    distributed,
    plugins,
    configs,
    offsets,
    statuses,
    kafkaClusterId,
    metrics: metrics.metrics,
  });
  const app = createRestApp({
    herder,
    version: WEIR_VERSION,
    commit: WEIR_COMMIT,
    authenticate: restAuthenticator(config.restToken, distributed.adminToken),
  });
  const rest = await startRestServer({ listeners: config.listeners.join(','), app });
  log.info(
    `REST server listening at ${rest.urls.join(', ')}; worker ${workerId} joins group ${distributed.groupId}`,
  );

  exitOnSignals(
    async () => {
      await herder.stop();
      await Promise.all([configs.stop(), offsets.stop(), statuses.stop()]);
      await rest.close();
      await metrics.close();
    },
    config.taskShutdownGracefulTimeoutMs + 20_000,
    log,
  );
  await herder.start();
  log.info(
    `Kafka Connect (Weir ${WEIR_VERSION}) started in distributed mode; Kafka cluster ${kafkaClusterId}`,
  );
}
