// The worker's Prometheus metrics. Names and labels are the ones Strimzi's JMX exporter rules make of
// Apache Kafka Connect's JMX metrics (kafka_connect_<group>_<metric>{connector, task}), so dashboards
// and alerts written for Strimzi keep working. Task runners only bump plain fields (task-metrics.ts);
// every value here is read when Prometheus scrapes, so the record path never touches prom-client.
// docs/metrics.md lists every metric and its Java counterpart.
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { ConnectorState } from '../rest/types.ts';
import { defineCollected, defineCollectedGauge, defineInfoGauge } from './collected.ts';
import { defineTaskMetrics } from './task-metric-families.ts';
import type { TaskMetrics } from './task-metrics.ts';

/** A connector running on this worker (Java's connector-metrics group). */
export class ConnectorMetrics {
  state: ConnectorState = 'UNASSIGNED';
  readonly name: string;
  readonly className: string;
  readonly type: 'source' | 'sink';
  readonly version: string;

  constructor(name: string, className: string, type: 'source' | 'sink', version: string) {
    this.name = name;
    this.className = className;
    this.type = type;
    this.version = version;
  }
}

/** What the group membership knows; read at scrape time. */
export interface GroupView {
  rebalancing(): boolean;
  leaderUrl(): string | undefined;
}

/** Java's connect-worker-rebalance-metrics (distributed mode only). */
export class RebalanceMetrics {
  epoch = -1;
  lastCompletedAt: number | null = null;
  /** Java's names for the negotiated sub-protocol: EAGER, COMPATIBLE, SESSIONED. */
  protocol: string | undefined;

  private readonly completed: Counter;

  constructor(completed: Counter) {
    this.completed = completed;
  }

  recordCompleted(generation: number, protocolVersion: number, now = Date.now()): void {
    this.completed.inc();
    this.epoch = generation;
    this.lastCompletedAt = now;
    this.protocol = protocolVersion >= 2 ? 'SESSIONED' : protocolVersion === 1 ? 'COMPATIBLE' : 'EAGER';
  }
}

const STATE_COUNTS: readonly [string, ConnectorState | 'DESTROYED'][] = [
  ['running', 'RUNNING'],
  ['paused', 'PAUSED'],
  ['failed', 'FAILED'],
  ['unassigned', 'UNASSIGNED'],
  ['destroyed', 'DESTROYED'],
  ['restarting', 'RESTARTING'],
];

