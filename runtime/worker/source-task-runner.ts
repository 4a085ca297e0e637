// Runs a source task: poll → transforms → converters → producer. A record's source offset becomes
// committable only once the producer has acknowledged it and every record polled before it; committable
// offsets are flushed to the offset store every offset.flush.interval.ms and when the task stops.
import { Producer } from '@platformatic/kafka';
import type { Logger } from 'pino';
import type {
  OffsetMap,
  Props,
  SourceRecord,
  SourceTask,
  SourceTaskContext,
  TransactionContext,
} from '../api/index.ts';
import { ConnectException, RetriableException } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { SourceTaskMetrics } from '../metrics/task-metrics.ts';
import { offsetKey, type OffsetStore } from '../storage/offset-store.ts';
import type { TaskId } from '../storage/status-store.ts';
import { createConverters, TransformationChain } from './plugins-for-connector.ts';
import type { TopicCreationPlan } from '../config/topic-creation.ts';
import { baseClientOptions, deliveryTimeoutMs, producerOptions } from './kafka-clients.ts';
import { SourceTopicCreator } from './source-topic-creator.ts';
import { errorSettings } from './errors/error-settings.ts';
import { describeSourceRecord, LogReporter } from './errors/log-reporter.ts';
import { ProcessingContext, WORKER_SOURCE_TASK_CLASS } from './errors/processing-context.ts';
import { RetryWithToleranceOperator } from './errors/retry-with-tolerance.ts';
import { SourceRecordPipeline, type ProducerMessage } from './errors/source-record-pipeline.ts';
import { WorkerTask, type TaskStatusListener } from './worker-task.ts';
import type { PluginRegistry } from '../plugins/registry.ts';

/** A record as the producer sends it. */
export type RawMessage = ProducerMessage;

interface InFlightBatch {
  offsets: Map<string, { partition: OffsetMap; offset: OffsetMap }>;
  done: boolean;
}

const MAX_IN_FLIGHT_BATCHES = 8;

export interface SourceTaskRunnerOptions {
  id: TaskId;
  connectorProps: Props;
  taskProps: Props;
  createTask: () => SourceTask;
  worker: WorkerConfig;
  plugins: PluginRegistry;
  offsets: OffsetStore;
  listener: TaskStatusListener;
  log: Logger;
  initialState: 'RUNNING' | 'PAUSED';
  onTopicUsed: (topic: string) => void;
  metrics: SourceTaskMetrics;
  /** The connector's topic creation groups; null when its tasks create no topics. */
  topicCreation: TopicCreationPlan | null;
}

export class SourceTaskRunner extends WorkerTask {
  readonly metrics: SourceTaskMetrics;
  protected readonly options: SourceTaskRunnerOptions;
  protected task: SourceTask | undefined;
  protected producer: Producer<Buffer, Buffer, Buffer, Buffer> | undefined;
  private chain: TransformationChain<SourceRecord> | undefined;
  private operator: RetryWithToleranceOperator<SourceRecord> | undefined;
  private pipeline: SourceRecordPipeline | undefined;
  private inFlight: InFlightBatch[] = [];
  private inFlightWaiters: (() => void)[] = [];
  /** Offsets acknowledged in order and not yet written to the offset store. */
  private committable = new Map<string, { partition: OffsetMap; offset: OffsetMap }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private sendError: unknown;
  private deliveryTimeoutMs = 120_000;
  private readonly seenTopics = new Set<string>();
  private lastPartition: OffsetMap | undefined;
  private lastPartitionKey = '';
  private topicCreator: SourceTopicCreator | undefined;

  constructor(options: SourceTaskRunnerOptions) {
    super(options.id, options.taskProps, options.initialState, options.listener, options.log);
    this.options = options;
    this.metrics = options.metrics;
  }

