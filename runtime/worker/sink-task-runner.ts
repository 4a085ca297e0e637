// Runs a sink task: consumer group connect-<connector> → converters → transforms → put; every
// offset.flush.interval.ms (and on stop) preCommit/flush and commit the consumed offsets. Offsets are
// committed only for records the task has been given and has flushed: at-least-once, never lost.
import { Admin, Consumer, type Message, type MessagesStream } from '@platformatic/kafka';
import type {
  Header,
  PartitionOffset,
  Props,
  SinkRecord,
  SinkTask,
  SinkTaskContext,
  TopicPartition,
} from '../api/index.ts';
import { RetriableException } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { SinkTaskMetrics } from '../metrics/task-metrics.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { TaskId } from '../storage/status-store.ts';
import { leaveGroupOutOfBand, rememberDeparted, takeDeparted } from './sink-group-leave.ts';
import { baseClientOptions, consumerOptions, sinkGroupId } from './kafka-clients.ts';
import {
  createConverters,
  splitList,
  TransformationChain,
  type RecordConverters,
} from './plugins-for-connector.ts';
import { RecordErrorHandler } from './record-errors.ts';
import { sleep, WorkerTask, type TaskStatusListener } from './worker-task.ts';
import type { Logger } from 'pino';

type RawMessage = Message<Buffer, Buffer, Buffer, Buffer>;
type RawStream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

const MAX_BATCH = 500;
const BUFFER_HIGH_WATER = 5000;
/** How long a consumer's close may wait at the coordinator before the task leaves the group out of band. */
const LEAVE_OUT_OF_BAND_AFTER_MS = 500;

