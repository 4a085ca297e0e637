// Connector configurations in the config topic (`config.storage.topic`, default connect-configs):
// one partition, so every worker reads the same records in the same order, and compacted. The records
// are Apache Kafka Connect's (KafkaConfigBackingStore), JSON without schemas:
//   connector-<n>         → {"properties":{…}}                        null: the connector was deleted
//   task-<n>-<i>          → {"properties":{…}}                        applies only with its commit
//   commit-<n>            → {"tasks":N}
//   target-state-<n>      → {"state":"PAUSED","state.v2":"STOPPED"}    state: STARTED or PAUSED (old readers)
//   session-key           → {"key":"<base64>","algorithm":"HmacSHA256","creation-timestamp":ms}
//   restart-connector-<n> → {"include-tasks":b,"only-failed":b}
//   tasks-fencing-<n>     → {"task-count":N}   exactly-once sources: the task generation counted
//                           here is fenced; a commit after it makes the connector pending fencing
// and Weir's own, which Java logs as an invalid key and skips:
//   weir-worker-gone-<id> → {"worker_id":"<id>","timestamp":ms}       null: forgotten
//
// Task configs are written one record per task, then a commit record; a reader buffers them and
// applies the connector's whole set when the commit arrives, so nobody sees half of an update.
// Compaction can remove an older task record that a commit still counts on (or a writer can die
// between task records and commit); the connector is then "inconsistent": its tasks are not applied
// until the leader writes a new set. A commit for a connector with no config is a leftover of a
// deleted connector, and ignored. Only one worker (the leader) writes; every worker reads.
import type { Logger } from 'pino';
import type { Props } from '../api/index.ts';
import { WeirError } from '../errors.ts';
import { logger } from '../logging.ts';
import type { TargetState } from '../rest/types.ts';
import type { KafkaLog } from './kafka-log.ts';
import { FencableConfigWriter } from './fencable-config-writer.ts';
import { startStoreLog, type KafkaStoreOptions } from './kafka-log.ts';

export const DEFAULT_CONFIG_TOPIC = 'connect-configs';

export interface SessionKey {
  readonly key: Buffer;
  readonly algorithm: string;
  readonly creationTimestamp: number;
}

export interface RestartRequest {
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}

export type ConfigUpdate =
  | { readonly kind: 'connector'; readonly name: string; readonly removed: boolean }
  | { readonly kind: 'tasks'; readonly name: string }
  | { readonly kind: 'target-state'; readonly name: string }
  | { readonly kind: 'restart'; readonly name: string; readonly request: RestartRequest }
  | { readonly kind: 'session-key' }
  | { readonly kind: 'worker-gone'; readonly name: string };

export interface ConfigSnapshot {
  /** Java's: the offset after the last record read, -1 before any (what workers compare when joining). */
  readonly offset: number;
  readonly connectors: ReadonlyMap<string, Props>;
  readonly targetStates: ReadonlyMap<string, TargetState>;
  /** How many tasks the last commit counted (also for an inconsistent connector). */
  readonly taskCounts: ReadonlyMap<string, number>;
  /** Committed task configs, task i at index i; empty for an inconsistent connector. */
  readonly taskConfigs: ReadonlyMap<string, readonly Props[]>;
  /** The connector config in force when its tasks were last committed; a new object at each commit. */
  readonly appliedConnectorConfigs: ReadonlyMap<string, Props>;
  readonly inconsistent: ReadonlySet<string>;
  readonly sessionKey: SessionKey | null;
  /** Workers declared gone for good → when. */
  readonly goneWorkers: ReadonlyMap<string, number>;
  /** The task count of each connector's latest tasks-fencing record. */
  readonly taskCountRecords: ReadonlyMap<string, number>;
  /** Connectors whose tasks were committed after their latest tasks-fencing record. */
  readonly pendingFencing: ReadonlySet<string>;
  /** How many task commits were read for each connector (Java's task config generation). */
  readonly taskGenerations: ReadonlyMap<string, number>;
}

