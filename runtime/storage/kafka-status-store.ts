// Connector and task statuses in the status topic (`status.storage.topic`, default connect-status, 5
// partitions), with Apache Kafka Connect's records (KafkaStatusBackingStore), JSON without schemas:
//   status-connector-<n>              → {"state":"RUNNING","trace":null,"worker_id":"w:8083","generation":3}
//   status-task-<n>-<i>               → the same fields
//   status-topic-<topic>:connector-<n> → {"topic":{"name","connector","task","discoverTimestamp"}}
// A null value (tombstone) removes the entry. Every worker reads the whole topic, so status on any
// worker shows the whole cluster. Writes are fire-and-forget like Java's: they are retried while the
// error is retriable and no newer write to the same key was made; flush() waits for them. Reads are
// synchronous, from the local cache, which is filled from the topic (and by this worker's own writes,
// at once).
//
// Which record wins, when read back (applyStatus): Java's rule that a task's UNASSIGNED does not
// replace its RUNNING of the same or a newer generation; and Weir's: a record from another worker with
// an older generation than the one held does not overwrite it (a late write from a worker that lost
// its work), unless it says RUNNING (so a cluster whose group was recreated, restarting generations
// at 1, cannot be stuck behind statuses from before).
import type { Logger } from 'pino';
import { WeirError } from '../errors.ts';
import { logger } from '../logging.ts';
import type { KafkaLog } from './kafka-log.ts';
import { isRetriable, startStoreLog, type KafkaStoreOptions, type LogRecord } from './kafka-log.ts';
import type { Status, StatusStore, TaskId } from './status-store.ts';
import type { ConnectorState } from '../rest/types.ts';

export const DEFAULT_STATUS_TOPIC = 'connect-status';

const CONNECTOR_PREFIX = 'status-connector-';
const TASK_PREFIX = 'status-task-';
const TOPIC_PREFIX = 'status-topic-';
const TOPIC_SEPARATOR = ':connector-';
const STATES: readonly ConnectorState[] = [
  'UNASSIGNED',
  'RUNNING',
  'PAUSED',
  'FAILED',
  'RESTARTING',
  'STOPPED',
];

export interface TopicStatus {
  readonly topic: string;
  readonly connector: string;
  readonly task: number;
  readonly discoverTimestamp: number;
}

export type StatusKey =
  | { readonly kind: 'connector'; readonly connector: string }
  | { readonly kind: 'task'; readonly connector: string; readonly task: number }
  | { readonly kind: 'topic'; readonly connector: string; readonly topic: string };

export type StatusChange = StatusKey;

export const connectorStatusKey = (connector: string): string => `${CONNECTOR_PREFIX}${connector}`;
export const taskStatusKey = (id: TaskId): string => `${TASK_PREFIX}${id.connector}-${id.task}`;
export const topicStatusKey = (connector: string, topic: string): string =>
  `${TOPIC_PREFIX}${topic}${TOPIC_SEPARATOR}${connector}`;

export function parseStatusKey(key: string): StatusKey | null {
  if (key.startsWith(CONNECTOR_PREFIX)) {
    const connector = key.slice(CONNECTOR_PREFIX.length);
    return connector === '' ? null : { kind: 'connector', connector };
  }
  if (key.startsWith(TASK_PREFIX)) {
    const rest = key.slice(TASK_PREFIX.length);
    const dash = rest.lastIndexOf('-');
    const task = Number(rest.slice(dash + 1));
    if (dash <= 0 || !/^\d+$/.test(rest.slice(dash + 1)) || !Number.isSafeInteger(task)) return null;
    return { kind: 'task', connector: rest.slice(0, dash), task };
  }
  if (key.startsWith(TOPIC_PREFIX)) {
    const colon = key.indexOf(':');
    if (colon < TOPIC_PREFIX.length || !key.startsWith(TOPIC_SEPARATOR, colon)) return null;
    const topic = key.slice(TOPIC_PREFIX.length, colon);
    const connector = key.slice(colon + TOPIC_SEPARATOR.length);
    return topic === '' || connector === '' ? null : { kind: 'topic', connector, topic };
  }
  return null;
}

/** Java's bytes: fields in schema order, trace null when there is none. */
export function encodeStatus(status: Status): Buffer {
  return Buffer.from(
    JSON.stringify({
      state: status.state,
      trace: status.trace,
      worker_id: status.workerId,
      generation: status.generation,
    }),
  );
}

export function decodeStatus(value: Buffer): Status | null {
  const parsed = parseObject(value);
  if (!parsed) return null;
  const { state, trace, worker_id: workerId, generation } = parsed;
  if (!STATES.includes(state as ConnectorState) || typeof workerId !== 'string') return null;
  if (
    typeof generation !== 'number' ||
    (trace !== null && trace !== undefined && typeof trace !== 'string')
  ) {
    return null;
  }
  return { state: state as ConnectorState, trace: trace ?? null, workerId, generation };
}