export class ConnectMetrics {
  readonly registry = new Registry();
  private readonly connectors = new Set<ConnectorMetrics>();
  private readonly tasks = new Set<TaskMetrics>();
  private readonly startups: Record<
    'connector' | 'task',
    Record<'attempts' | 'success' | 'failure', Counter>
  >;
  private rebalance: RebalanceMetrics | undefined;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    const startupCounters = (what: 'connector' | 'task') => {
      const counter = (result: string, help: string) =>
        new Counter({
          name: `kafka_connect_worker_${what}_startup_${result}_total`,
          help,
          registers: [this.registry],
        });
      return {
        attempts: counter('attempts', `The total number of ${what} startups that this worker has attempted.`),
        success: counter('success', `The total number of ${what} starts that succeeded.`),
        failure: counter('failure', `The total number of ${what} starts that failed.`),
      };
    };
    this.defineWorker();
    this.startups = { connector: startupCounters('connector'), task: startupCounters('task') };
    this.defineConnectors();
    defineTaskMetrics(this.registry, this.tasks);
  }

  // ---- what the worker reports ----

  recordConnectorStartup(succeeded: boolean): void {
    this.recordStartup(this.startups.connector, succeeded);
  }

  recordTaskStartup(succeeded: boolean): void {
    this.recordStartup(this.startups.task, succeeded);
  }

  private recordStartup(counters: Record<'attempts' | 'success' | 'failure', Counter>, ok: boolean): void {
    counters.attempts.inc();
    (ok ? counters.success : counters.failure).inc();
  }

  addConnector(connector: ConnectorMetrics): ConnectorMetrics {
    this.connectors.add(connector);
    return connector;
  }

  removeConnector(connector: ConnectorMetrics): void {
    this.connectors.delete(connector);
  }

  addTask<T extends TaskMetrics>(task: T): T {
    this.tasks.add(task);
    return task;
  }

  removeTask(task: TaskMetrics): void {
    this.tasks.delete(task);
  }

  /** Adds the rebalance metrics (distributed mode); `group` is read at scrape time. */
  trackRebalances(group: GroupView): RebalanceMetrics {
    if (this.rebalance) return this.rebalance;
    const prefix = 'kafka_connect_worker_rebalance';
    const completed = new Counter({
      name: `${prefix}_completed_rebalances_total`,
      help: 'The total number of rebalances completed by this worker.',
      registers: [this.registry],
    });
    const rebalance = new RebalanceMetrics(completed);
    const gauge = (name: string, help: string, value: () => number) =>
      defineCollectedGauge(this.registry, `${prefix}_${name}`, help, value);
    gauge('rebalancing', 'Whether this worker is currently rebalancing.', () =>
      group.rebalancing() ? 1 : 0,
    );
    gauge('epoch', 'The epoch or generation number of this worker.', () => rebalance.epoch);
    gauge(
      'time_since_last_rebalance_ms',
      'The time in milliseconds since this worker completed the most recent rebalance (+Inf before the first).',
      () => (rebalance.lastCompletedAt === null ? Infinity : Date.now() - rebalance.lastCompletedAt),
    );
    defineInfoGauge(
      this.registry,
      `${prefix}_leader_name`,
      'The group leader (its REST URL)',
      'leader_name',
      () => group.leaderUrl(),
    );
    defineInfoGauge(
      this.registry,
      `${prefix}_connect_protocol`,
      'The Connect protocol in use (EAGER, COMPATIBLE, SESSIONED)',
      'connect_protocol',
      () => rebalance.protocol,
    );
    this.rebalance = rebalance;
    return rebalance;
  }

  // ---- definitions ----

  private defineWorker(): void {
    defineCollectedGauge(
      this.registry,
      'kafka_connect_worker_connector_count',
      'The number of connectors run in this worker.',
      () => this.connectors.size,
    );
    defineCollectedGauge(
      this.registry,
      'kafka_connect_worker_task_count',
      'The number of tasks run in this worker.',
      () => this.tasks.size,
    );
    const byConnector = (): [string, TaskMetrics[]][] => {
      const groups = new Map<string, TaskMetrics[]>();
      for (const t of this.tasks) groups.set(t.connector, [...(groups.get(t.connector) ?? []), t]);
      return [...groups];
    };
    const perConnector = (metric: string, help: string, count: (tasks: TaskMetrics[]) => number) =>
      defineCollected(this.registry, {
        name: `kafka_connect_worker_connector_${metric}_task_count`,
        help,
        labelNames: ['connector'],
        items: byConnector,
        labels: ([connector]) => ({ connector }),
        value: ([, tasks]) => count(tasks),
      });
    perConnector('total', 'The number of tasks of the connector on the worker.', (tasks) => tasks.length);
    for (const [word, state] of STATE_COUNTS) {
      perConnector(
        word,
        `The number of ${word} tasks of the connector on the worker.`,
        (tasks) => tasks.filter((t) => t.state === state).length,
      );
    }
  }

  private defineConnectors(): void {
    const info = (field: string, help: string, value: (c: ConnectorMetrics) => string) =>
      defineCollected(this.registry, {
        name: `kafka_connect_connector_${field}`,
        help: `${help} as the label ${field}; the value is always 1.`,
        labelNames: ['connector', field],
        items: () => this.connectors,
        labels: (c) => ({ connector: c.name, [field]: value(c) }),
        value: () => 1,
      });
    defineCollected(this.registry, {
      name: 'kafka_connect_connector_status',
      help: 'The status of the connector as the label status (running, paused, stopped, failed, unassigned, restarting); the value is always 1.',
      labelNames: ['connector', 'status'],
      items: () => this.connectors,
      labels: (c) => ({ connector: c.name, status: c.state.toLowerCase() }),
      value: () => 1,
    });
    info('connector_class', 'The name of the connector class', (c) => c.className);
    info('connector_type', "The type of the connector ('source' or 'sink')", (c) => c.type);
    info(
      'connector_version',
      'The version of the connector class, as reported by the connector',
      (c) => c.version,
    );
  }
}
