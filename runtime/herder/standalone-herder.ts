// Standalone mode: one worker owns every connector; configs live in memory (from the command line and
// the REST API), statuses in memory, source offsets in a file. Operations run one at a time, so a
// create, a restart and a delete of the same connector never interleave.
import type { Connector, Props } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { badRequest, connectorNotFound, notFound, WeirError, alreadyExists } from '../errors.ts';
import { logger } from '../logging.ts';
import type { ConnectMetrics } from '../metrics/connect-metrics.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorType,
  HealthInfo,
  PluginInfo,
  TargetState,
  TaskInfo,
  TaskStateInfo,
} from '../rest/types.ts';
import type { OffsetStore } from '../storage/offset-store.ts';
import type { MemoryStatusStore } from '../storage/status-store.ts';
import { Worker } from '../worker/worker.ts';
import { warnOffsetsTopicUnusedInStandalone } from './connector-offset-topics.ts';
import { readOffsets, mustBeStopped, writeOffsets } from './connector-offsets.ts';
import type { Herder, PutConnectorResult, RestartRequest } from './herder.ts';
import {
  assertValid,
  hidingResolved,
  pluginConfigKeys,
  pluginInfos,
  validateConnectorConfig,
  validateWithHint,
} from './validation.ts';
import { buildStatus, restartPlan } from './status.ts';
import { taskConfigsChanged } from './task-configs.ts';

interface ConnectorEntry {
  config: Record<string, string>;
  targetState: TargetState;
  /** As stored: the connector config's placeholders, not their values (Worker.connectorTaskConfigs). */
  taskConfigs: Props[];
  /**
   * The connector config `taskConfigs` were generated from (Java's appliedConnectorConfig): an object
   * of its own for each set of task configs, resolved once (Worker.resolvedAppliedConfig).
   */
  appliedConfig: Props | undefined;
  type: ConnectorType;
}

export interface StandaloneHerderOptions {
  workerId: string;
  config: WorkerConfig;
  plugins: PluginRegistry;
  offsets: OffsetStore;
  statuses: MemoryStatusStore;
  metrics?: ConnectMetrics;
}

export class StandaloneHerder implements Herder {
  private readonly options: StandaloneHerderOptions;
  private readonly worker: Worker;
  private readonly entries = new Map<string, ConnectorEntry>();
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;
  private clusterId = '';
  private readonly log = logger('org.apache.kafka.connect.runtime.standalone.StandaloneHerder');

  constructor(options: StandaloneHerderOptions) {
    this.options = options;
    this.worker = new Worker({
      workerId: options.workerId,
      config: options.config,
      plugins: options.plugins,
      offsets: options.offsets,
      statuses: options.statuses,
      metrics: options.metrics,
      // Stable across a restart in place; two standalone workers never share it.
      sinkGroupInstanceScope: options.workerId,
      onTaskReconfigurationRequest: (name) =>
        void this.serial(() => this.reconfigureTasks(name)).catch(() => {}),
    });
  }

