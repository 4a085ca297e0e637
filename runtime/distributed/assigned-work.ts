// What this worker runs in distributed mode: the connectors and tasks the group assigned to it. It
// starts and stops them as assignments arrive and are revoked, and follows the config topic for the
// work it owns (config changes, new task configs, target states, restart requests).
import type { Props } from '../api/index.ts';
import { logger } from '../logging.ts';
import type { TargetState } from '../rest/types.ts';
import type { ConfigSnapshot, ConfigUpdate, KafkaConfigStore } from '../storage/kafka-config-store.ts';
import type { StatusStore } from '../storage/status-store.ts';
import { buildStatus, restartPlan } from '../herder/status.ts';
import { sameProps } from '../config/properties.ts';
import { taskConfigsChanged } from '../herder/task-configs.ts';
import type { Worker } from '../worker/worker.ts';
import type { ConnectorsAndTasks, TaskId } from './connect-protocol.ts';

const key = (id: TaskId): string => `${id.connector}\u0000${id.task}`;

export interface AssignedWorkOptions {
  worker: Worker;
  configs: KafkaConfigStore;
  statuses: StatusStore;
  /** Writes new task configs for a connector this worker runs (directly as leader, else via the leader). */
  submitTaskConfigs: (connector: string, configs: Props[]) => Promise<void>;
}

export class AssignedWork {
  private readonly options: AssignedWorkOptions;
  private readonly connectors = new Map<string, Props>();
  /** Each task with the task config and the connector config it started with. */
  private readonly tasks = new Map<string, { id: TaskId; config: Props; connectorConfig: Props }>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log = logger('org.apache.kafka.connect.runtime.distributed.DistributedHerder');

  constructor(options: AssignedWorkOptions) {
    this.options = options;
  }

  /** Runs changes one at a time, in the order they arrive. */
  private serial(operation: () => Promise<void>): Promise<void> {
    const next = this.queue
      .then(operation)
      .catch((error: unknown) => this.log.error({ err: error }, 'Applying work failed'));
    this.queue = next;
    return next;
  }

  ownsConnector(name: string): boolean {
    return this.connectors.has(name);
  }

  ownsTask(id: TaskId): boolean {
    return this.tasks.has(key(id));
  }

  private get snapshot(): ConfigSnapshot {
    return this.options.configs.snapshot();
  }

  private targetState(name: string): TargetState {
    return this.snapshot.targetStates.get(name) ?? 'RUNNING';
  }

  /** Starts whatever of `assigned` is not running yet. */
  start(assigned: ConnectorsAndTasks): Promise<void> {
    return this.serial(async () => {
      await this.options.configs.readToEnd();
      for (const name of assigned.connectors) if (!this.connectors.has(name)) await this.startConnector(name);
      for (const id of assigned.tasks) if (!this.tasks.has(key(id))) this.startTask(id);
    });
  }

  /** Stops `revoked` and waits until it has stopped (offsets flushed). */
  revoke(revoked: ConnectorsAndTasks): Promise<void> {
    return this.serial(async () => {
      const ids = revoked.tasks.filter((id) => this.tasks.delete(key(id)));
      await this.options.worker.stopTasks(ids);
      for (const name of revoked.connectors) {
        if (this.connectors.delete(name)) await this.options.worker.stopConnector(name);
      }
    });
  }

  /** Everything this worker runs, as its group metadata reports it. */
  allocation(): ConnectorsAndTasks {
    return { connectors: [...this.connectors.keys()], tasks: [...this.tasks.values()].map((t) => t.id) };
  }

  private async startConnector(name: string): Promise<void> {
    const props = this.snapshot.connectors.get(name);
    if (!props) return;
    this.connectors.set(name, props);
    const running = await this.options.worker.startConnector(name, props, this.targetState(name));
    if (running) await this.reconfigureTasks(name);
  }

  private startTask(id: TaskId): void {
    const config = this.snapshot.taskConfigs.get(id.connector)?.[id.task];
    const connectorProps = this.snapshot.connectors.get(id.connector);
    if (!config || !connectorProps) return;
    this.tasks.set(key(id), { id, config, connectorConfig: connectorProps });
    this.options.worker.startTask(id, connectorProps, config, this.targetState(id.connector));
  }

