// The worker runs connector and task instances on this process: it creates them from the plugin
// registry, drives their target states and reports their statuses. Herders decide what runs where;
// the worker only does it.
import type { Logger } from 'pino';
import type { Connector, Props, SinkTask, SourceTask } from '../api/index.ts';
import { allowedOverrides, taskClients } from '../config/client-overrides.ts';
import {
  configProviders,
  resolvePlaceholders,
  reverseTransform,
  type ConfigProvider,
  type Unresolved,
} from '../config/config-providers.ts';
import { sameProps } from '../config/properties.ts';
import { redactSecrets, rememberSecret } from '../config/secrets.ts';
import { topicCreationPlan } from '../config/topic-creation.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { traceOf as rawTraceOf } from '../errors.ts';
import { logger } from '../logging.ts';
import { ConnectMetrics, ConnectorMetrics } from '../metrics/connect-metrics.ts';
import { SinkTaskMetrics, SourceTaskMetrics } from '../metrics/task-metrics.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { ConnectorState, TargetState } from '../rest/types.ts';
import type { OffsetStore, TransactionalOffsetStore } from '../storage/offset-store.ts';
import type { StatusStore, TaskId } from '../storage/status-store.ts';
import { SinkTaskRunner } from './sink-task-runner.ts';
import {
  ExactlyOnceSourceTaskRunner,
  transactional,
  type ExactlyOnceOptions,
} from './exactly-once-source-task-runner.ts';
import { SourceTaskRunner } from './source-task-runner.ts';
import type { WorkerTask } from './worker-task.ts';

export interface WorkerOptions {
  workerId: string;
  config: WorkerConfig;
  plugins: PluginRegistry;
  offsets: OffsetStore;
  /**
   * The store of a source connector's offsets, given its resolved config (distributed: its
   * offsets.storage.topic, see connector-offset-topics.ts); `offsets` when absent. Required with exactlyOnce.
   */
  sourceOffsets?: (connector: string, props: Props) => TransactionalOffsetStore;
  statuses: StatusStore;
  /** Called when a connector asks for its tasks to be reconfigured. */
  onTaskReconfigurationRequest: (connector: string) => void;
  generation?: () => number;
  /** Where the worker reports connector and task metrics; a private registry when absent. */
  metrics?: ConnectMetrics;
  /**
   * Sink consumers join their groups as static members, with ids made from this (the Connect
   * cluster's group.id, or the standalone worker's id): see sink-group-instance.ts. Absent: dynamic.
   */
  sinkGroupInstanceScope?: string;
  /** With exactly.once.source.support=enabled: source tasks run transactions. */
  exactlyOnce?: ExactlyOnceOptions;
}

interface RunningConnector {
  instance: Connector;
  /** Resolved, as the instance sees it. */
  props: Props;
  /** As stored, with its placeholders. */
  rawProps: Props;
  state: TargetState;
  started: boolean;
  failed: boolean;
  metrics: ConnectorMetrics;
}

export const taskKey = (id: TaskId): string => `${id.connector}-${id.task}`;

/** A failure's trace as statuses carry it: without the secrets config providers resolved. */
const traceOf = (error: unknown): string => redactSecrets(rawTraceOf(error));

export class Worker {
  readonly workerId: string;
  readonly config: WorkerConfig;
  private readonly options: WorkerOptions;
  private readonly connectors = new Map<string, RunningConnector>();
  private readonly tasks = new Map<string, WorkerTask>();
  private readonly log: Logger = logger('org.apache.kafka.connect.runtime.Worker');
  private readonly metrics: ConnectMetrics;

  /** ${provider:path:key} placeholders in connector settings resolve when they start, never in stored configs. */
  private readonly providers: Map<string, ConfigProvider>;
  /** Applied connector configs resolved, each once (see resolvedAppliedConfig). */
  private readonly appliedResolutions = new WeakMap<Props, Props>();
  /** The configs each task was last started with, as stored and as resolved then (undefined: could not be). */
  private readonly taskStarts = new Map<
    string,
    { connector: Props; task: Props; resolved: { connector: Props; task: Props } | undefined }
  >();