  protected async initializeAndStart(): Promise<void> {
    const { connectorProps, worker, plugins, offsets, id } = this.options;
    const converters = createConverters(connectorProps, worker, plugins);
    this.chain = TransformationChain.fromConfig<SourceRecord>(connectorProps, plugins);
    const settings = errorSettings(connectorProps);
    this.operator = new RetryWithToleranceOperator<SourceRecord>(settings, this.metrics.errors);
    this.operator.reporters([new LogReporter(id, settings, this.metrics.errors, describeSourceRecord)]);
    this.pipeline = new SourceRecordPipeline(this.operator, converters, this.chain);
    if (settings.dlqTopic !== '') {
      // Java's source connectors have no dead letter queue setting: it is passed on like any unknown key.
      this.log.warn(
        `errors.deadletterqueue.topic.name is a sink connector setting; source connectors have no ` +
          `dead letter queue (as in Apache Kafka Connect), so failed records are not written to ${settings.dlqTopic}`,
      );
    }
    this.producer = await this.createProducer();
    this.deliveryTimeoutMs = deliveryTimeoutMs(worker, connectorProps);
    if (this.options.topicCreation) {
      const admin = baseClientOptions(
        worker,
        `connector-adminclient-${id.connector}-${id.task}`,
        'admin',
        connectorProps,
      );
      this.topicCreator = new SourceTopicCreator(this.options.topicCreation, admin, this.log);
    }
    const context: SourceTaskContext = {
      transactionContext: () => this.transactionContext(),
      configs: () => this.props,
      offsetStorageReader: {
        offset: async (partition) => (await offsets.get(id.connector, [partition]))[0] ?? null,
        offsets: async (partitions) => {
          const values = await offsets.get(id.connector, partitions);
          return partitions.map((partition, i) => ({ partition, offset: values[i] ?? null }));
        },
      },
    };
    this.task = this.options.createTask();
    this.task.initialize(context);
    await this.task.start(this.props);
    this.flushTimer = setInterval(
      () => void this.flushOffsets().catch((error: unknown) => this.fail(error)),
      worker.offsetFlushIntervalMs,
    );
  }

  /** The task's producer (exactly-once tasks: a transactional one, its id fenced before the task starts). */
  protected async createProducer(): Promise<Producer<Buffer, Buffer, Buffer, Buffer>> {
    const { worker, connectorProps, id } = this.options;
    return new Producer(
      producerOptions(worker, connectorProps, `connector-producer-${id.connector}-${id.task}`),
    );
  }

  protected transactionContext(): TransactionContext | null {
    return null;
  }

  /** Called after every poll, with records or without (exactly-once tasks commit by interval here). */
  protected async afterPoll(): Promise<void> {}

  protected async execute(): Promise<void> {
    const task = this.task as SourceTask;
    while (!this.stopping) {
      if (this.sendError) throw this.sendError;
      if (this.isPaused) {
        await this.awaitResume();
        continue;
      }
      let records: SourceRecord[] | null;
      const pollStarted = performance.now();
      try {
        records = await task.poll();
      } catch (error) {
        if (error instanceof RetriableException) {
          this.log.warn({ err: error }, 'poll failed with a retriable error; polling again');
          continue;
        }
        throw error;
      }
      if (records) this.metrics.recordPoll(records.length, performance.now() - pollStarted);
      if (records && records.length > 0) await this.send(records);
      await this.afterPoll();
    }
  }

  /**
   * A record transformed and converted (null: dropped by a transform or an error tolerated), its
   * topic tracked and created if need be. Synchronous unless a retry or a topic creation waits, so
   * that the common path costs no promise per record.
   */
  protected toMessage(record: SourceRecord): RawMessage | null | Promise<RawMessage | null> {
    const message = (this.pipeline as SourceRecordPipeline).process(record);
    return message instanceof Promise ? message.then((m) => this.tracked(m)) : this.tracked(message);
  }

  private tracked(message: RawMessage | null): RawMessage | null | Promise<RawMessage | null> {
    if (message === null) return null;
    if (!this.seenTopics.has(message.topic)) {
      this.seenTopics.add(message.topic);
      this.options.onTopicUsed(message.topic);
    }
    // Each topic is created before its first record is sent (after transforms: a router may rename it).
    if (this.topicCreator?.required(message.topic))
      return this.topicCreator.ensure(message.topic).then(() => message);
    return message;
  }