export interface SinkTaskRunnerOptions {
  id: TaskId;
  connectorProps: Props;
  taskProps: Props;
  createTask: () => SinkTask;
  worker: WorkerConfig;
  plugins: PluginRegistry;
  listener: TaskStatusListener;
  log: Logger;
  initialState: 'RUNNING' | 'PAUSED';
  onTopicUsed: (topic: string) => void;
  metrics: SinkTaskMetrics;
}

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class SinkTaskRunner extends WorkerTask {
  readonly metrics: SinkTaskMetrics;
  private readonly options: SinkTaskRunnerOptions;
  private task: SinkTask | undefined;
  private consumer: Consumer<Buffer, Buffer, Buffer, Buffer> | undefined;
  private stream: RawStream | undefined;
  private converters: RecordConverters | undefined;
  private chain: TransformationChain<SinkRecord> | undefined;
  private errors: RecordErrorHandler | undefined;
  private buffer: RawMessage[] = [];
  private wake: (() => void) | undefined;
  private streamError: unknown;
  /** Next offset to commit per partition: everything before it has been given to put(). */
  private consumed = new Map<string, PartitionOffset & { leaderEpoch: number }>();
  private readonly pausedPartitions = new Set<string>();
  private commitRequested = false;
  private subscribing = false;
  private retryTimeoutMs = 1000;
  private lastCommit = Date.now();
  private readonly seenTopics = new Set<string>();

  constructor(options: SinkTaskRunnerOptions) {
    super(options.id, options.taskProps, options.initialState, options.listener, options.log);
    this.options = options;
    this.metrics = options.metrics;
  }

  /**
   * The topics to consume. Listed topics that do not exist yet are auto-created where the broker allows
   * it (as Java's consumer asks for them); otherwise the task waits for them to appear.
   */
  private async topics(): Promise<string[]> {
    const { connectorProps, worker, id } = this.options;
    const listed = splitList(connectorProps['topics']);
    const regex = connectorProps['topics.regex']?.trim();
    // On the consumer's behalf (Java's consumer asks for the metadata itself): its login, not the worker's.
    // Few retries per call: the loop below waits for the topics and ends when the task stops.
    const admin = new Admin({
      ...baseClientOptions(worker, `connector-admin-${id.connector}-${id.task}`, 'consumer', connectorProps),
      retries: 5,
    });
    try {
      if (regex) {
        const pattern = new RegExp(`^(?:${regex})$`);
        return (await admin.listTopics()).filter((t) => pattern.test(t));
      }
      for (let attempt = 0; !this.stopping; attempt++) {
        try {
          await admin.metadata({ topics: listed, autocreateTopics: true });
          return listed;
        } catch (error) {
          if (attempt === 0)
            this.log.warn({ err: error }, `Waiting for topics ${listed.join(', ')} to exist`);
          await sleep(1000, { onWake: (w) => (this.wake = w) });
        }
      }
      return listed;
    } finally {
      await admin.close();
    }
  }

  protected async initializeAndStart(): Promise<void> {
    const { connectorProps, worker, plugins } = this.options;
    this.converters = createConverters(connectorProps, worker, plugins);
    this.chain = TransformationChain.fromConfig<SinkRecord>(connectorProps, plugins);
    this.errors = new RecordErrorHandler(connectorProps, this.log, this.metrics.errors);
    const context: SinkTaskContext = {
      configs: () => this.props,
      assignment: () => this.assignment(),
      pause: (...partitions) =>
        partitions.forEach((p) => this.pausedPartitions.add(partitionKey(p.topic, p.partition))),
      resume: (...partitions) => {
        partitions.forEach((p) => this.pausedPartitions.delete(partitionKey(p.topic, p.partition)));
        this.wake?.();
      },
      offset: (offsets) =>
        this.log.warn({ offsets }, 'SinkTaskContext.offset() is not supported yet; consumption continues'),
      timeout: (ms) => {
        this.retryTimeoutMs = ms;
      },
      requestCommit: () => {
        this.commitRequested = true;
      },
      errantRecordReporter: () => null,
    };
    this.task = this.options.createTask();
    this.task.initialize(context);
    await this.task.start(this.props);
  }

  /**
   * Subscribes the consumer. It runs after the task has reported RUNNING, as in Java: joining the
   * connector's consumer group can take a while (a member that died stays until its session times out).
   */
  private async subscribe(): Promise<void> {
    this.subscribing = true;
    try {
      await this.startConsuming();
    } finally {
      this.subscribing = false;
    }
  }

  private async startConsuming(): Promise<void> {
    const { connectorProps, worker, id } = this.options;
    const topics = await this.topics();
    const groupId = sinkGroupId(worker, connectorProps, id.connector);
    await this.removeDepartedMembers(groupId);
    const consumer = new Consumer(
      consumerOptions(worker, connectorProps, `connector-consumer-${id.connector}-${id.task}`, groupId),
    );
    this.consumer = consumer;
    consumer.on('client:broker:failed', () => (this.kafkaOutOfReach = true));
    consumer.on('client:broker:connect', () => (this.kafkaOutOfReach = false));
    consumer.on('consumer:group:join', ({ memberId }: { memberId: string }) => {
      this.joinedAs = memberId;
      void this.onAssignment().catch((error: unknown) => this.fail(error));
    });
    this.stream = await new Promise<RawStream>((resolve, reject) =>
      consumer.consume(
        { topics, mode: 'committed', fallbackMode: 'earliest', autocommit: false },
        (error, stream) => {
          if (error || !stream) return reject(error ?? new Error('the consumer gave no stream'));
          // Listeners go on in the callback, before the stream's first step (listing offsets) runs:
          // a task stopped while joining its group closes the consumer, that step fails, and an
          // 'error' without a listener would end the worker process.
          this.listenTo(stream);
          resolve(stream);
        },
      ),
    );
  }

  private listenTo(stream: RawStream): void {
    let pausing = false;
    stream.on('data', (message: RawMessage) => {
      this.buffer.push(message);
      if (this.buffer.length >= BUFFER_HIGH_WATER && !pausing) {
        // Paused once the fetch response's messages are all here: pausing at once would send the rest
        // of them through the stream's own buffer, one 'data' event at a time, after a resume. The
        // tick runs before the stream's next fetch is due, so no further fetch goes out.
        pausing = true;
        process.nextTick(() => {
          pausing = false;
          if (this.buffer.length >= BUFFER_HIGH_WATER / 2) stream.pause();
        });
      }
      this.wake?.();
    });
    stream.on('error', (error: unknown) => {
      this.streamError = error;
      this.wake?.();
    });
  }

  private assignment(): TopicPartition[] {
    return (this.consumer?.assignments ?? []).flatMap((a) =>
      a.partitions.map((partition) => ({ topic: a.topic, partition })),
    );
  }

  private openPartitions = new Set<string>();

  /** Calls open()/close() on the task for partitions that came or went in a rebalance. */
  private async onAssignment(): Promise<void> {
    const now = this.assignment();
    const nowKeys = new Set(now.map((p) => partitionKey(p.topic, p.partition)));
    const gone = [...this.openPartitions].filter((k) => !nowKeys.has(k));
    const added = now.filter((p) => !this.openPartitions.has(partitionKey(p.topic, p.partition)));
    this.openPartitions = nowKeys;
    this.metrics.partitionCount = nowKeys.size;
    if (gone.length > 0) {
      const partitions = gone.map((k) => {
        const [topic, partition] = k.split('\u0000') as [string, string];
        return { topic, partition: Number(partition) };
      });
      for (const k of gone) this.consumed.delete(k);
      await this.task?.close(partitions);
    }
    if (added.length > 0) await this.task?.open(added);
  }

  protected async execute(): Promise<void> {
    await this.subscribe();
    const flushInterval = this.options.worker.offsetFlushIntervalMs;
    while (!this.stopping) {
      if (this.streamError) throw this.streamError;
      if (this.commitRequested || Date.now() - this.lastCommit >= flushInterval) await this.commit();
      if (this.isPaused) {
        await sleep(Math.min(500, flushInterval), { onWake: (w) => (this.wake = w) });
        continue;
      }
      const batch = this.takeBatch();
      if (batch.length === 0) {
        await sleep(Math.max(1, Math.min(500, flushInterval - (Date.now() - this.lastCommit))), {
          onWake: (w) => (this.wake = w),
        });
        continue;
      }
      await this.deliver(batch);
    }
  }

  private takeBatch(): RawMessage[] {
    if (this.pausedPartitions.size === 0) {
      const batch = this.buffer.splice(0, MAX_BATCH);
      if (this.buffer.length < BUFFER_HIGH_WATER / 2) this.stream?.resume();
      return batch;
    }
    const batch: RawMessage[] = [];
    const held: RawMessage[] = [];
    for (const message of this.buffer) {
      if (
        batch.length < MAX_BATCH &&
        !this.pausedPartitions.has(partitionKey(message.topic, message.partition))
      )
        batch.push(message);
      else held.push(message);
    }
    this.buffer = held;
    return batch;
  }

  private async deliver(messages: RawMessage[]): Promise<void> {
    this.metrics.recordRead(messages.length);
    const records: SinkRecord[] = [];
    for (const message of messages) {
      if (!this.seenTopics.has(message.topic)) {
        this.seenTopics.add(message.topic);
        this.options.onTopicUsed(message.topic);
      }
      const record = (this.errors as RecordErrorHandler).run('CONVERTER', message, () =>
        this.toRecord(message),
      );
      if (!record) continue;
      const chain = this.chain as TransformationChain<SinkRecord>;
      const transformed = chain.isEmpty
        ? record
        : (this.errors as RecordErrorHandler).run('TRANSFORMATION', record, () => chain.apply(record));
      if (transformed) records.push(transformed);
    }
    while (!this.stopping) {
      try {
        const started = performance.now();
        await (this.task as SinkTask).put(records);
        this.metrics.recordPut(records.length, performance.now() - started);
        break;
      } catch (error) {
        if (!(error instanceof RetriableException)) throw error;
        this.log.warn(
          { err: error },
          `put() failed with a retriable error; retrying in ${this.retryTimeoutMs} ms`,
        );
        await sleep(this.retryTimeoutMs, { onWake: (w) => (this.wake = w) });
      }
    }
    if (this.stopping && records.length > 0) return;
    // Only each partition's last message counts; a batch holds runs of messages by partition.
    messages.forEach((message, i) => {
      const next = messages[i + 1];
      if (next && next.partition === message.partition && next.topic === message.topic) return;
      this.consumed.set(partitionKey(message.topic, message.partition), {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset + 1n,
        leaderEpoch: message.leaderEpoch,
      });
    });
  }

  private toRecord(message: RawMessage): SinkRecord {
    const converters = this.converters as RecordConverters;
    const headers: Header[] = message.headerEntries.map(([k, v]) => {
      const key = k.toString();
      const { schema, value } = converters.header.toConnectHeader(message.topic, key, v);
      return { key, schema, value };
    });
    const keyBytes = message.key && message.key.length > 0 ? message.key : null;
    const valueBytes = message.value && message.value.length > 0 ? message.value : null;
    const key = converters.key.toConnectData(message.topic, headers, keyBytes);
    const value = converters.value.toConnectData(message.topic, headers, valueBytes);
    return {
      topic: message.topic,
      kafkaPartition: message.partition,
      kafkaOffset: message.offset,
      keySchema: key.schema,
      key: key.value,
      valueSchema: value.schema,
      value: value.value,
      timestamp: Number(message.timestamp),
      timestampType: 'CreateTime',
      headers,
      originalTopic: message.topic,
      originalKafkaPartition: message.partition,
      originalKafkaOffset: message.offset,
    };
  }

  /** preCommit (flush) then commit what the task says is safe. */
  private async commit(): Promise<void> {
    this.lastCommit = Date.now();
    this.commitRequested = false;
    if (this.consumed.size === 0 || !this.task || !this.consumer) return;
    const started = performance.now();
    const current = [...this.consumed.values()];
    const safe = await this.task.preCommit(
      current.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
    );
    if (safe.length === 0) return;
    this.metrics.commitSeqNo++;
    const epochs = new Map(current.map((c) => [partitionKey(c.topic, c.partition), c.leaderEpoch]));
    await this.consumer.commit({
      offsets: safe.map((o) => ({ ...o, leaderEpoch: epochs.get(partitionKey(o.topic, o.partition)) ?? -1 })),
    });
    for (const o of safe) {
      const key = partitionKey(o.topic, o.partition);
      if (this.consumed.get(key)?.offset === o.offset) this.consumed.delete(key);
    }
    this.metrics.recordCommit(performance.now() - started);
  }

  protected interrupt(): void {
    this.wake?.();
    // A consumer still joining its group would hold the stop up until the join completes.
    if (this.subscribing) void this.closeConsumer();
  }

  protected async close(): Promise<void> {
    try {
      if (this.task) {
        // In the middle of a rebalance the commit would wait behind the pending JoinGroup, then be
        // refused: the records since the last commit are delivered again (at least once).
        if (this.consumer?.isActive() !== false) {
          await this.commit().catch((error: unknown) =>
            this.log.warn({ err: error }, 'final offset commit failed'),
          );
        }
        await this.task.close(this.assignment());
        await this.task.stop();
      }
    } finally {
      this.chain?.close();
      await this.stream?.close().catch(() => {});
      await this.closeConsumer();
    }
  }

  private consumerClosed: Promise<void> | undefined;
  /** The consumer's member id at its last join. */
  private joinedAs: string | undefined;
  /** Whether the consumer's last attempt to connect to a broker failed. */
  private kafkaOutOfReach = false;

  /**
   * Closes the consumer. Its LeaveGroup goes over the coordinator connection, where a JoinGroup may be
   * waiting for the other members (a broker answers one request per connection at a time); until the
   * join completes the stop would hang, and the group would wait for this member. So if the close has
   * not finished soon, the member leaves over a connection of its own, which ends the pending join.
   */
  private closeConsumer(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return Promise.resolve();
    this.consumerClosed ??= (async () => {
      // The member as last joined: a consumer that lost its coordinator may have forgotten it.
      const memberId = consumer.memberId ?? this.joinedAs;
      const closed = consumer.close(true).then(
        () => true,
        () => false,
      );
      const waiting = new Promise<boolean>((r) => setTimeout(() => r(false), LEAVE_OUT_OF_BAND_AFTER_MS));
      let leftOutOfBand = false;
      if (!(await Promise.race([closed, waiting])) && memberId) {
        leftOutOfBand = await this.leaveOutOfBand(
          consumer.groupId,
          [memberId],
          'the sink task is stopping',
        ).then(
          () => true,
          (error: unknown) => {
            this.log.warn({ err: error }, 'leaving the consumer group out of band failed');
            return false;
          },
        );
      }
      const closedCleanly = await closed;
      // The consumer's close reports success when Kafka is out of reach too, its LeaveGroup unsent:
      // the member stays until its session ends, and the next consumer removes it (sink-group-leave.ts).
      if (memberId && !leftOutOfBand && (!closedCleanly || this.kafkaOutOfReach))
        rememberDeparted(this.options.worker.bootstrapServers, consumer.groupId, memberId);
    })();
    return this.consumerClosed;
  }

  private async leaveOutOfBand(groupId: string, memberIds: string[], reason: string): Promise<void> {
    const { worker, id, connectorProps } = this.options;
    const clientName = `connector-leave-${id.connector}-${id.task}`;
    await leaveGroupOutOfBand(worker, connectorProps, clientName, { groupId, memberIds, reason });
    this.log.info(`Left consumer group ${groupId} out of band (${memberIds.length} member(s)): ${reason}`);
  }

  /** Members this process's consumers left behind in the group (see departed-members.ts) leave now. */
  private async removeDepartedMembers(groupId: string): Promise<void> {
    const bootstrap = this.options.worker.bootstrapServers;
    const members = takeDeparted(bootstrap, groupId);
    if (members.length === 0) return;
    try {
      await this.leaveOutOfBand(
        groupId,
        members,
        'an earlier consumer of this sink task closed without leaving',
      );
    } catch (error) {
      for (const member of members) rememberDeparted(bootstrap, groupId, member);
      this.log.warn({ err: error }, `could not remove earlier consumers of group ${groupId}; joining anyway`);
    }
  }
}
