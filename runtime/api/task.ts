// Tasks copy data. A source task polls records from outside; a sink task puts records outside.
import type { Awaitable, OffsetStorageReader, Props } from './connector.ts';
import type { SinkRecord, SourceRecord, TopicPartition } from './records.ts';

export interface SourceTaskContext {
  configs(): Props;
  readonly offsetStorageReader: OffsetStorageReader;
  /**
   * With exactly-once source support on and transaction.boundary=connector: where the task asks for
   * its transactions to be committed or aborted. Otherwise null (or absent).
   */
  transactionContext?(): TransactionContext | null;
}

/**
 * Connector-defined transaction boundaries (exactly-once sources). Requests take effect after the
 * current or given record has been handed to the framework, never before.
 */
export interface TransactionContext {
  /** Commit the transaction after the records of the current poll() batch. */
  commitTransaction(): void;
  /** Commit the transaction right after `record` (one this task returned from poll()). */
  commitTransaction(record: SourceRecord): void;
  /** Abort the transaction after the current poll() batch; its records are never visible. */
  abortTransaction(): void;
  /** Abort the transaction right after `record`: it and the records before it in the transaction are dropped. */
  abortTransaction(record: SourceRecord): void;
}

/** A committed or to-be-committed position: the next offset to consume in a topic partition. */
export interface PartitionOffset extends TopicPartition {
  readonly offset: bigint;
}

/** Where the producer wrote a source record. */
export interface RecordMetadata extends TopicPartition {
  readonly offset: bigint;
  readonly timestamp: number | null;
}

/** Reports a record that failed in a sink task to the connector's dead letter queue / error log. */
export type ErrantRecordReporter = (record: SinkRecord, error: Error) => Promise<void>;

export interface SinkTaskContext {
  configs(): Props;
  /** The topic partitions currently assigned to this task. */
  assignment(): TopicPartition[];
  pause(...partitions: TopicPartition[]): void;
  resume(...partitions: TopicPartition[]): void;
  /** Rewinds or skips consumption: the next record delivered for each partition is at `offset`. */
  offset(offsets: PartitionOffset[]): void;
  /** After a RetriableException from put(), wait this long before redelivering. */
  timeout(ms: number): void;
  /** Asks for a flush and offset commit as soon as possible. */
  requestCommit(): void;
  errantRecordReporter(): ErrantRecordReporter | null;
}

export abstract class SourceTask {
  protected context!: SourceTaskContext;

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Props): Awaitable<void>;
  /**
   * Returns the next records, or null / [] when there are none for now. May wait a little for data,
   * but must return soon after stop() is called.
   */
  abstract poll(): Promise<SourceRecord[] | null>;
  /** Called concurrently with poll(): make a waiting poll() return promptly. */
  abstract stop(): Awaitable<void>;

  /** All records returned so far are acknowledged and their offsets flushed. */
  commit(): Awaitable<void> {}

  /** One record was written to Kafka (metadata) or dropped by a transform (null). */
  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): Awaitable<void> {}
}

export abstract class SinkTask {
  protected context!: SinkTaskContext;

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Props): Awaitable<void>;
  /** Writes the records out, or buffers them until flush(). Throw RetriableException to be called again. */
  abstract put(records: SinkRecord[]): Awaitable<void>;
  abstract stop(): Awaitable<void>;

  /** Makes everything put so far durable; called before offsets are committed. */
  flush(_currentOffsets: PartitionOffset[]): Awaitable<void> {}

  /** The offsets safe to commit; by default flush() and then everything consumed. */
  async preCommit(currentOffsets: PartitionOffset[]): Promise<PartitionOffset[]> {
    await this.flush(currentOffsets);
    return currentOffsets;
  }

  open(_partitions: TopicPartition[]): Awaitable<void> {}
  close(_partitions: TopicPartition[]): Awaitable<void> {}
}

export type Task = SourceTask | SinkTask;
