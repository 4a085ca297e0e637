// An exactly-once source task (KIP-618, Java's ExactlyOnceWorkerSourceTask): its producer is
// transactional, with transactional.id <group.id>-<connector>-<task>, and the source offsets of the
// records in a transaction are written to the offsets topic inside that same transaction, so a
// read_committed reader sees a record exactly when its offset counts. Transactions end after every
// poll() batch (transaction.boundary=poll), every transaction.boundary.interval.ms (interval), or where
// the task asks through its TransactionContext (connector).
//
// Before the task starts, the leader fences the connector's previous task generation (preflight), then
// the producer's InitProducerId bumps this id's epoch: a zombie of this task can no longer write, and
// its open transaction is aborted (or, if it was committing, completed) before this task reads its
// offsets.
import { Producer } from '@platformatic/kafka';
import type { SourceRecord, TransactionContext } from '../api/index.ts';
import type { OffsetEntry, TransactionalOffsetStore } from '../storage/offset-store.ts';
import type { TaskId } from '../storage/status-store.ts';
import { clientSettings, producerOptions } from './kafka-clients.ts';
import { SourceTaskRunner, type RawMessage, type SourceTaskRunnerOptions } from './source-task-runner.ts';

export type TransactionBoundary = 'poll' | 'interval' | 'connector';

export interface ExactlyOnceOptions {
  /** The worker's group.id: transactional ids are <group.id>-<connector>-<task>. */
  readonly groupId: string;
  /** Zombie fencing by the leader before the task's producer starts (Java's preflight check). */
  readonly preflight: (id: TaskId) => Promise<void>;
}

export const taskTransactionalId = (groupId: string, id: TaskId): string =>
  `${groupId}-${id.connector}-${id.task}`;

/** Exactly-once tasks write their offsets in their transactions: their store must be a topic's. */
export function transactional(
  options: SourceTaskRunnerOptions,
): SourceTaskRunnerOptions & { offsets: TransactionalOffsetStore } {
  if (!('transactionalMessages' in options.offsets))
    throw new Error('exactly-once source tasks need a Kafka offset store (distributed mode)');
  return options as SourceTaskRunnerOptions & { offsets: TransactionalOffsetStore };
}

type Request = 'commit' | 'abort';
type Transaction = Awaited<ReturnType<Producer<Buffer, Buffer, Buffer, Buffer>['beginTransaction']>>;

export class ExactlyOnceSourceTaskRunner extends SourceTaskRunner {
  private readonly exactlyOnce: ExactlyOnceOptions;
  /** The connector's offsets topic (its offsets.storage.topic, else the worker's). */
  private readonly offsetStore: TransactionalOffsetStore;
  private readonly boundary: TransactionBoundary;
  private readonly intervalMs: number;
  private transaction: Transaction | undefined;
  /** Converted records not yet handed to the open transaction. */
  private messages: RawMessage[] = [];
  /** The latest offset of each source partition of the open transaction. */
  private offsets = new Map<string, OffsetEntry>();
  private nextIntervalCommit = 0;
  /**
   * A transactional call failed: the transaction may be aborted or this producer fenced, and nothing
   * may be sent or committed on it any more (the client would fall back to a non-transactional send).
   */
  private broken = false;
  /** A poll batch is being handled: if that ends in an error, its transaction must not be committed. */
  private inBatch = false;
  /** Connector-defined boundaries: after this batch, or right after these records. */
  private batchRequest: Request | undefined;
  private readonly recordRequests = new Map<SourceRecord, Request>();

  constructor(
    options: SourceTaskRunnerOptions & { offsets: TransactionalOffsetStore },
    exactlyOnce: ExactlyOnceOptions,
  ) {
    super(options);
    this.exactlyOnce = exactlyOnce;
    this.offsetStore = options.offsets;
    const props = options.connectorProps;
    this.boundary = (props['transaction.boundary'] ?? 'poll').trim().toLowerCase() as TransactionBoundary;
    const interval = props['transaction.boundary.interval.ms']?.trim();
    this.intervalMs = interval ? Number(interval) : options.worker.offsetFlushIntervalMs;
  }