  constructor(options: WorkerOptions) {
    this.options = options;
    this.workerId = options.workerId;
    this.config = options.config;
    this.providers = configProviders(options.config.originals);
    this.metrics = options.metrics ?? new ConnectMetrics();
    if (options.config.clientOverridePolicy.name === 'Principal') {
      this.log.warn(
        'connector.client.config.override.policy=Principal is deprecated (as in Apache Kafka 4.3): use Allowlist with connector.client.config.override.allowlist=sasl.jaas.config,sasl.mechanism,security.protocol',
      );
    }
  }

  /**
   * The connector config with its ${provider:path:key} placeholders resolved, as its instances see it.
   * A placeholder a provider cannot resolve throws, naming the setting, unless `unresolved` is 'keep'
   * (validation keeps it as written, as Java does).
   */
  resolveConfig(props: Props, unresolved: Unresolved = 'throw'): Props {
    // Every value resolved for a connector is hidden from logs, traces and validate from now on.
    return resolvePlaceholders(props, this.providers, unresolved, rememberSecret);
  }

  /** Resolved now for comparing configs: as written where a placeholder cannot be resolved. */
  resolvedForComparison(props: Props): Props {
    return this.resolveConfig(props, 'keep');
  }

  /**
   * The connector config in force when the task configs were committed, resolved the first time it
   * is asked for and then remembered, as Java's AppliedConnectorConfig: compared with the current
   * config resolved now, it shows a secret that changed since, and the tasks get new configs (and
   * restart). Each commit has an object of its own, so each commit is resolved afresh.
   */
  resolvedAppliedConfig(applied: Props | undefined): Props | undefined {
    if (applied === undefined) return undefined;
    let resolved = this.appliedResolutions.get(applied);
    if (!resolved) {
      resolved = this.resolvedForComparison(applied);
      this.appliedResolutions.set(applied, resolved);
    }
    return resolved;
  }

  /**
   * Whether the configs the task was started with resolve to other values now (a secret changed):
   * the same stored configs committed again must restart it, as a commit restarts tasks in Java.
   */
  resolvesDifferently(id: TaskId): boolean {
    const started = this.taskStarts.get(taskKey(id));
    if (!started) return false;
    if (!started.resolved) return true;
    return (
      !sameProps(this.resolvedForComparison(started.connector), started.resolved.connector) ||
      !sameProps(this.resolvedForComparison(started.task), started.resolved.task)
    );
  }

  private generation(): number {
    return this.options.generation?.() ?? 0;
  }

  private reportConnector(name: string, state: ConnectorState, trace: string | null = null): void {
    const metrics = this.connectors.get(name)?.metrics;
    if (metrics) metrics.state = state;
    this.options.statuses.putConnector(name, {
      state,
      trace,
      workerId: this.workerId,
      generation: this.generation(),
    });
  }

