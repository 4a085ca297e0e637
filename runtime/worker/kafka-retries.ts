// How the worker's Kafka clients retry, as Java's clients do: a failed request is tried again after
// retry.backoff.ms, doubling up to retry.backoff.max.ms with 20% jitter (Kafka's ExponentialBackoff),
// for as long as it takes: a broker outage never exhausts a retry budget. What bounds the waiting is
// each caller's own deadline (delivery.timeout.ms for records a source task sends). While a client
// cannot reach a broker it says so at once, then every few seconds: the address, the error, what to
// check; and once the broker answers again, after how long.
import type { RetryDelayGetter } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { logger } from '../logging.ts';

/** How often one client repeats that an address is unreachable. */
export const UNREACHABLE_REPORT_INTERVAL_MS = 5000;

const log = logger('org.apache.kafka.clients.NetworkClient');

export interface RetrySettings {
  /** retry.backoff.ms (Java's default 100). */
  backoffMs: number;
  /** retry.backoff.max.ms (Java's default 1000). */
  backoffMaxMs: number;
}

/** retry.backoff.ms and retry.backoff.max.ms from a client's settings, Java's defaults when absent. */
export function retrySettings(settings: Readonly<Record<string, string>>): RetrySettings {
  const number = (key: string, fallback: number) => {
    const value = Number(settings[key]);
    return settings[key] !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  const backoffMs = number('retry.backoff.ms', 100);
  return { backoffMs, backoffMaxMs: Math.max(backoffMs, number('retry.backoff.max.ms', 1000)) };
}

/** The wait before retry number `attempt` (1 for the first), as Kafka's ExponentialBackoff(…, 2, …, 0.2). */
export function backoffDelay(settings: RetrySettings, attempt: number, random = Math.random): number {
  const exp = Math.min(settings.backoffMaxMs, settings.backoffMs * 2 ** Math.max(0, attempt - 1));
  if (settings.backoffMaxMs <= settings.backoffMs) return settings.backoffMs;
  return Math.round(exp * (0.8 + 0.4 * random()));
}

interface ErrorNode extends Error {
  cause?: unknown;
  errors?: unknown[];
  code?: string;
}

function* errorTree(error: unknown, depth = 0): Generator<ErrorNode> {
  if (!(error instanceof Error) || depth > 10) return;
  const node = error as ErrorNode;
  yield node;
  yield* errorTree(node.cause, depth + 1);
  for (const inner of node.errors ?? []) yield* errorTree(inner, depth + 1);
}

/** The addresses a failed request could not connect to, each with the system's reason. */
export function unreachableAddresses(error: unknown): { address: string; reason: string }[] {
  const found = new Map<string, string>();
  for (const node of errorTree(error)) {
    const match = /^Connection to (.+) failed\.$/.exec(node.message);
    if (!match?.[1] || found.has(match[1])) continue;
    const cause = node.cause instanceof Error ? node.cause.message : undefined;
    found.set(match[1], cause ?? node.message);
  }
  return [...found].map(([address, reason]) => ({ address, reason }));
}

/** What to check when an address cannot be reached, in one sentence. */
export const UNREACHABLE_ADVICE =
  'check that a broker runs there, that bootstrap.servers (and the listeners the brokers advertise) name an address this worker can reach, that security.protocol matches the listener, and that no firewall or NetworkPolicy is in the way';

/** One address no client of this process could reach: since when, what was last reported. */
interface Outage {
  since: number;
  reportedAt: number;
  /** The clients that failed to reach it since the last report. */
  clients: Set<string>;
}

/** Outages by address (host:port), shared by every client of the process: one line for them all. */
const outages = new Map<string, Outage>();
const watched = new WeakSet<object>();

/** What a client is seen as here: the @platformatic/kafka client (an EventEmitter with a clientId). */
type Client = {
  on(event: string, listener: (payload: { broker?: { host: string; port: number } }) => void): unknown;
  clientId?: string;
};

const MAX_NAMED_CLIENTS = 4;

function clientList(clients: Set<string>): string {
  const names = [...clients];
  const more = names.length > MAX_NAMED_CLIENTS ? ` and ${names.length - MAX_NAMED_CLIENTS} more` : '';
  return `${names.slice(0, MAX_NAMED_CLIENTS).join(', ')}${more}`;
}

/**
 * The retryDelay option of a @platformatic/kafka client: Java's back-off, and a warning naming an
 * unreachable address at the first failure and every UNREACHABLE_REPORT_INTERVAL_MS after (one line
 * for all the process's clients), then an INFO line once a client connects to it again.
 */
export function retryDelay(settings: RetrySettings, reportTo: Logger = log): RetryDelayGetter {
  return (owner, operationId, attempt, _retries, error) => {
    const client = owner as Client;
    const delay = backoffDelay(settings, attempt);
    const unreachable = unreachableAddresses(error);
    if (unreachable.length === 0) return delay;
    if (!watched.has(client)) {
      watched.add(client);
      client.on('client:broker:connect', ({ broker }) => {
        const address = broker ? `${broker.host}:${broker.port}` : '';
        const ended = outages.get(address);
        if (!ended) return;
        outages.delete(address);
        reportTo.info(
          `Kafka at ${address} answers again, after ${((Date.now() - ended.since) / 1000).toFixed(1)} s out of reach`,
        );
      });
    }
    const now = Date.now();
    for (const { address, reason } of unreachable) {
      let outage = outages.get(address);
      if (!outage) {
        outage = { since: now, reportedAt: 0, clients: new Set() };
        outages.set(address, outage);
      }
      outage.clients.add(`${client.clientId ?? '?'} (${operationId})`);
      if (now - outage.reportedAt < UNREACHABLE_REPORT_INTERVAL_MS) continue;
      outage.reportedAt = now;
      reportTo.warn(
        `Cannot reach Kafka at ${address} (${reason}) for ${((now - outage.since) / 1000).toFixed(0)} s, ` +
          `retrying every ${settings.backoffMaxMs} ms at most until it answers (clients: ${clientList(outage.clients)}): ${UNREACHABLE_ADVICE}`,
      );
      outage.clients.clear();
    }
    return delay;
  };
}
