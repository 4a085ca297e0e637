// Runs a source task: poll → transforms → converters → producer. A record's source offset becomes
// committable only once the producer has acknowledged it and every record polled before it; committable
// offsets are flushed to the offset store every offset.flush.interval.ms and when the task stops.
import { Producer } from '@platformatic/kafka';
import type { Logger } from 'pino';
import type { OffsetMap, Props, SourceRecord, SourceTask, SourceTaskContext } from '../api/index.ts';
import { ConnectException, RetriableException } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { SourceTaskMetrics } from '../metrics/task-metrics.ts';
import { offsetKey, type OffsetStore } from '../storage/offset-store.ts';
import type { TaskId } from '../storage/status-store.ts';
import { createConverters, TransformationChain, type RecordConverters } from './plugins-for-connector.ts';
import { deliveryTimeoutMs, producerOptions } from './kafka-clients.ts';
import { RecordErrorHandler } from './record-errors.ts';
import { WorkerTask, type TaskStatusListener } from './worker-task.ts';
import type { PluginRegistry } from '../plugins/registry.ts';

type RawMessage = {
  topic: string;
  partition?: number;
  key?: Buffer;
  value?: Buffer;
  headers?: Map<Buffer, Buffer>;
  timestamp?: bigint;
};

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
}

export class SourceTaskRunner extends WorkerTask {
  readonly metrics: SourceTaskMetrics;
  private readonly options: SourceTaskRunnerOptions;
  private task: SourceTask | undefined;
  private producer: Producer<Buffer, Buffer, Buffer, Buffer> | undefined;
  private converters: RecordConverters | undefined;
  private chain: TransformationChain<SourceRecord> | undefined;
  private errors: RecordErrorHandler | undefined;
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

  constructor(options: SourceTaskRunnerOptions) {
    super(options.id, options.taskProps, options.initialState, options.listener, options.log);
    this.options = options;
    this.metrics = options.metrics;
  }

  protected async initializeAndStart(): Promise<void> {
    const { connectorProps, worker, plugins, offsets, id } = this.options;
    this.converters = createConverters(connectorProps, worker, plugins);
    this.chain = TransformationChain.fromConfig<SourceRecord>(connectorProps, plugins);
    this.errors = new RecordErrorHandler(connectorProps, this.log, this.metrics.errors);
    this.producer = new Producer(
      producerOptions(worker, connectorProps, `connector-producer-${id.connector}-${id.task}`),
    );
    this.deliveryTimeoutMs = deliveryTimeoutMs(worker, connectorProps);
    const context: SourceTaskContext = {
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
      if (!records) continue;
      this.metrics.recordPoll(records.length, performance.now() - pollStarted);
      if (records.length === 0) continue;
      await this.send(records);
    }
  }

  private async send(records: SourceRecord[]): Promise<void> {
    const converters = this.converters as RecordConverters;
    const chain = this.chain as TransformationChain<SourceRecord>;
    const errors = this.errors as RecordErrorHandler;
    // Wait for a free in-flight slot before converting, so a waiting batch holds only its source
    // records, not their converted copies too (less memory, and less of it promoted to V8's old space).
    // A failed send never frees its slot: stop waiting and fail, as execute() does.
    while (this.inFlight.length >= MAX_IN_FLIGHT_BATCHES && !this.sendError)
      await new Promise<void>((r) => this.inFlightWaiters.push(r));
    if (this.sendError) throw this.sendError;
    const batch: InFlightBatch = { offsets: new Map(), done: false };
    const messages: RawMessage[] = [];
    for (const record of records) {
      if (record.sourcePartition && record.sourceOffset) {
        batch.offsets.set(this.offsetKeyOf(record.sourcePartition), {
          partition: record.sourcePartition,
          offset: record.sourceOffset,
        });
      }
      const transformed = errors.run('TRANSFORMATION', record, () => chain.apply(record));
      if (transformed === null || transformed === undefined) continue;
      const message = errors.run('CONVERTER', transformed, () => toMessage(transformed, converters));
      if (!message) continue;
      messages.push(message);
      if (!this.seenTopics.has(message.topic)) {
        this.seenTopics.add(message.topic);
        this.options.onTopicUsed(message.topic);
      }
    }
    this.inFlight.push(batch);
    if (messages.length === 0) {
      this.acknowledge(batch);
      this.metrics.recordWrite(0, records.length);
      return;
    }
    // Counts, not the arrays: the callback must not keep the batch's records alive until Kafka answers.
    const written = messages.length;
    const polled = records.length;
    const topic = messages[0]?.topic ?? '';
    // The producer retries through a broker outage for as long as it lasts; as Java's producer, the
    // records fail once they have waited delivery.timeout.ms for an acknowledgement.
    const expiry = setTimeout(
      () => this.sendFailed(this.deliveryTimedOut(written, topic)),
      this.deliveryTimeoutMs,
    );
    (this.producer as Producer<Buffer, Buffer, Buffer, Buffer>)
      .send({ messages })
      .then(() => {
        clearTimeout(expiry);
        this.acknowledge(batch);
        this.metrics.recordWrite(written, polled);
      })
      .catch((error: unknown) => {
        clearTimeout(expiry);
        this.sendFailed(error);
      });
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
   * offsetKey() for a record's source partition. Tasks usually return the same partition object for
   * every record (FileStreamSource does), so the last key is reused rather than serialised per record.
   */
  private offsetKeyOf(partition: OffsetMap): string {
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
    void Promise.resolve(this.task?.stop()).catch((error: unknown) =>
      this.log.warn({ err: error }, 'task stop() failed'),
    );
  }

  protected async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.awaitInFlight(this.options.worker.offsetFlushTimeoutMs);
    try {
      await this.flushOffsets();
    } finally {
      this.chain?.close();
      await this.producer?.close(true);
    }
  }
}

/** The bytes as a Buffer, without a copy (and without a new view when they already are one). */
const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function toMessage(record: SourceRecord, converters: RecordConverters): RawMessage {
  // Per-record allocations add up at 100k+ records/s: no header map unless there are headers.
  let headers: Map<Buffer, Buffer> | undefined;
  for (const header of record.headers) {
    const bytes = converters.header.fromConnectHeader(record.topic, header.key, header.schema, header.value);
    headers ??= new Map();
    headers.set(Buffer.from(header.key), bytes ? Buffer.from(bytes) : Buffer.alloc(0));
  }
  const key = converters.key.fromConnectData(record.topic, record.headers, record.keySchema, record.key);
  const value = converters.value.fromConnectData(
    record.topic,
    record.headers,
    record.valueSchema,
    record.value,
  );
  const message: RawMessage = { topic: record.topic };
  if (key) message.key = asBuffer(key);
  if (value) message.value = asBuffer(value);
  if (headers) message.headers = headers;
  if (record.kafkaPartition !== null) message.partition = record.kafkaPartition;
  if (record.timestamp !== null) message.timestamp = BigInt(record.timestamp);
  return message;
}