  protected override async createProducer(): Promise<Producer<Buffer, Buffer, Buffer, Buffer>> {
    const { worker, connectorProps, id } = this.options;
    await this.exactlyOnce.preflight(id);
    const transactionalId = taskTransactionalId(this.exactlyOnce.groupId, id);
    const options = producerOptions(worker, connectorProps, `connector-producer-${id.connector}-${id.task}`);
    const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
      ...options,
      // The client's timeout is also the transaction timeout it asks for: Java's transaction.timeout.ms.
      timeout: Number(clientSettings(worker, 'producer', connectorProps)['transaction.timeout.ms'] ?? 60_000),
      acks: -1,
      idempotent: true,
      transactionalId,
    });
    // InitProducerId now, before the task reads its offsets: it fences this id's zombies and waits
    // until a transaction they were committing is complete. No producer id yet: -1/-1, as Java sends.
    const first = await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
    await first.cancel();
    this.log.info(`Initialized transactional producer ${transactionalId}`);
    this.nextIntervalCommit = Date.now() + this.intervalMs;
    return producer;
  }

  protected override transactionContext(): TransactionContext | null {
    if (this.boundary !== 'connector') return null;
    const request = (kind: Request) => (record?: SourceRecord) => {
      if (record) this.recordRequests.set(record, kind);
      else this.batchRequest = kind;
    };
    return { commitTransaction: request('commit'), abortTransaction: request('abort') };
  }

  protected override async send(records: SourceRecord[]): Promise<void> {
    this.inBatch = true;
    let written = 0;
    for (const record of records) {
      if (record.sourcePartition && record.sourceOffset) {
        this.offsets.set(this.offsetKeyOf(record.sourcePartition), {
          connector: this.id.connector,
          partition: record.sourcePartition,
          offset: record.sourceOffset,
        });
      }
      const message = await this.toMessage(record);
      if (message) {
        this.messages.push(message);
        written++;
      }
      const request = this.recordRequests.get(record);
      if (request) {
        this.recordRequests.delete(record);
        await this.endTransaction(request);
      }
    }
    // Records go to the open transaction batch by batch; only its end makes them visible. With a
    // transaction per poll they go with the offsets, in one request: two round trips fewer each.
    if (this.boundary !== 'poll') await this.sendMessages();
    this.inBatch = false;
    this.metrics.recordWrite(written, records.length);
    if (this.boundary === 'poll') await this.endTransaction('commit');
    else if (this.boundary === 'connector' && this.batchRequest) {
      const request = this.batchRequest;
      this.batchRequest = undefined;
      await this.endTransaction(request);
    }
  }

  protected override async afterPoll(): Promise<void> {
    if (this.boundary !== 'interval' || Date.now() < this.nextIntervalCommit) return;
    this.nextIntervalCommit = Date.now() + this.intervalMs;
    await this.endTransaction('commit');
  }

  protected override async closeTransaction(): Promise<void> {
    // A batch cut short (an error while stopping is no failure) has offsets without all its records.
    if (this.hasFailed || this.broken || this.inBatch) {
      if (!this.broken) await this.transaction?.abort().catch(() => undefined);
      this.transaction = undefined;
      return;
    }
    // What the task handed over before it stopped is committed with its offsets.
    await this.endTransaction('commit');
  }

  private async begin(): Promise<Transaction> {
    if (this.broken) throw new Error('the transaction failed earlier: nothing more is sent with it');
    const producer = this.producer as Producer<Buffer, Buffer, Buffer, Buffer>;
    this.transaction ??= await this.guard(() => producer.beginTransaction());
    // The client's own transaction must still be this one (a fenced client drops it).
    if (producer.transaction !== this.transaction) {
      this.broken = true;
      throw new Error('the producer is no longer in this transaction (fenced?)');
    }
    return this.transaction;
  }

  /** Runs a transactional call; a failure breaks the transaction for good. */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.broken = true;
      throw error;
    }
  }

  private async sendMessages(): Promise<void> {
    if (this.messages.length === 0) return;
    const messages = this.messages;
    this.messages = [];
    const transaction = await this.begin();
    await this.guard(() => transaction.send({ messages }));
  }

  /** Commits the open transaction with the offsets of its records, or aborts it and drops them. */
  private async endTransaction(request: Request): Promise<void> {
    if (request === 'abort') {
      this.messages = [];
      this.offsets.clear();
      const transaction = this.transaction;
      this.transaction = undefined;
      if (transaction) await this.guard(() => transaction.abort());
      return;
    }
    const entries = [...this.offsets.values()];
    let messages = this.messages;
    this.messages = [];
    if (entries.length > 0) {
      this.offsets = new Map();
      const offsets = await this.guard(async () => this.offsetStore.transactionalMessages(entries));
      messages = messages.length > 0 ? [...messages, ...offsets] : offsets;
    }
    if (messages.length > 0) {
      const transaction = await this.begin();
      await this.guard(() => transaction.send({ messages }));
    }
    const transaction = this.transaction;
    if (!transaction) return;
    if (this.broken) throw new Error('the transaction failed earlier: it is not committed');
    const started = performance.now();
    await this.guard(() => transaction.commit());
    this.transaction = undefined;
    if (entries.length > 0) this.offsetStore.committed?.(entries);
    await this.task?.commit();
    this.metrics.recordCommit(performance.now() - started);
  }
}
