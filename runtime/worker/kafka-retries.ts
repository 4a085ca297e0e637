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

/** The outage of one client: when it began, when it was last reported, what failed last. */
interface Outage {
  since: number;
  reportedAt: number;
  addresses: string;
}

const outages = new WeakMap<object, Outage>();

/** What a client is seen as here: the @platformatic/kafka client (an EventEmitter with a clientId). */
type Client = { once(event: string, listener: () => void): unknown; clientId?: string };

/**
 * The retryDelay option of a @platformatic/kafka client: Java's back-off, and a warning naming the
 * unreachable addresses at the first failure and every UNREACHABLE_REPORT_INTERVAL_MS after, then an
 * INFO line when the client connects again.
 */
export function retryDelay(settings: RetrySettings, reportTo: Logger = log): RetryDelayGetter {
  return (owner, operationId, attempt, _retries, error) => {
    const client = owner as Client;
    const delay = backoffDelay(settings, attempt);
    const unreachable = unreachableAddresses(error);
    if (unreachable.length === 0) return delay;
    const now = Date.now();
    let outage = outages.get(client);
    if (!outage) {
      outage = { since: now, reportedAt: 0, addresses: '' };
      outages.set(client, outage);
      client.once('client:broker:connect', () => {
        const ended = outages.get(client);
        outages.delete(client);
        if (ended) {
          reportTo.info(
            `Client ${client.clientId ?? ''} reached Kafka again after ${((Date.now() - ended.since) / 1000).toFixed(1)} s without a connection to ${ended.addresses}`,
          );
        }
      });
    }
    outage.addresses = unreachable.map((u) => u.address).join(', ');
    if (now - outage.reportedAt >= UNREACHABLE_REPORT_INTERVAL_MS) {
      outage.reportedAt = now;
      const seconds = ((now - outage.since) / 1000).toFixed(0);
      reportTo.warn(
        `Cannot reach Kafka at ${unreachable.map((u) => `${u.address} (${u.reason})`).join(', ')} ` +
          `for ${seconds} s (client ${client.clientId ?? ''}, ${operationId}); retrying every ${settings.backoffMaxMs} ms at most until it answers: ${UNREACHABLE_ADVICE}`,
      );
    }
    return delay;
  };
}
