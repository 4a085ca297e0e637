// Kafka client settings for the clients a worker creates, from the worker's settings (and the
// connector's producer.override.* / consumer.override.*, which the override policy allows).
import type { Props } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { securityOptions, type SecurityOptions } from './kafka-security.ts';

export interface ClientBase extends SecurityOptions {
  clientId: string;
  bootstrapBrokers: string[];
  timeout?: number;
  retries?: number;
  retryDelay?: number;
}

/**
 * Options every client shares. Security settings come from the worker's own (security.protocol,
 * sasl.*, ssl.*), overridden by those under `kind.` (producer., consumer., admin.) as in Java.
 */
export function baseClientOptions(
  worker: WorkerConfig,
  clientId: string,
  kind?: 'producer' | 'consumer' | 'admin',
): ClientBase {
  const settings: Record<string, string> = { ...worker.originals };
  if (kind) {
    for (const [key, value] of Object.entries(worker.originals)) {
      if (key.startsWith(`${kind}.`)) settings[key.slice(kind.length + 1)] = value;
    }
  }
  return {
    clientId: worker.clientId ? `${worker.clientId}-${clientId}` : clientId,
    bootstrapBrokers: worker.bootstrapServers,
    retries: 10,
    retryDelay: 500,
    ...securityOptions(settings),
  };
}

function override(
  worker: WorkerConfig,
  connector: Props,
  kind: 'producer' | 'consumer',
  key: string,
): string | undefined {
  return connector[`${kind}.override.${key}`] ?? worker.originals[`${kind}.${key}`];
}

export function producerOptions(worker: WorkerConfig, connector: Props, clientId: string) {
  const acks = override(worker, connector, 'producer', 'acks') ?? 'all';
  return {
    ...baseClientOptions(worker, clientId, 'producer'),
    acks: acks === 'all' ? -1 : Number(acks),
    autocreateTopics: true,
  };
}

export function consumerOptions(worker: WorkerConfig, connector: Props, clientId: string, groupId: string) {
  return {
    ...baseClientOptions(worker, clientId, 'consumer'),
    groupId,
    sessionTimeout: Number(override(worker, connector, 'consumer', 'session.timeout.ms') ?? 45000),
    heartbeatInterval: Number(override(worker, connector, 'consumer', 'heartbeat.interval.ms') ?? 3000),
    maxWaitTime: Number(override(worker, connector, 'consumer', 'fetch.max.wait.ms') ?? 500),
    // Java's fetch limits (fetch.max.bytes 50 MiB, max.partition.fetch.bytes 1 MiB). Without the
    // per-partition one, @platformatic/kafka asks for up to maxBytes per partition, and one fetch of a
    // backlog turns into hundreds of thousands of buffered messages (measured: 800 MB RSS for 1M).
    maxBytes: Number(override(worker, connector, 'consumer', 'fetch.max.bytes') ?? 52_428_800),
    maxBytesPerPartition: Number(
      override(worker, connector, 'consumer', 'max.partition.fetch.bytes') ?? 1_048_576,
    ),
  };
}