  protected async send(records: SourceRecord[]): Promise<void> {
    // Wait for a free in-flight slot before converting, so a waiting batch holds only its source
    // records, not their converted copies too (less memory, and less of it promoted to V8's old space).
    // A failed send never frees its slot: stop waiting and fail, as execute() does.
    while (this.inFlight.length >= MAX_IN_FLIGHT_BATCHES && !this.sendError)
      await new Promise<void>((r) => this.inFlightWaiters.push(r));
    if (this.sendError) throw this.sendError;
    const batch: InFlightBatch = { offsets: new Map(), done: false };
    const messages: ProducerMessage[] = [];
    for (const record of records) {
      if (record.sourcePartition && record.sourceOffset) {
        batch.offsets.set(this.offsetKeyOf(record.sourcePartition), {
          partition: record.sourcePartition,
          offset: record.sourceOffset,
        });
      }
      let message = this.toMessage(record);
      if (message instanceof Promise) message = await message;
      if (message) messages.push(message);
    }
    // A record waiting to be retried when the task stopped was dropped: none of the batch is sent, and
    // its offsets are not committed (it is polled again after a restart).
    if (this.stopping) return;
    this.inFlight.push(batch);
    if (messages.length === 0) {
      this.acknowledge(batch);
      this.metrics.recordWrite(0, records.length);
      return;
    }
    // Counts, not the arrays: the callback must not keep the batch's records alive until Kafka answers
    // (the records only when a failed send is tolerated, to report each one).
    const written = messages.length;
    const polled = records.length;
    const tolerated = this.operator?.tolerateAll ? records : undefined;
    const topic = messages[0]?.topic ?? '';
    // The producer retries through a broker outage for as long as it lasts; as Java's producer, the
    // records fail once they have waited delivery.timeout.ms for an acknowledgement.
    let settled = false;
    const failed = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(expiry);
      if (tolerated) this.skipFailedSend(batch, tolerated, error);
      else this.sendFailed(error);
    };
    const expiry = setTimeout(() => failed(this.deliveryTimedOut(written, topic)), this.deliveryTimeoutMs);
    (this.producer as Producer<Buffer, Buffer, Buffer, Buffer>)
      .send({ messages })
      .then(() => {
        if (settled) return;
        settled = true;
        clearTimeout(expiry);
        this.acknowledge(batch);
        this.metrics.recordWrite(written, polled);
      })
      .catch(failed);
  }

  /** The batch's offsets are never committed, so its records are sent again after a restart. */
  private sendFailed(error: unknown): void {
    if (this.sendError) return;
    this.sendError = error;
    this.interrupt();
    for (const wake of this.inFlightWaiters.splice(0)) wake();
  }

  private deliveryTimedOut(records: number, topic: string): ConnectException {
    const { worker, id } = this.options;
    return new ConnectException(
      `${records} record(s) for topic ${topic} were not acknowledged by Kafka at bootstrap.servers=${worker.bootstrapServers.join(',')} ` +
        `within delivery.timeout.ms=${this.deliveryTimeoutMs} ms: a broker outage (or a partition without a leader) lasted longer than the producer's delivery timeout. ` +
        `Their source offsets were not committed, so they are sent again when the task restarts: restart it once the brokers are back ` +
        `(POST /connectors/${id.connector}/tasks/${id.task}/restart, or the operator's autoRestart), or raise producer.delivery.timeout.ms to ride out longer outages`,
    );
  }

  /**
   * errors.tolerance=all and the producer could not write the batch: its records are reported
   * (KAFKA_PRODUCE) and skipped, and acknowledged so that their offsets still commit (KIP-779).
   */
  private skipFailedSend(batch: InFlightBatch, records: SourceRecord[], error: unknown): void {
    this.log.trace({ err: error }, 'Ignoring failed record send (errors.tolerance=all)');
    for (const record of records) {
      const context = new ProcessingContext(record);
      void this.operator?.executeFailed(context, 'KAFKA_PRODUCE', WORKER_SOURCE_TASK_CLASS, error);
    }
    this.acknowledge(batch);
    this.metrics.recordWrite(0, records.length);
  }

  /**
   * offsetKey() for a record's source partition. Tasks usually return the same partition object for
   * every record (FileStreamSource does), so the last key is reused rather than serialised per record.
   */
  protected offsetKeyOf(partition: OffsetMap): string {
    if (partition !== this.lastPartition) {
      this.lastPartition = partition;
      this.lastPartitionKey = offsetKey(this.id.connector, partition);
    }
    return this.lastPartitionKey;
  }

  private acknowledge(batch: InFlightBatch): void {
    batch.done = true;
    while (this.inFlight[0]?.done) {
      const head = this.inFlight.shift() as InFlightBatch;
      for (const [key, value] of head.offsets) this.committable.set(key, value);
    }
    for (const wake of this.inFlightWaiters.splice(0)) wake();
  }

  /** Writes acknowledged offsets to the offset store, then tells the task they are committed. */
  /** Exactly-once tasks end their open transaction here: committed, unless the task failed. */
  protected async closeTransaction(): Promise<void> {}

  private flushOffsets(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.committable.size === 0) return;
      const snapshot = this.committable;
      this.committable = new Map();
      const started = performance.now();
      await this.options.offsets.set(
        [...snapshot.values()].map((e) => ({
          connector: this.id.connector,
          partition: e.partition,
          offset: e.offset,
        })),
      );
      await this.task?.commit();
      this.metrics.recordCommit(performance.now() - started);
    });
    return this.flushing;
  }

  private async awaitInFlight(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.length > 0 && !this.sendError && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.inFlightWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  protected interrupt(): void {
    this.operator?.triggerStop();
    void Promise.resolve(this.task?.stop()).catch((error: unknown) =>
      this.log.warn({ err: error }, 'task stop() failed'),
    );
  }

  protected async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.closeTransaction();
    await this.awaitInFlight(this.options.worker.offsetFlushTimeoutMs);
    try {
      await this.flushOffsets();
    } finally {
      this.chain?.close();
      await this.operator?.close();
      await this.producer?.close(true);
      await this.topicCreator?.close();
    }
  }
}
