// Kafka client settings for the clients a worker creates, from the worker's settings and, for a
// connector's clients, its producer.override.* / consumer.override.* / admin.override.* as far as the
// workers' connector.client.config.override.policy allows.
import type { RetryDelayGetter } from '@platformatic/kafka';
import type { Props } from '../api/index.ts';
import { allowedOverrides, type ClientKind } from '../config/client-overrides.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { retryDelay, retrySettings } from './kafka-retries.ts';
import { securityOptions, type SecurityOptions } from './kafka-security.ts';

/**
 * Retries of an admin request that someone waits for (a REST call, a worker's start): about Java's
 * default.api.timeout.ms (60 s) at retry.backoff.max.ms, rather than the outage's whole length.
 */
export const ADMIN_API_RETRIES = 60;

export interface ClientBase extends SecurityOptions {
  clientId: string;
  bootstrapBrokers: string[];
  timeout?: number;
  retries?: number;
  retryDelay?: number | RetryDelayGetter;
}

/**
 * One kind of client's own settings: the worker's under `kind.` (producer., consumer., admin.), then
 * the connector's under `kind.override.`. Throws when the override policy refuses one of those.
 */
export function clientSettings(
  worker: WorkerConfig,
  kind: ClientKind,
  connector?: Props,
): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(worker.originals)) {
    if (key.startsWith(`${kind}.`)) settings[key.slice(kind.length + 1)] = value;
  }
  if (connector) Object.assign(settings, allowedOverrides(worker.clientOverridePolicy, connector, kind));
  return settings;
}

/**
 * Options every client shares. Security settings (security.protocol, sasl.*, ssl.*) are the worker's
 * own, overridden by those of the client's kind (see clientSettings): a connector may log in as
 * another principal than its worker.
 */
export function baseClientOptions(
  worker: WorkerConfig,
  clientId: string,
  kind?: ClientKind,
  connector?: Props,
): ClientBase {
  return optionsWith(worker, clientId, kind ? clientSettings(worker, kind, connector) : {});
}

/** baseClientOptions, given the kind's own settings (clientSettings) already. */
function optionsWith(worker: WorkerConfig, clientId: string, own: Record<string, string>): ClientBase {
  const settings = { ...worker.originals, ...own };
  return {
    clientId: worker.clientId ? `${worker.clientId}-${clientId}` : clientId,
    bootstrapBrokers: worker.bootstrapServers,
    // As Java's clients: a broker outage is waited out with back-off, however long it lasts; callers
    // bound the wait where Java does (delivery.timeout.ms for a source task's records).
    retries: Number.MAX_SAFE_INTEGER,
    retryDelay: retryDelay(retrySettings(settings)),
    ...securityOptions(settings),
  };
}

export function producerOptions(worker: WorkerConfig, connector: Props, clientId: string) {
  const own = clientSettings(worker, 'producer', connector);
  const acks = own['acks'] ?? 'all';
  return {
    ...optionsWith(worker, clientId, own),
    acks: acks === 'all' ? -1 : Number(acks),
    autocreateTopics: true,
  };
}

/** delivery.timeout.ms of a connector's producer (Java's default: 2 minutes). */
export function deliveryTimeoutMs(worker: WorkerConfig, connector: Props): number {
  const value = Number(clientSettings(worker, 'producer', connector)['delivery.timeout.ms'] ?? 120_000);
  return Number.isFinite(value) && value > 0 ? value : 120_000;
}

/**
 * A sink connector's consumer group: connect-<name>, unless the worker's consumer.group.id or the
 * connector's consumer.override.group.id says otherwise (as in Java).
 */
export function sinkGroupId(worker: WorkerConfig, connector: Props, name: string): string {
  return clientSettings(worker, 'consumer', connector)['group.id'] ?? `connect-${name}`;
}

export function consumerOptions(worker: WorkerConfig, connector: Props, clientId: string, groupId: string) {
  const own = clientSettings(worker, 'consumer', connector);
  return {
    ...optionsWith(worker, clientId, own),
    groupId,
    sessionTimeout: Number(own['session.timeout.ms'] ?? 45000),
    heartbeatInterval: Number(own['heartbeat.interval.ms'] ?? 3000),
    maxWaitTime: Number(own['fetch.max.wait.ms'] ?? 500),
    // Java's fetch limits (fetch.max.bytes 50 MiB, max.partition.fetch.bytes 1 MiB). Without the
    // per-partition one, @platformatic/kafka asks for up to maxBytes per partition, and one fetch of a
    // backlog turns into hundreds of thousands of buffered messages (measured: 800 MB RSS for 1M).
    maxBytes: Number(own['fetch.max.bytes'] ?? 52_428_800),
    maxBytesPerPartition: Number(own['max.partition.fetch.bytes'] ?? 1_048_576),
  };
}