  /**
   * Asks the connector for task configs and submits them when they differ from the committed ones,
   * or when the connector config changed since those were committed (the commit restarts the tasks).
   */
  private async reconfigureTasks(name: string): Promise<void> {
    const props = this.connectors.get(name);
    if (!props) return;
    const state = this.targetState(name);
    // A stopped connector has no tasks; a paused one keeps its task configs.
    if (state === 'PAUSED') return;
    const wanted =
      state === 'STOPPED'
        ? []
        : await this.options.worker.connectorTaskConfigs(name, Number(props['tasks.max'] ?? '1'));
    const snapshot = this.snapshot;
    const committed = snapshot.taskConfigs.get(name) ?? [];
    // Connector configs compare resolved (a changed secret counts), task configs as stored.
    const worker = this.options.worker;
    const applied = worker.resolvedAppliedConfig(snapshot.appliedConnectorConfigs.get(name));
    const current = worker.resolvedForComparison(snapshot.connectors.get(name) ?? props);
    if (!snapshot.inconsistent.has(name) && !taskConfigsChanged(committed, wanted, applied, current)) return;
    if (state === 'RUNNING' && wanted.length === 0 && committed.length > 0) return;
    this.log.info(
      { connector: name },
      `Submitting ${wanted.length} task configuration(s) for connector ${name}`,
    );
    await this.options.submitTaskConfigs(name, wanted);
  }

  /** Follows config topic changes for the work this worker owns. */
  onConfigUpdate(update: ConfigUpdate): void {
    void this.serial(async () => {
      switch (update.kind) {
        case 'connector': {
          if (!this.connectors.has(update.name)) return;
          if (update.removed) return; // the leader's next assignment revokes it
          const props = this.snapshot.connectors.get(update.name);
          if (!props || sameProps(props, this.connectors.get(update.name))) return;
          await this.options.worker.stopConnector(update.name);
          this.connectors.delete(update.name);
          await this.startConnector(update.name);
          return;
        }
        case 'tasks':
          return this.restartChangedTasks(update.name);
        case 'target-state': {
          const state = this.targetState(update.name);
          if (this.connectors.has(update.name)) {
            await this.options.worker.transitionConnector(update.name, state);
            if (state !== 'PAUSED') await this.reconfigureTasks(update.name);
          }
          this.options.worker.setTaskTargetState(update.name, state === 'STOPPED' ? 'PAUSED' : state);
          return;
        }
        case 'restart':
          return this.restart(update.name, update.request);
        default:
          return;
      }
    });
  }

  /**
   * After a commit: restarts the tasks whose task config or connector config is not the one they run
   * with, as stored or as resolved (a secret that changed).
   */
  private async restartChangedTasks(name: string): Promise<void> {
    const committed = this.snapshot.taskConfigs.get(name) ?? [];
    const connectorConfig = this.snapshot.connectors.get(name);
    const changed = [...this.tasks.values()].filter(
      (t) =>
        t.id.connector === name &&
        (!sameProps(committed[t.id.task], t.config) ||
          !sameProps(connectorConfig, t.connectorConfig) ||
          this.options.worker.resolvesDifferently(t.id)),
    );
    if (changed.length === 0) return;
    await this.options.worker.stopTasks(changed.map((t) => t.id));
    for (const task of changed) {
      this.tasks.delete(key(task.id));
      if (committed[task.id.task]) this.startTask(task.id);
    }
  }

  private async restart(
    name: string,
    request: { includeTasks: boolean; onlyFailed: boolean },
  ): Promise<void> {
    const taskCount = this.snapshot.taskConfigs.get(name)?.length ?? 0;
    const status = buildStatus(
      name,
      'unknown',
      taskCount,
      this.options.statuses,
      this.options.worker.workerId,
    );
    const plan = restartPlan(status, request);
    const mine = plan.tasks
      .map((task) => ({ connector: name, task }))
      .filter((id) => this.tasks.has(key(id)));
    await this.options.worker.stopTasks(mine);
    if (plan.connector && this.connectors.has(name)) {
      await this.options.worker.stopConnector(name);
      this.connectors.delete(name);
      await this.startConnector(name);
    }
    for (const id of mine) {
      this.tasks.delete(key(id));
      this.startTask(id);
    }
  }

  /** Restarts one task this worker runs. */
  restartTask(id: TaskId): Promise<void> {
    return this.serial(async () => {
      if (!this.tasks.has(key(id))) return;
      await this.options.worker.stopTasks([id]);
      this.tasks.delete(key(id));
      this.startTask(id);
    });
  }

  /** Stops everything (graceful shutdown), flushing offsets. */
  stopAll(): Promise<void> {
    return this.revoke(this.allocation());
  }
}