  /** Runs `operation` after every operation queued before it. */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => {});
    return result;
  }

  markStarted(kafkaClusterId: string): void {
    this.clusterId = kafkaClusterId;
    this.started = true;
  }

  health(): HealthInfo {
    return this.started
      ? { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
      : { status: 'starting', message: 'Worker is still starting up.' };
  }

  kafkaClusterId(): string {
    return this.clusterId;
  }

  private entry(name: string): ConnectorEntry {
    const entry = this.entries.get(name);
    if (!entry) throw connectorNotFound(name);
    return entry;
  }

  private info(name: string, entry: ConnectorEntry): ConnectorInfo {
    return {
      name,
      config: { ...entry.config },
      tasks: entry.taskConfigs.map((_, task) => ({ connector: name, task })),
      type: entry.type,
    };
  }

  async connectors(): Promise<string[]> {
    return [...this.entries.keys()].sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    return this.info(name, this.entry(name));
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    return { ...this.entry(name).config };
  }

  putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConnectorResult> {
    return this.serial(async () => {
      const existing = this.entries.get(name);
      if (existing && !options.allowReplace) throw alreadyExists(`Connector ${name} already exists`);
      const full = { ...config, name };
      // Validated with its placeholders resolved, as Java validates; stored as written.
      const validation = await validateConnectorConfig(
        this.options.plugins,
        this.worker.resolveConfig(full, 'keep'),
        this.options.config.clientOverridePolicy,
        { mode: 'standalone' },
      );
      assertValid(hidingResolved(validation, full));
      const type = (this.worker.createConnector(full) as Connector).kind;
      if (type === 'source') warnOffsetsTopicUnusedInStandalone(name, full);
      // As Java: the connector restarts; its tasks only when their configs or the connector config changed.
      if (existing) await this.worker.stopConnector(name);
      const targetState = existing?.targetState ?? options.initialState ?? 'RUNNING';
      const entry: ConnectorEntry = {
        config: full,
        targetState,
        taskConfigs: existing?.taskConfigs ?? [],
        appliedConfig: existing?.appliedConfig,
        type,
      };
      this.entries.set(name, entry);
      await this.startConnectorAndTasks(name, entry);
      this.log.info({ connector: name }, `${existing ? 'Updated' : 'Created'} connector ${name}`);
      return { created: !existing, info: this.info(name, entry) };
    });
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const current = await this.connectorConfig(name);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete current[key];
      else current[key] = value;
    }
    if (patch['name'] !== undefined && patch['name'] !== name) {
      throw badRequest(
        `Connector name configuration (${String(patch['name'])}) doesn't match connector name in the URL (${name})`,
      );
    }
    return (await this.putConnectorConfig(name, current, { allowReplace: true })).info;
  }

  deleteConnector(name: string): Promise<void> {
    return this.serial(async () => {
      this.entry(name);
      await this.stopConnectorAndTasks(name);
      this.entries.delete(name);
      this.options.statuses.remove(name);
      this.log.info({ connector: name }, `Deleted connector ${name}`);
    });
  }

  /** Starts the connector; a running one's tasks follow its configs, a paused one's stay as they are. */
  private async startConnectorAndTasks(name: string, entry: ConnectorEntry): Promise<void> {
    const running = await this.worker.startConnector(name, entry.config, entry.targetState);
    if (!running || entry.targetState === 'STOPPED') {
      await this.worker.stopTasks(this.worker.taskIds(name));
      this.setTaskConfigs(entry, []);
      return;
    }
    if (entry.targetState === 'RUNNING') await this.updateTasks(name, entry);
  }

  private setTaskConfigs(entry: ConnectorEntry, configs: Props[]): void {
    entry.taskConfigs = configs;
    entry.appliedConfig = { ...entry.config };
  }

  /**
   * Asks the running connector for task configs; when they or the connector config changed since the
   * tasks got theirs, restarts every task with the new ones. Returns whether it did.
   */
  private async updateTasks(name: string, entry: ConnectorEntry): Promise<boolean> {
    const configs = await this.generateTaskConfigs(name, entry);
    const applied = this.worker.resolvedAppliedConfig(entry.appliedConfig);
    const current = this.worker.resolvedForComparison(entry.config);
    if (!taskConfigsChanged(entry.taskConfigs, configs, applied, current)) return false;
    await this.worker.stopTasks(this.worker.taskIds(name));
    this.setTaskConfigs(entry, configs);
    this.startTasks(name, entry);
    return true;
  }

  private async generateTaskConfigs(name: string, entry: ConnectorEntry): Promise<Props[]> {
    const maxTasks = Number(entry.config['tasks.max'] ?? '1');
    try {
      return await this.worker.connectorTaskConfigs(name, maxTasks);
    } catch (error) {
      this.log.error(
        { err: error, connector: name },
        `Connector ${name} failed to generate task configurations`,
      );
      return [];
    }
  }

  private startTasks(name: string, entry: ConnectorEntry): void {
    entry.taskConfigs.forEach((taskConfig, task) => {
      this.worker.startTask({ connector: name, task }, entry.config, taskConfig, entry.targetState);
    });
  }

  private async stopConnectorAndTasks(name: string): Promise<void> {
    await this.worker.stopTasks(this.worker.taskIds(name));
    await this.worker.stopConnector(name);
  }

  private async reconfigureTasks(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (entry?.targetState === 'RUNNING') await this.updateTasks(name, entry);
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const entry = this.entry(name);
    return buildStatus(
      name,
      entry.type,
      entry.taskConfigs.length,
      this.options.statuses,
      this.options.workerId,
    );
  }

  async taskStatus(name: string, task: number): Promise<TaskStateInfo> {
    const status = await this.connectorStatus(name);
    const found = status.tasks.find((t) => t.id === task);
    if (!found) throw notFound(`Status for task ${name}-${task} not found`);
    return found;
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.entry(name).taskConfigs.map((config, task) => ({
      id: { connector: name, task },
      config: { ...config },
    }));
  }

  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.serial(async () => {
      const entry = this.entry(name);
      const before = await this.connectorStatus(name);
      const plan = restartPlan(before, request);
      let started = false;
      if (plan.connector) {
        await this.worker.stopTasks(this.worker.taskIds(name).filter((id) => plan.tasks.includes(id.task)));
        await this.worker.stopConnector(name);
        started = await this.worker.startConnector(name, entry.config, entry.targetState);
      }
      if (!request.includeTasks && !request.onlyFailed) {
        // As Java's restartConnector: a connector that started again reconfigures its tasks, which
        // restart when their configs or the connector config (resolved: a changed secret) changed.
        if (started && entry.targetState === 'RUNNING') await this.updateTasks(name, entry);
        return null;
      }
      if (
        plan.connector &&
        plan.tasks.length === entry.taskConfigs.length &&
        entry.targetState === 'RUNNING'
      ) {
        this.setTaskConfigs(entry, await this.generateTaskConfigs(name, entry));
      }
      if (!plan.connector) await this.worker.stopTasks(plan.tasks.map((task) => ({ connector: name, task })));
      for (const task of plan.tasks) {
        const config = entry.taskConfigs[task];
        if (config && entry.targetState !== 'STOPPED')
          this.worker.startTask({ connector: name, task }, entry.config, config, entry.targetState);
      }
      return plan.status;
    });
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.serial(async () => {
      const entry = this.entry(name);
      const config = entry.taskConfigs[task];
      if (!config) throw notFound(`Task ${name}-${task} not found`);
      await this.worker.stopTasks([{ connector: name, task }]);
      this.worker.startTask({ connector: name, task }, entry.config, config, entry.targetState);
    });
  }

  private setTargetState(name: string, state: TargetState): Promise<void> {
    return this.serial(async () => {
      const entry = this.entry(name);
      if (entry.targetState === state) return;
      const previous = entry.targetState;
      entry.targetState = state;
      if (state === 'STOPPED') {
        await this.stopConnectorAndTasks(name);
        this.setTaskConfigs(entry, []);
        await this.worker.startConnector(name, entry.config, 'STOPPED');
        return;
      }
      if (previous === 'STOPPED') {
        await this.worker.stopConnector(name);
        await this.startConnectorAndTasks(name, entry);
        return;
      }
      await this.worker.transitionConnector(name, state);
      // Resumed tasks restart instead when the connector config changed while they were paused.
      if (state !== 'RUNNING' || !(await this.updateTasks(name, entry)))
        this.worker.setTaskTargetState(name, state);
    });
  }

  pauseConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'PAUSED');
  }
  resumeConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'RUNNING');
  }
  stopConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'STOPPED');
  }

  async connectorActiveTopics(name: string): Promise<string[]> {
    // As Java: read from the status store, unknown connectors included (they have no topics).
    if (!this.options.config.topicTrackingEnable) {
      throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking is disabled.');
    }
    return this.options.statuses.topics(name);
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    // As Java: read from the status store, unknown connectors included (they have no topics).
    if (!this.options.config.topicTrackingEnable)
      throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking is disabled.');
    if (!this.options.config.topicTrackingAllowReset)
      throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking reset is disabled.');
    this.options.statuses.resetTopics(name);
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const entry = this.entry(name);
    return readOffsets(
      this.worker.createConnector(entry.config),
      name,
      this.worker.resolveConfig(entry.config, 'keep'),
      this.options.offsets,
      this.options.config,
    );
  }

  private modifyOffsets(name: string, body: ConnectorOffsets | null): Promise<string> {
    return this.serial(async () => {
      const entry = this.entry(name);
      if (entry.targetState !== 'STOPPED') throw mustBeStopped(name);
      return writeOffsets(
        this.worker.createConnector(entry.config),
        name,
        this.worker.resolveConfig(entry.config, 'keep'),
        body,
        this.options.offsets,
        this.options.config,
      );
    });
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    return this.modifyOffsets(name, offsets);
  }
  resetConnectorOffsets(name: string): Promise<string> {
    return this.modifyOffsets(name, null);
  }

  validateConnectorConfig(pluginHint: string | null, config: Record<string, string>): Promise<ConfigInfos> {
    return validateWithHint(
      this.options.plugins,
      pluginHint,
      this.worker.resolveConfig(config, 'keep'),
      this.options.config.clientOverridePolicy,
      { mode: 'standalone' },
    ).then((infos) => hidingResolved(infos, config));
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    return pluginInfos(this.options.plugins, connectorsOnly);
  }

  pluginConfig(plugin: string): ConfigKeyInfo[] {
    return pluginConfigKeys(this.options.plugins, plugin);
  }

  /** Stops every connector and task, flushing source offsets; for SIGTERM. */
  stop(): Promise<void> {
    return this.serial(() => this.worker.stop());
  }
}
