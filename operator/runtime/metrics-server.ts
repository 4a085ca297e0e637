// The operator's HTTP face for Kubernetes and Prometheus: /metrics (reconciles by kind and result,
// durations, errors, queue depths, informer health, leadership), /healthz (the process answers) and
// /readyz (every started informer has synced and is not failing). A standby replica starts no
// informers, so it is ready too: both replicas stay behind the Service, one of them leading.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { logger } from '../../runtime/logging.ts';
import type { InformerStatus } from '../kube/informer.ts';
import type { ReconcileOutcome } from '../kube/work-queue.ts';

const log = logger('weir.operator.http');

interface QueueLike {
  readonly length: number;
  readonly running: number;
  readonly scheduled: number;
}
interface InformerLike {
  status(): InformerStatus;
}

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles: Counter<'kind' | 'result'>;
  readonly reconcileErrors: Counter<'kind'>;
  readonly reconcileDuration: Histogram<'kind'>;
  readonly leader: Gauge;
  private readonly queues = new Map<string, QueueLike>();
  private readonly informers = new Set<InformerLike>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.reconciles = new Counter({
      name: 'weir_operator_reconcile_total',
      help: 'Reconciles finished, by kind and result (success, requeue, error)',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'weir_operator_reconcile_errors_total',
      help: 'Reconciles that failed (and will be retried with back-off), by kind',
      labelNames: ['kind'],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: 'weir_operator_reconcile_duration_seconds',
      help: 'How long reconciles took, by kind',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.leader = new Gauge({
      name: 'weir_operator_leader',
      help: '1 while this replica holds the leader Lease',
      registers,
    });
    this.leader.set(0);
    const queues = this.queues;
    const queueGauge = (name: string, help: string, read: (q: QueueLike) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['kind'],
        registers,
        collect() {
          for (const [kind, q] of queues) this.set({ kind }, read(q));
        },
      });
    };
    queueGauge('weir_operator_workqueue_depth', 'Keys waiting to be reconciled, by kind', (q) => q.length);
    queueGauge('weir_operator_workqueue_running', 'Keys being reconciled now, by kind', (q) => q.running);
    queueGauge(
      'weir_operator_workqueue_scheduled',
      'Keys waiting for a back-off or requeueAfter, by kind',
      (q) => q.scheduled,
    );
    const informers = this.informers;
    const informerGauge = (name: string, help: string, read: (s: InformerStatus) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['informer'],
        registers,
        collect() {
          this.reset();
          for (const inf of informers) {
            const s = inf.status();
            this.set({ informer: s.name }, read(s));
          }
        },
      });
    };
    informerGauge(
      'weir_operator_informer_healthy',
      '1 while the informer is synced and its list/watch works',
      (s) => (s.healthy ? 1 : 0),
    );
    informerGauge('weir_operator_informer_synced', '1 once the informer has listed everything', (s) =>
      s.synced ? 1 : 0,
    );
    informerGauge(
      'weir_operator_informer_failures',
      'Consecutive list/watch failures of the informer',
      (s) => s.consecutiveFailures,
    );
    informerGauge(
      'weir_operator_informer_last_sync_timestamp_seconds',
      'When the informer was last in sync',
      (s) => (s.lastSyncTime ? s.lastSyncTime.getTime() / 1000 : 0),
    );
  }

  /** Reports `queue`'s depth under `kind`. */
  watchQueue(kind: string, queue: QueueLike): void {
    this.queues.set(kind, queue);
  }

  /** A WorkQueue `onReconciled` hook counting and timing reconciles of `kind`. */
  reconcileObserver(kind: string): (e: { outcome: ReconcileOutcome; durationMs: number }) => void {
    return ({ outcome, durationMs }) => {
      this.reconciles.inc({ kind, result: outcome });
      if (outcome === 'error') this.reconcileErrors.inc({ kind });
      this.reconcileDuration.observe({ kind }, durationMs / 1000);
    };
  }

  /** Reports `informer`'s health and counts it for /readyz. */
  watchInformer(informer: InformerLike): void {
    this.informers.add(informer);
  }

  unwatchInformer(informer: InformerLike): void {
    this.informers.delete(informer);
  }

  setLeader(leading: boolean): void {
    this.leader.set(leading ? 1 : 0);
  }

  /** Ready when every started informer is synced and healthy (a standby starts none). */
  readiness(): { ready: boolean; informers: InformerStatus[] } {
    const informers = [...this.informers].map((i) => i.status()).filter((s) => s.started);
    return { ready: informers.every((s) => s.synced && s.healthy), informers };
  }
}

export interface MetricsServerOptions {
  metrics: OperatorMetrics;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Extra readiness checks: a name and a reason when not ready (undefined when ready). */
  checks?: Record<string, () => string | undefined>;
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    try {
      res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (error) {
      res.status(500).send(String(error));
    }
  });
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/readyz', (_req, res) => {
    const { ready, informers } = metrics.readiness();
    const failed = Object.entries(options.checks ?? {})
      .map(([name, check]) => [name, check()] as const)
      .filter(([, why]) => why !== undefined);
    const notReady = informers
      .filter((s) => !s.synced || !s.healthy)
      .map(
        (s) => `informer ${s.name}: ${!s.synced ? 'not synced' : `failing (${s.lastError ?? 'unknown'})`}`,
      );
    const body = {
      ready: ready && failed.length === 0,
      reasons: [...notReady, ...failed.map(([name, why]) => `${name}: ${why}`)],
      informers: informers.map((s) => ({
        name: s.name,
        synced: s.synced,
        healthy: s.healthy,
        lastSyncTime: s.lastSyncTime?.toISOString(),
      })),
    };
    res.status(body.ready ? 200 : 503).json(body);
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 8080, options.host ?? '0.0.0.0', (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'serving /metrics, /healthz and /readyz');
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