const PREFIX = {
  targetState: 'target-state-',
  connector: 'connector-',
  task: 'task-',
  commit: 'commit-',
  restart: 'restart-connector-',
  workerGone: 'weir-worker-gone-',
  taskCount: 'tasks-fencing-',
} as const;
const SESSION_KEY = 'session-key';

export const connectorKey = (name: string): string => PREFIX.connector + name;
export const taskKey = (name: string, task: number): string => `${PREFIX.task}${name}-${task}`;
export const commitKey = (name: string): string => PREFIX.commit + name;
export const targetStateKey = (name: string): string => PREFIX.targetState + name;
export const restartKey = (name: string): string => PREFIX.restart + name;
export const workerGoneKey = (workerId: string): string => PREFIX.workerGone + workerId;
export const taskCountKey = (name: string): string => PREFIX.taskCount + name;

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Weir's RUNNING is Java's STARTED; STOPPED is written as PAUSED in "state" for readers before 3.5. */
export function encodeTargetState(state: TargetState): Buffer {
  const v2 = state === 'RUNNING' ? 'STARTED' : state;
  return json({ state: state === 'STOPPED' ? 'PAUSED' : v2, 'state.v2': v2 });
}

export const encodeConfig = (props: Props): Buffer => json({ properties: props });
export const encodeCommit = (tasks: number): Buffer => json({ tasks });
export const encodeSessionKey = (key: SessionKey): Buffer =>
  json({
    key: key.key.toString('base64'),
    algorithm: key.algorithm,
    'creation-timestamp': key.creationTimestamp,
  });
export const encodeRestart = (request: RestartRequest): Buffer =>
  json({ 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed });
export const encodeTaskCount = (taskCount: number): Buffer => json({ 'task-count': taskCount });
export const encodeWorkerGone = (workerId: string, timestamp: number): Buffer =>
  json({ worker_id: workerId, timestamp });

type Obj = Record<string, unknown>;

function parse(value: Buffer): Obj | null {
  try {
    const parsed = JSON.parse(value.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Obj) : null;
  } catch {
    return null;
  }
}

function properties(value: Obj | null): Props | null {
  const props = value?.['properties'];
  return typeof props === 'object' && props !== null && !Array.isArray(props) ? (props as Props) : null;
}

function parseTargetState(value: Obj | null): TargetState | null {
  const v2 = value?.['state.v2'];
  const state = typeof v2 === 'string' ? v2 : value?.['state'];
  if (state === 'STARTED') return 'RUNNING';
  return state === 'PAUSED' || state === 'STOPPED' ? state : null;
}

/** The config topic's state, built record by record (pure: what the store and its tests share). */
export class ConfigState {
  private offset = -1;
  private readonly connectors = new Map<string, Props>();
  private readonly targetStates = new Map<string, TargetState>();
  private readonly taskCounts = new Map<string, number>();
  private readonly taskConfigs = new Map<string, Map<number, Props>>();
  private readonly deferred = new Map<string, Map<number, Props>>();
  private readonly applied = new Map<string, Props>();
  private readonly inconsistent = new Set<string>();
  private sessionKey: SessionKey | null = null;
  private readonly goneWorkers = new Map<string, number>();
  private readonly taskCountRecords = new Map<string, number>();
  private readonly pendingFencing = new Set<string>();
  private readonly taskGenerations = new Map<string, number>();
  private readonly log: Logger;

  constructor(log: Logger = logger('org.apache.kafka.connect.storage.KafkaConfigBackingStore')) {
    this.log = log;
  }

