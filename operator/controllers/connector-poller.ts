// One `GET /connectors?expand=status&expand=info&expand=topics` per KafkaConnect every interval
// (2 s), never one call per connector (`expand=topics` is Weir's: per-connector
// `GET /connectors/{name}/topics` would make 200 connectors 100 calls a second). Each cluster polls on its own, so a slow or unreachable cluster never delays
// another. When a connector's entry changes, the KafkaConnectors on that cluster are told (the
// controller enqueues them); `refresh` polls at once (after the operator acted, or when a reconcile
// needs a snapshot that is not there yet).
import { logger } from '../../runtime/logging.ts';
import type { ConnectorExpansion } from '../connect-client.ts';
import type { ClusterAccess } from './context.ts';

const log = logger('weir.operator.poller');

export interface Snapshot {
  /** When the answer came. */
  at: number;
  connectors: Record<string, ConnectorExpansion>;
}

export interface ConnectorPollerOptions {
  intervalMs?: number;
  /** The clusters to poll now (`namespace/name`). */
  clusters: () => string[];
  /** Called after a poll with the connector names whose entry changed or disappeared. */
  onChange: (clusterKey: string, changed: string[]) => void;
  /** Called after every poll that had a worker to ask (metrics). */
  onPolled?: (clusterKey: string, result: 'success' | 'error', durationMs: number) => void;
}

export class ConnectorPoller {
  private readonly access: Pick<ClusterAccess, 'endpoints' | 'rest'>;
  private readonly o: ConnectorPollerOptions & { intervalMs: number };
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly fingerprints = new Map<string, Map<string, string>>();
  private readonly inFlight = new Map<string, Promise<Snapshot | undefined>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(access: Pick<ClusterAccess, 'endpoints' | 'rest'>, options: ConnectorPollerOptions) {
    this.access = access;
    this.o = { intervalMs: 2_000, ...options };
  }

  start(): void {
    this.timer ??= setInterval(() => {
      for (const key of this.o.clusters()) void this.refresh(key);
    }, this.o.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The last answer of the cluster's workers, if any. */
  snapshot(clusterKey: string): Snapshot | undefined {
    return this.snapshots.get(clusterKey);
  }

  forget(clusterKey: string): void {
    this.snapshots.delete(clusterKey);
    this.fingerprints.delete(clusterKey);
  }

  /** Polls now (joining a poll already under way); undefined when no worker answered. */
  refresh(clusterKey: string): Promise<Snapshot | undefined> {
    const running = this.inFlight.get(clusterKey);
    if (running) return running;
    const poll = this.poll(clusterKey).finally(() => this.inFlight.delete(clusterKey));
    this.inFlight.set(clusterKey, poll);
    return poll;
  }

  /** A snapshot taken after `since` (polling when the last one is older). */
  async fresh(clusterKey: string, since: number): Promise<Snapshot | undefined> {
    const current = this.snapshots.get(clusterKey);
    if (current && current.at >= since) return current;
    const running = this.inFlight.get(clusterKey);
    if (running) await running;
    const after = this.snapshots.get(clusterKey);
    if (after && after.at >= since) return after;
    return this.refresh(clusterKey);
  }

  private async poll(clusterKey: string): Promise<Snapshot | undefined> {
    if (this.access.endpoints(clusterKey).length === 0) return undefined;
    let connectors: Record<string, ConnectorExpansion>;
    const started = Date.now();
    try {
      connectors = await (await this.access.rest(clusterKey)).connectors();
      const snapshot = { at: started, connectors };
      this.snapshots.set(clusterKey, snapshot);
      this.o.onPolled?.(clusterKey, 'success', Date.now() - started);
    } catch (error) {
      log.debug({ err: error, cluster: clusterKey }, 'poll failed');
      this.o.onPolled?.(clusterKey, 'error', Date.now() - started);
      return undefined;
    }
    const previous = this.fingerprints.get(clusterKey) ?? new Map<string, string>();
    const next = new Map<string, string>();
    const changed: string[] = [];
    for (const [name, entry] of Object.entries(connectors)) {
      const fp = JSON.stringify(entry);
      next.set(name, fp);
      if (previous.get(name) !== fp) changed.push(name);
    }
    for (const name of previous.keys()) if (!next.has(name)) changed.push(name);
    this.fingerprints.set(clusterKey, next);
    if (changed.length > 0) this.o.onChange(clusterKey, changed);
    return this.snapshots.get(clusterKey);
  }
}