  /** A new, uninitialised instance of the connector class named in `props`. */
  createConnector(props: Props): Connector {
    const className = props['connector.class'] ?? '';
    const plugin = this.options.plugins.resolve(className, ['source', 'sink'], 'connector.class');
    return plugin.create() as Connector;
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()];
  }

  isRunning(name: string): boolean {
    return this.connectors.has(name);
  }

  /** Starts the connector in `state`; a failure leaves it FAILED with its trace, never throws. */
  async startConnector(name: string, props: Props, state: TargetState): Promise<boolean> {
    if (this.connectors.has(name)) await this.stopConnector(name);
    let instance: Connector;
    const rawProps = props;
    try {
      instance = this.createConnector(props);
      props = this.resolveConfig(props);
      // Invalid topic.creation.* settings fail a source connector when it starts, as in Java.
      if (instance.kind === 'source') topicCreationPlan(props, this.config.topicCreationEnable);
    } catch (error) {
      this.metrics.recordConnectorStartup(false);
      this.reportConnector(name, 'FAILED', traceOf(error));
      return false;
    }
    const entry: RunningConnector = {
      instance,
      props,
      rawProps,
      state,
      started: false,
      failed: false,
      metrics: this.metrics.addConnector(this.connectorMetrics(name, props, instance)),
    };
    this.connectors.set(name, entry);
    const context = {
      requestTaskReconfiguration: () => this.options.onTaskReconfigurationRequest(name),
      raiseError: (error: Error) => {
        entry.failed = true;
        this.log.error({ err: error, connector: name }, `Connector ${name} raised an error`);
        this.reportConnector(name, 'FAILED', traceOf(error));
      },
      offsetStorageReader: {
        offset: async (partition: Record<string, unknown>) =>
          (await this.sourceOffsetsOf(name, props).get(name, [partition]))[0] ?? null,
        offsets: async (partitions: readonly Record<string, unknown>[]) => {
          const values = await this.sourceOffsetsOf(name, props).get(name, partitions);
          return partitions.map((partition, i) => ({ partition, offset: values[i] ?? null }));
        },
      },
    };
    (instance.initialize as (c: typeof context) => void)(context);
    const started = await this.transitionConnector(name, state);
    this.metrics.recordConnectorStartup(started);
    return started;
  }

  private connectorMetrics(name: string, props: Props, instance: Connector): ConnectorMetrics {
    let className = props['connector.class'] ?? '';
    let version = 'unknown';
    try {
      className = this.options.plugins.resolve(className, ['source', 'sink']).className;
      version = instance.version();
    } catch {
      // Metrics show what is known; a connector that cannot tell its version still runs.
    }
    return new ConnectorMetrics(name, className, instance.kind, version);
  }

  /** Moves a connector to RUNNING (start), or PAUSED / STOPPED (its instance stopped). */
  async transitionConnector(name: string, state: TargetState): Promise<boolean> {
    const entry = this.connectors.get(name);
    if (!entry) return false;
    entry.state = state;
    try {
      if (state === 'RUNNING' && !entry.started) {
        await entry.instance.start(entry.props);
        entry.started = true;
      } else if (state !== 'RUNNING' && entry.started) {
        entry.started = false;
        await entry.instance.stop();
      }
      entry.failed = false;
      this.reportConnector(name, state);
      return true;
    } catch (error) {
      entry.failed = true;
      this.log.error(
        { err: error, connector: name },
        `Connector ${name} failed to ${state === 'RUNNING' ? 'start' : 'stop'}`,
      );
      this.reportConnector(name, 'FAILED', traceOf(error));
      return false;
    }
  }

  /**
   * Task configurations from a running connector, with the framework's own keys added, as they are
   * stored: the connector config's placeholders put back (reverseTransform).
   */
  async connectorTaskConfigs(name: string, maxTasks: number): Promise<Props[]> {
    const entry = this.connectors.get(name);
    if (!entry || !entry.started || entry.failed) return [];
    const taskClass = entry.instance.taskClass();
    const configs = await entry.instance.taskConfigs(maxTasks);
    // Named as Java names it: the connector's package and the task class.
    const connectorClass = this.options.plugins.resolve(entry.props['connector.class'] ?? '', [
      'source',
      'sink',
    ]).className;
    const taskClassName = `${connectorClass.slice(0, connectorClass.lastIndexOf('.') + 1)}${taskClass.name}`;
    const generated = configs.map((c) => {
      const config: Record<string, string> = { ...c, 'task.class': taskClassName };
      for (const key of ['topics', 'topics.regex']) {
        const value = entry.props[key];
        if (entry.instance.kind === 'sink' && value !== undefined) config[key] = value;
      }
      return config;
    });
    return reverseTransform(entry.rawProps, generated);
  }

  async stopConnector(name: string): Promise<void> {
    const entry = this.connectors.get(name);
    if (!entry) return;
    this.connectors.delete(name);
    this.metrics.removeConnector(entry.metrics);
    if (entry.started) {
      try {
        await entry.instance.stop();
      } catch (error) {
        this.log.warn({ err: error, connector: name }, `Connector ${name} did not stop cleanly`);
      }
    }
  }

  taskIds(connector?: string): TaskId[] {
    return [...this.tasks.values()]
      .map((t) => t.id)
      .filter((id) => connector === undefined || id.connector === connector);
  }

  /** Starts a task; it reports RUNNING/PAUSED once started, FAILED with its trace when it fails. */
  startTask(id: TaskId, connectorProps: Props, taskProps: Props, state: TargetState): void {
    const existing = this.tasks.get(taskKey(id));
    if (existing) throw new Error(`task ${taskKey(id)} is already running on this worker`);
    const statuses = this.options.statuses;
    const listener = {
      onStateChange: (taskId: TaskId, taskState: ConnectorState, trace: string | null) => {
        // A task that stopped after its replacement started must not overwrite the newer status.
        const current = this.tasks.get(taskKey(taskId));
        if (taskState === 'UNASSIGNED' && current && current !== runner) return;
        statuses.putTask(taskId, {
          state: taskState,
          trace: trace === null ? null : redactSecrets(trace),
          workerId: this.workerId,
          generation: this.generation(),
        });
      },
    };
    const log = logger(`org.apache.kafka.connect.runtime.WorkerTask`).child({
      connector: id.connector,
      task: id.task,
    });
    let runner: WorkerTask;
    const started = {
      connector: connectorProps,
      task: taskProps,
      resolved: undefined as undefined | { connector: Props; task: Props },
    };
    this.taskStarts.set(taskKey(id), started);
    try {
      connectorProps = this.resolveConfig(connectorProps);
      taskProps = this.resolveConfig(taskProps);
      started.resolved = { connector: connectorProps, task: taskProps };
      const plugin = this.createConnector(connectorProps);
      // Client overrides the policy refuses fail the task before it starts, as in Java.
      // Sources with an offsets topic of their own (or exactly-once) read and create it with their own clients.
      const ownOffsetsTopic =
        plugin.kind === 'source' &&
        (this.options.exactlyOnce !== undefined ||
          this.sourceOffsetsOf(id.connector, connectorProps) !== this.options.offsets);
      for (const client of taskClients(plugin.kind, ownOffsetsTopic))
        allowedOverrides(this.config.clientOverridePolicy, connectorProps, client);
      const taskClass = plugin.taskClass() as new () => SourceTask | SinkTask;
      const common = {
        id,
        connectorProps,
        taskProps,
        worker: this.config,
        plugins: this.options.plugins,
        listener,
        log,
        initialState: state === 'PAUSED' ? ('PAUSED' as const) : ('RUNNING' as const),
        onTopicUsed: (topic: string) => {
          if (this.config.topicTrackingEnable) statuses.putTopic(id.connector, topic);
        },
      };
      const source = () => ({
        ...common,
        createTask: () => new taskClass() as SourceTask,
        offsets: this.sourceOffsetsOf(id.connector, connectorProps),
        metrics: new SourceTaskMetrics(id.connector, id.task),
        topicCreation: topicCreationPlan(connectorProps, this.config.topicCreationEnable),
      });
      const exactlyOnce = this.options.exactlyOnce;
      runner =
        plugin.kind === 'source'
          ? exactlyOnce
            ? new ExactlyOnceSourceTaskRunner(transactional(source()), exactlyOnce)
            : new SourceTaskRunner(source())
          : new SinkTaskRunner({
              ...common,
              createTask: () => new taskClass() as SinkTask,
              metrics: new SinkTaskMetrics(id.connector, id.task),
              groupInstanceScope: this.options.sinkGroupInstanceScope,
            });
    } catch (error) {
      this.metrics.recordTaskStartup(false);
      statuses.putTask(id, {
        state: 'FAILED',
        trace: traceOf(error),
        workerId: this.workerId,
        generation: this.generation(),
      });
      return;
    }
    this.tasks.set(taskKey(id), runner);
    this.metrics.recordTaskStartup(true);
    this.metrics.addTask(runner.metrics);
    this.log.info({ connector: id.connector, task: id.task }, `Starting task ${taskKey(id)}`);
    runner.start();
  }

  private sourceOffsetsOf(connector: string, props: Props): OffsetStore {
    return this.options.sourceOffsets?.(connector, props) ?? this.options.offsets;
  }

  setTaskTargetState(connector: string, state: TargetState): void {
    for (const task of this.tasks.values()) if (task.id.connector === connector) task.transitionTo(state);
  }

  /** Stops the tasks and waits up to task.shutdown.graceful.timeout.ms for all of them together. */
  async stopTasks(ids: TaskId[]): Promise<void> {
    const runners = ids.flatMap((id) => {
      this.taskStarts.delete(taskKey(id));
      const runner = this.tasks.get(taskKey(id));
      if (!runner) return [];
      this.tasks.delete(taskKey(id));
      this.metrics.removeTask(runner.metrics);
      return [runner];
    });
    await Promise.all(runners.map((r) => r.stop(this.config.taskShutdownGracefulTimeoutMs)));
  }

  /** Stops everything: tasks first (flushing their offsets), then connectors. */
  async stop(): Promise<void> {
    await this.stopTasks(this.taskIds());
    this.taskStarts.clear(); // tasks that failed to start too
    await Promise.all(this.connectorNames().map((n) => this.stopConnector(n)));
  }
}