  /** Applies one record; returns what changed, for listeners. */
  apply(key: string, value: Buffer | null, offset: number): ConfigUpdate[] {
    this.offset = offset + 1;
    const body = value === null ? null : parse(value);
    if (value !== null && body === null) {
      this.log.error(`Ignoring config record ${key} at offset ${offset}: its value is not a JSON object`);
      return [];
    }
    if (key.startsWith(PREFIX.targetState))
      return this.applyTargetState(key.slice(PREFIX.targetState.length), body);
    if (key.startsWith(PREFIX.connector))
      return this.applyConnector(key.slice(PREFIX.connector.length), body);
    if (key.startsWith(PREFIX.task)) {
      const dash = key.lastIndexOf('-');
      const task = key.slice(dash + 1);
      const name = key.slice(PREFIX.task.length, dash);
      if (dash < PREFIX.task.length || !/^\d+$/.test(task)) {
        this.log.error(`Ignoring task configuration because ${key} couldn't be parsed as a task config key`);
      } else if (properties(body) === null) {
        this.log.error(`Ignoring task configuration ${key}: no properties`);
      } else {
        let tasks = this.deferred.get(name);
        if (!tasks) this.deferred.set(name, (tasks = new Map()));
        tasks.set(Number(task), properties(body)!);
      }
      return [];
    }
    if (key.startsWith(PREFIX.commit)) return this.applyCommit(key.slice(PREFIX.commit.length), body);
    if (key.startsWith(PREFIX.restart)) {
      if (body === null) return [];
      const flag = (field: string): boolean => body[field] === true;
      const request = { includeTasks: flag('include-tasks'), onlyFailed: flag('only-failed') };
      return [{ kind: 'restart', name: key.slice(PREFIX.restart.length), request }];
    }
    if (key === SESSION_KEY) {
      const { key: encoded, algorithm, 'creation-timestamp': created } = body ?? {};
      if (typeof encoded !== 'string' || typeof algorithm !== 'string' || typeof created !== 'number') {
        this.log.error('Ignoring a session key record that is null or malformed');
        return [];
      }
      this.sessionKey = { key: Buffer.from(encoded, 'base64'), algorithm, creationTimestamp: created };
      return [{ kind: 'session-key' }];
    }
    if (key.startsWith(PREFIX.workerGone)) {
      const workerId = key.slice(PREFIX.workerGone.length);
      if (body === null) this.goneWorkers.delete(workerId);
      else this.goneWorkers.set(workerId, Number(body['timestamp'] ?? 0));
      return [{ kind: 'worker-gone', name: workerId }];
    }
    if (key.startsWith(PREFIX.taskCount)) {
      const name = key.slice(PREFIX.taskCount.length);
      const count = body?.['task-count'];
      if (typeof count !== 'number' || !Number.isInteger(count)) {
        this.log.error(
          `Ignoring task count record for connector '${name}' because it is in the wrong format`,
        );
      } else {
        this.taskCountRecords.set(name, count);
        this.pendingFencing.delete(name);
      }
      return [];
    }
    // logger-cluster-* are Java's; Weir does not use them yet.
    if (!key.startsWith('logger-cluster-')) {
      this.log.error(`Discarding config update record with invalid key: ${key}`);
    }
    return [];
  }

  private applyTargetState(name: string, body: Obj | null): ConfigUpdate[] {
    if (body === null) {
      this.targetStates.delete(name);
      if (this.connectors.has(name)) this.targetStates.set(name, 'RUNNING');
      return [];
    }
    const state = parseTargetState(body);
    if (state === null) {
      this.log.error(`Invalid target state for connector '${name}'`);
      return [];
    }
    const changed = this.targetStates.get(name) !== state;
    this.targetStates.set(name, state);
    return changed && this.connectors.has(name) ? [{ kind: 'target-state', name }] : [];
  }

  private applyConnector(name: string, body: Obj | null): ConfigUpdate[] {
    if (body === null) {
      this.removeConnector(name);
      return [{ kind: 'connector', name, removed: true }];
    }
    const props = properties(body);
    if (props === null) {
      this.log.error(`Invalid data for config for connector '${name}': no 'properties' map`);
      return [];
    }
    this.connectors.set(name, props);
    if (!this.targetStates.has(name)) this.targetStates.set(name, 'RUNNING');
    return [{ kind: 'connector', name, removed: false }];
  }

