// `weir connect-standalone`: wiring in one place, as ConnectStandalone does it — worker settings →
// offset file → herder → REST server → connectors from the command line; SIGTERM/SIGINT stop it all,
// flushing offsets, and exit 0.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Admin } from '@platformatic/kafka';
import { resolveWorkerProperties } from '../config/config-providers.ts';
import { readPropertiesFile } from '../config/properties.ts';
import {
  checkWorkerPlugins,
  parseWorkerConfig,
  standaloneWorkerConfigDef,
  type WorkerConfig,
} from '../config/worker-config.ts';
import { WeirError } from '../errors.ts';
import { StandaloneHerder } from '../herder/standalone-herder.ts';
import { logger } from '../logging.ts';
import { startWorkerMetrics } from '../metrics/worker-metrics.ts';
import { exitOnSignals } from './shutdown.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import { restAuthenticator } from '../rest/auth.ts';
import { createRestApp, startRestServer } from '../rest/server.ts';
import { FileOffsetStore } from '../storage/file-offset-store.ts';
import { MemoryStatusStore } from '../storage/status-store.ts';
import { baseClientOptions } from '../worker/kafka-clients.ts';
import {
  UNREACHABLE_ADVICE,
  UNREACHABLE_REPORT_INTERVAL_MS,
  unreachableAddresses,
} from '../worker/kafka-retries.ts';
import { kafkaSecurityProblem } from '../worker/kafka-security.ts';
import { WEIR_COMMIT, WEIR_VERSION } from '../version.ts';

const log = logger('org.apache.kafka.connect.cli.ConnectStandalone');

/**
 * Asks the cluster for its id, retrying for up to `timeoutMs` (Java's default.api.timeout.ms) so a
 * worker may start before its broker. A broker it cannot reach is named at once and every few seconds
 * after, with the error and what to check.
 */
export async function lookupKafkaClusterId(config: WorkerConfig, timeoutMs = 60_000): Promise<string> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastError: unknown;
  let reportedAt = 0;
  while (Date.now() < deadline) {
    const admin = new Admin({
      ...baseClientOptions(config, 'connect-cluster-id'),
      retries: 0,
      timeout: 5000,
    });
    try {
      const metadata = await admin.metadata({ topics: [] });
      if (reportedAt > 0) log.info(`Reached Kafka after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return metadata.id;
    } catch (error) {
      // Wrong credentials or certificates fail the same way every time: say so now.
      const problem = kafkaSecurityProblem(error);
      if (problem) {
        throw new WeirError(
          'WEIR_INVALID_CONFIG',
          `Cannot connect to Kafka at bootstrap.servers=${config.bootstrapServers.join(',')}: ${problem}.`,
          { cause: error },
        );
      }
      lastError = error;
      if (Date.now() - reportedAt >= UNREACHABLE_REPORT_INTERVAL_MS) {
        reportedAt = Date.now();
        log.warn(
          `Cannot reach Kafka at bootstrap.servers=${config.bootstrapServers.join(',')} (${unreachableReason(error)}); ` +
            `retrying for ${Math.round((deadline - Date.now()) / 1000)} s more: ${UNREACHABLE_ADVICE}`,
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await admin.close().catch(() => {});
    }
  }
  throw new WeirError(
    'WEIR_NOT_READY',
    `Failed to connect to and describe Kafka cluster at bootstrap.servers=${config.bootstrapServers.join(',')} ` +
      `within ${timeoutMs / 1000} s (${unreachableReason(lastError)}). Check that the brokers run, the address is right and security.protocol matches the listener.`,
  );
}

/** Each address a failed request could not connect to, with its reason; else the error's message. */
function unreachableReason(error: unknown): string {
  const addresses = unreachableAddresses(error);
  if (addresses.length > 0) return addresses.map((a) => `${a.address}: ${a.reason}`).join('; ');
  return (error as Error | undefined)?.message ?? 'no answer';
}

/** A connector file: Java .properties, or JSON as POST /connectors takes it ({name, config}) or a flat map. */
export function readConnectorFile(path: string): Record<string, string> {
  if (!path.endsWith('.json')) return readPropertiesFile(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WeirError(
      'WEIR_BAD_REQUEST',
      `cannot read connector file ${path}: ${(error as Error).message}`,
    );
  }
  const body = parsed as { name?: unknown; config?: unknown };
  const config = (typeof body.config === 'object' && body.config !== null ? body.config : parsed) as Record<
    string,
    unknown
  >;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) out[key] = String(value);
  if (typeof body.name === 'string') out['name'] = body.name;
  return out;
}

/** host:port other workers and clients reach this worker at, as Java derives it. */
export function workerIdOf(config: WorkerConfig): string {
  const listener = /^\w+:\/\/(\[[^\]]*\]|[^:]*):(\d+)/.exec(config.listeners[0] ?? '');
  const host = config.advertisedHostName ?? (listener?.[1] || hostname());
  return `${host}:${config.advertisedPort ?? listener?.[2] ?? '8083'}`;
}

export async function runStandalone(args: string[]): Promise<void> {
  const [workerFile, ...connectorFiles] = args;
  if (!workerFile) {
    throw new WeirError(
      'WEIR_BAD_REQUEST',
      'usage: weir connect-standalone <worker.properties> [<connector.properties>…]',
    );
  }
  const config = parseWorkerConfig(
    resolveWorkerProperties(readPropertiesFile(workerFile)),
    standaloneWorkerConfigDef(),
  );
  const plugins = builtinPlugins();
  checkWorkerPlugins(config, plugins);
  const metrics = await startWorkerMetrics(config, log);
  const offsets = new FileOffsetStore(config.offsetStorageFileFilename as string);
  await offsets.start();

  const workerId = workerIdOf(config);
  const herder = new StandaloneHerder({
    workerId,
    config,
    plugins,
    offsets,
    statuses: new MemoryStatusStore(),
    metrics: metrics.metrics,
  });
  // REST first, as in Java: /health answers "starting" while the worker connects to Kafka.
  const app = createRestApp({
    herder,
    version: WEIR_VERSION,
    commit: WEIR_COMMIT,
    authenticate: restAuthenticator(config.restToken),
  });
  const rest = await startRestServer({ listeners: config.listeners.join(','), app });
  log.info(`REST server listening at ${rest.urls.join(', ')}; worker id ${workerId}`);

  exitOnSignals(
    async () => {
      await herder.stop();
      await offsets.stop();
      await rest.close();
      await metrics.close();
    },
    config.taskShutdownGracefulTimeoutMs + 15_000,
    log,
  );

  const kafkaClusterId = await lookupKafkaClusterId(config);
  herder.markStarted(kafkaClusterId);
  log.info(`Kafka Connect (Weir ${WEIR_VERSION}) started; Kafka cluster ${kafkaClusterId}`);

  for (const file of connectorFiles) {
    try {
      const props = readConnectorFile(file);
      const name = props['name']?.trim();
      if (!name) throw new WeirError('WEIR_BAD_REQUEST', `${file}: the connector has no "name" setting`);
      const { info } = await herder.putConnectorConfig(name, props, { allowReplace: false });
      log.info(`Created connector ${info.name} from ${file}`);
    } catch (error) {
      // A bad connector file is reported and skipped; the worker keeps serving the others.
      log.error(`Failed to create connector from ${file}: ${(error as Error).message}`);
    }
  }
}