export function encodeTopicStatus(status: TopicStatus): Buffer {
  const { topic: name, connector, task, discoverTimestamp } = status;
  return Buffer.from(JSON.stringify({ topic: { name, connector, task, discoverTimestamp } }));
}

export function decodeTopicStatus(value: Buffer): TopicStatus | null {
  const inner = parseObject(value)?.['topic'] as Record<string, unknown> | undefined;
  if (typeof inner !== 'object' || inner === null) return null;
  const { name, connector, task, discoverTimestamp } = inner;
  if (typeof name !== 'string' || typeof connector !== 'string' || typeof task !== 'number') return null;
  return { topic: name, connector, task, discoverTimestamp: Number(discoverTimestamp ?? 0) };
}

function parseObject(value: Buffer): Record<string, unknown> | null {
  try {
    const parsed = JSON.parse(value.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Whether a status read from the topic replaces the one held (see the top of the file). */
export function applyStatus(current: Status | undefined, incoming: Status, isTask: boolean): boolean {
  if (!current) return true;
  if (
    isTask &&
    incoming.state === 'UNASSIGNED' &&
    current.state === 'RUNNING' &&
    current.generation >= incoming.generation
  ) {
    return false;
  }
  return !(
    incoming.workerId !== current.workerId &&
    incoming.generation < current.generation &&
    incoming.state !== 'RUNNING'
  );
}

/** Java's putSafe rule: write only over nothing, over this worker's own status, or over an older generation. */
export function canWriteSafely(current: Status | undefined, status: Status): boolean {
  return !current || current.workerId === status.workerId || current.generation <= status.generation;
}

export class KafkaStatusStore implements StatusStore {
  private readonly options: KafkaStoreOptions;
  private readonly log: Logger = logger('org.apache.kafka.connect.storage.KafkaStatusBackingStore');
  private kafkaLog: KafkaLog | undefined;
  private stopping = false;
  private readonly connectors = new Map<string, Status>();
  private readonly taskStatuses = new Map<string, Map<number, Status>>();
  private readonly topicStatuses = new Map<string, Map<string, TopicStatus>>();
  /** key → sequence of its latest write: a retry is dropped once a newer write to the key was made. */
  private readonly sequences = new Map<string, number>();
  private readonly outstanding = new Set<Promise<void>>();
  private readonly listeners = new Set<(change: StatusChange) => void>();

  constructor(options: KafkaStoreOptions) {
    this.options = options;
  }

  get topic(): string {
    return this.options.topic ?? DEFAULT_STATUS_TOPIC;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.kafkaLog = await startStoreLog(
      this.options,
      {
        name: this.topic,
        partitions: this.options.partitions ?? 5,
        property: 'status.storage.topic',
        purpose: 'connector and task statuses',
      },
      (record) => this.read(record),
    );
  }

  /** Waits for the writes in flight (retries stop), then closes the log. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.flush();
    await this.kafkaLog?.stop();
    this.kafkaLog = undefined;
  }

  /** Waits for every write made so far (and its retries) to be acknowledged or given up. */
  async flush(): Promise<void> {
    while (this.outstanding.size > 0) await Promise.allSettled([...this.outstanding]);
  }

  /** Catches up with the topic's end: statuses written by any worker before the call are visible after. */
  async readToEnd(): Promise<void> {
    await this.started().readToEnd();
  }

  /** Called for every status read from the topic (any worker's). */
  onChange(listener: (change: StatusChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  putConnector(connector: string, status: Status): void {
    this.setConnector(connector, status);
    this.write(connectorStatusKey(connector), encodeStatus(status));
  }

  /** Writes unless another worker holds the status with a newer generation; whether it wrote. */
  putConnectorSafe(connector: string, status: Status): boolean {
    if (!canWriteSafely(this.connectors.get(connector), status)) return false;
    this.putConnector(connector, status);
    return true;
  }

  putTask(id: TaskId, status: Status): void {
    this.setTask(id, status);
    this.write(taskStatusKey(id), encodeStatus(status));
  }

  putTaskSafe(id: TaskId, status: Status): boolean {
    if (!canWriteSafely(this.task(id), status)) return false;
    this.putTask(id, status);
    return true;
  }

  connector(connector: string): Status | undefined {
    return this.connectors.get(connector);
  }

  task(id: TaskId): Status | undefined {
    return this.taskStatuses.get(id.connector)?.get(id.task);
  }

  tasks(connector: string): Map<number, Status> {
    return new Map([...(this.taskStatuses.get(connector) ?? [])].sort(([a], [b]) => a - b));
  }

  /** Every connector with a connector or task status, sorted. */
  allConnectors(): string[] {
    return [...new Set([...this.connectors.keys(), ...this.taskStatuses.keys()])].sort();
  }

  /** Tombstones for the connector's status, its tasks' and its topics'. */
  remove(connector: string): void {
    this.write(connectorStatusKey(connector), null);
    for (const task of this.taskStatuses.get(connector)?.keys() ?? []) {
      this.write(taskStatusKey({ connector, task }), null);
    }
    this.resetTopics(connector);
    this.connectors.delete(connector);
    this.taskStatuses.delete(connector);
  }

  /** A tombstone for one task's status (a connector that now runs fewer tasks). */
  removeTask(id: TaskId): void {
    this.write(taskStatusKey(id), null);
    this.taskStatuses.get(id.connector)?.delete(id.task);
  }

  putTopic(connector: string, topic: string, task = 0): void {
    if (this.topicStatuses.get(connector)?.has(topic)) return;
    const status: TopicStatus = { topic, connector, task, discoverTimestamp: Date.now() };
    this.setTopic(status);
    this.write(topicStatusKey(connector, topic), encodeTopicStatus(status));
  }

  topics(connector: string): string[] {
    return [...(this.topicStatuses.get(connector)?.keys() ?? [])].sort();
  }

  topicStatus(connector: string, topic: string): TopicStatus | undefined {
    return this.topicStatuses.get(connector)?.get(topic);
  }

  resetTopics(connector: string): void {
    for (const topic of this.topicStatuses.get(connector)?.keys() ?? []) {
      this.write(topicStatusKey(connector, topic), null);
    }
    this.topicStatuses.delete(connector);
  }

  private started(): KafkaLog {
    if (!this.kafkaLog)
      throw new WeirError('WEIR_NOT_READY', `the status store of topic ${this.topic} is not started`);
    return this.kafkaLog;
  }

  private write(key: string, value: Buffer | null): void {
    const log = this.kafkaLog;
    if (!log || this.stopping) {
      // A status changing while the worker shuts down: kept in the cache, not written.
      this.log.warn(`Not writing status ${key}: the status store is not running`);
      return;
    }
    const sequence = (this.sequences.get(key) ?? 0) + 1;
    this.sequences.set(key, sequence);
    const attempt = async (): Promise<void> => {
      for (;;) {
        try {
          await log.send(Buffer.from(key), value);
          return;
        } catch (error) {
          if (this.sequences.get(key) !== sequence || this.stopping) return;
          if (!isRetriable(error)) {
            this.log.error({ err: error, key }, 'Failed to write status update');
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    };
    const promise = attempt().finally(() => this.outstanding.delete(promise));
    this.outstanding.add(promise);
  }

  private setConnector(connector: string, status: Status): void {
    this.connectors.set(connector, status);
  }

  private setTask(id: TaskId, status: Status): void {
    let tasks = this.taskStatuses.get(id.connector);
    if (!tasks) this.taskStatuses.set(id.connector, (tasks = new Map()));
    tasks.set(id.task, status);
  }

  private setTopic(status: TopicStatus): void {
    let topics = this.topicStatuses.get(status.connector);
    if (!topics) this.topicStatuses.set(status.connector, (topics = new Map()));
    topics.set(status.topic, status);
  }

  private read(record: LogRecord): void {
    const key = record.key === null ? null : parseStatusKey(record.key.toString('utf8'));
    if (!key) {
      this.log.warn(`Discarding record with invalid key ${record.key?.toString('utf8')}`);
      return;
    }
    if (!this.applyRecord(key, record.value)) return;
    for (const listener of this.listeners) {
      try {
        listener(key);
      } catch (error) {
        this.log.error({ err: error }, 'a status listener failed');
      }
    }
  }

  /** Applies one record to the cache; whether it changed anything. */
  private applyRecord(key: StatusKey, value: Buffer | null): boolean {
    if (key.kind === 'topic') {
      if (value === null) return this.topicStatuses.get(key.connector)?.delete(key.topic) ?? false;
      const status = decodeTopicStatus(value);
      if (status) this.setTopic({ ...status, topic: key.topic, connector: key.connector });
      return status !== null;
    }
    if (key.kind === 'connector') {
      if (value === null) {
        this.taskStatuses.delete(key.connector);
        return this.connectors.delete(key.connector);
      }
      const status = decodeStatus(value);
      if (!status || !applyStatus(this.connectors.get(key.connector), status, false)) return false;
      this.setConnector(key.connector, status);
      return true;
    }
    const id = { connector: key.connector, task: key.task };
    if (value === null) return this.taskStatuses.get(key.connector)?.delete(key.task) ?? false;
    const status = decodeStatus(value);
    if (!status || !applyStatus(this.task(id), status, true)) return false;
    this.setTask(id, status);
    return true;
  }
}