  private applyCommit(name: string, body: Obj | null): ConfigUpdate[] {
    const config = this.connectors.get(name);
    if (config === undefined) {
      // A deleted connector's commit, its config long compacted away.
      this.removeConnector(name);
      return [];
    }
    const count = body?.['tasks'];
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      this.log.error(`Ignoring connector tasks configuration commit for connector '${name}': malformed`);
      return [];
    }
    const deferred = this.deferred.get(name) ?? new Map<number, Props>();
    const complete = Array.from({ length: count }, (_, i) => i).every((i) => deferred.has(i));
    if (complete) {
      const tasks = this.taskConfigs.get(name) ?? new Map<number, Props>();
      for (const [task, props] of deferred) tasks.set(task, props);
      this.taskConfigs.set(name, tasks);
      this.inconsistent.delete(name);
      // An object of its own for each commit, as Java's AppliedConnectorConfig: workers resolve it once
      // (Worker.resolvedAppliedConfig), so a commit of the same config gets a resolution of its own.
      this.applied.set(name, { ...config });
    } else {
      this.log.debug(`Incomplete set of task configs for connector '${name}' (compaction?): not applied`);
      this.inconsistent.add(name);
    }
    this.deferred.delete(name);
    this.taskCounts.set(name, count);
    // Tasks committed after the latest task count record need a round of zombie fencing (exactly-once).
    this.pendingFencing.add(name);
    this.taskGenerations.set(name, (this.taskGenerations.get(name) ?? 0) + 1);
    return [{ kind: 'tasks', name }];
  }

  private removeConnector(name: string): void {
    this.connectors.delete(name);
    this.taskCounts.delete(name);
    this.taskConfigs.delete(name);
    this.deferred.delete(name);
    this.applied.delete(name);
  }

  snapshot(): ConfigSnapshot {
    const taskConfigs = new Map<string, Props[]>();
    for (const [name, count] of this.taskCounts) {
      const tasks = this.taskConfigs.get(name);
      taskConfigs.set(
        name,
        this.inconsistent.has(name) || !tasks ? [] : Array.from({ length: count }, (_, i) => tasks.get(i)!),
      );
    }
    return {
      offset: this.offset,
      connectors: new Map(this.connectors),
      targetStates: new Map(this.targetStates),
      taskCounts: new Map(this.taskCounts),
      taskConfigs,
      appliedConnectorConfigs: new Map(this.applied),
      inconsistent: new Set(this.inconsistent),
      sessionKey: this.sessionKey,
      goneWorkers: new Map(this.goneWorkers),
      taskCountRecords: new Map(this.taskCountRecords),
      pendingFencing: new Set(this.pendingFencing),
      taskGenerations: new Map(this.taskGenerations),
    };
  }
}

export class KafkaConfigStore {
  private readonly options: KafkaStoreOptions;
  private readonly state = new ConfigState();
  private readonly listeners = new Set<(update: ConfigUpdate) => void>();
  private readonly log: Logger = logger('org.apache.kafka.connect.storage.KafkaConfigBackingStore');
  private kafkaLog: KafkaLog | undefined;
  private started = false;

  /** With exactly-once source support (preparing, enabled): the leader's transactional writer. */
  private readonly fencable: FencableConfigWriter | undefined;

  constructor(options: KafkaStoreOptions & { readonly leaderTransactionalId?: string }) {
    this.options = options;
    if (options.leaderTransactionalId)
      this.fencable = new FencableConfigWriter(options.client, this.topic, options.leaderTransactionalId);
  }

  /** The leader claims the config topic (fencing a former leader) when it uses a transactional writer. */
  async claimWritePrivileges(): Promise<void> {
    await this.fencable?.claim();
  }

  async relinquishWritePrivileges(): Promise<void> {
    await this.fencable?.relinquish();
  }

  get topic(): string {
    return this.options.topic ?? DEFAULT_CONFIG_TOPIC;
  }

  /** Creates or validates the topic (one partition, compacted), then reads it to its end. */
  async start(): Promise<void> {
    this.kafkaLog = await startStoreLog(
      this.options,
      {
        name: this.topic,
        partitions: 1,
        exactlyOnePartition: true,
        property: 'config.storage.topic',
        purpose: 'connector configurations',
      },
      (record) => {
        const key = record.key?.toString('utf8');
        if (key === undefined) return;
        const updates = this.state.apply(key, record.value, Number(record.offset));
        // Like Java, listeners hear of records read after start, not of the history read by it.
        if (this.started) for (const update of updates) this.notify(update);
      },
    );
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.fencable?.relinquish();
    await this.kafkaLog?.stop();
    this.kafkaLog = undefined;
  }

  snapshot(): ConfigSnapshot {
    return this.state.snapshot();
  }

  /** Catches up with the topic's end: what any worker wrote before the call is in the next snapshot. */
  async readToEnd(): Promise<void> {
    await this.writer().readToEnd();
  }

  onUpdate(listener: (update: ConfigUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes the target state first when given (a new connector's initial state), then the config. */
  async putConnectorConfig(name: string, props: Props, targetState?: TargetState): Promise<void> {
    const records: [string, Buffer | null][] = [];
    if (targetState) records.push([targetStateKey(name), encodeTargetState(targetState)]);
    records.push([connectorKey(name), encodeConfig(props)]);
    await this.sendPrivileged(records);
    await this.readToEnd();
  }

  /** Tombstones for the connector's config and target state; its task records are left to compaction. */
  async removeConnectorConfig(name: string): Promise<void> {
    await this.sendPrivileged([
      [connectorKey(name), null],
      [targetStateKey(name), null],
    ]);
    await this.readToEnd();
  }

  /** One record per task, then the commit that makes them visible together. */
  async putTaskConfigs(name: string, configs: readonly Props[]): Promise<void> {
    await this.readToEnd();
    await this.sendPrivileged(configs.map((props, i) => [taskKey(name, i), encodeConfig(props)]));
    await this.sendPrivileged([[commitKey(name), encodeCommit(configs.length)]]);
    await this.readToEnd();
  }

  async putTargetState(name: string, state: TargetState): Promise<void> {
    await this.send(targetStateKey(name), encodeTargetState(state));
  }

  async putSessionKey(key: SessionKey): Promise<void> {
    await this.sendPrivileged([[SESSION_KEY, encodeSessionKey(key)]]);
    await this.readToEnd();
  }

  async putRestartRequest(name: string, request: RestartRequest): Promise<void> {
    await this.sendPrivileged([[restartKey(name), encodeRestart(request)]]);
    await this.readToEnd();
  }

  /** Declares a worker gone for good, so its work can move at once (Weir's record; Java skips it). */
  async putWorkerGone(workerId: string, timestamp = Date.now()): Promise<void> {
    await this.send(workerGoneKey(workerId), encodeWorkerGone(workerId, timestamp));
    await this.readToEnd();
  }

  /** Records that the connector's tasks before this count are fenced (exactly-once sources). */
  async putTaskCountRecord(name: string, taskCount: number): Promise<void> {
    await this.sendPrivileged([[taskCountKey(name), encodeTaskCount(taskCount)]]);
    await this.readToEnd();
  }

  /** Forgets a gone worker (a tombstone), e.g. once it is out of every assignment. */
  async removeWorkerGone(workerId: string): Promise<void> {
    await this.send(workerGoneKey(workerId), null);
    await this.readToEnd();
  }

  private writer(): KafkaLog {
    if (!this.kafkaLog)
      throw new WeirError('WEIR_NOT_READY', `the config store of topic ${this.topic} is not started`);
    return this.kafkaLog;
  }

  private async send(key: string, value: Buffer | null): Promise<void> {
    await this.writer().send(Buffer.from(key), value);
  }

  /** The leader's writes: in one transaction with a fencable writer, else each acknowledged. */
  private async sendPrivileged(records: readonly [string, Buffer | null][]): Promise<void> {
    if (this.fencable) await this.fencable.send(records);
    else await Promise.all(records.map(([key, value]) => this.send(key, value)));
  }

  private notify(update: ConfigUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch (error) {
        this.log.error({ err: error }, 'a config update listener failed');
      }
    }
  }
}
