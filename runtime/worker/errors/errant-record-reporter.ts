// SinkTaskContext.errantRecordReporter() (KIP-610), as Java's WorkerErrantRecordReporter: a sink task
// reports a record it could not write; the report goes to the log and the dead letter queue as a
// TASK_PUT failure, and its promise settles when the DLQ has it. Offsets of a partition are not
// committed until its reports are done. With errors.tolerance=none the report fails the task.
import type { ErrantRecordReporter, SinkRecord } from '../../api/index.ts';
import { ConnectException } from '../../api/index.ts';
import type { RecordConverters } from '../plugins-for-connector.ts';
import type { ConsumedRecord } from './log-reporter.ts';
import { ProcessingContext, SINK_TASK_CLASS } from './processing-context.ts';
import type { RetryWithToleranceOperator } from './retry-with-tolerance.ts';

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
const bytes = (data: Uint8Array | null): Buffer | null =>
  data === null ? null : Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export class WorkerErrantRecordReporter {
  private readonly operator: RetryWithToleranceOperator<ConsumedRecord>;
  private readonly converters: RecordConverters;
  /** The consumed record behind each record given to put(), to report the original bytes. */
  private readonly originals = new WeakMap<SinkRecord, ConsumedRecord>();
  private readonly pending = new Map<string, Promise<void>[]>();
  private firstError: unknown;
  /** Whether the task may use it (SinkTaskContext.errantRecordReporter() is not null). */
  private readonly enabled: boolean;

  constructor(
    operator: RetryWithToleranceOperator<ConsumedRecord>,
    converters: RecordConverters,
    enabled: boolean,
  ) {
    this.operator = operator;
    this.converters = converters;
    this.enabled = enabled;
  }

  /** Remembers which consumed record `record` (given to put()) came from. */
  track(record: SinkRecord, original: ConsumedRecord): void {
    if (this.enabled) this.originals.set(record, original);
  }

  readonly report: ErrantRecordReporter = (record, error) => {
    const context = new ProcessingContext(this.originals.get(record) ?? this.consumedFrom(record));
    this.firstError ??= error;
    const reported = this.operator.executeFailed(context, 'TASK_PUT', SINK_TASK_CLASS, error);
    if (!reported) return Promise.resolve();
    // A task that ignores the promise must not see a failed DLQ write end the process.
    reported.catch(() => {});
    this.hold(context.original, reported);
    return reported;
  };

  /** Holds back the offsets of `original`'s partition until `reported` settles. */
  hold(original: ConsumedRecord, reported: Promise<void>): void {
    const key = partitionKey(original.topic, original.partition);
    const list = this.pending.get(key);
    if (list) list.push(reported);
    else this.pending.set(key, [reported]);
  }

  /**
   * A record the task made itself (or changed): no consumed record behind it, so it goes to the DLQ
   * as the converters write it now, as Java does.
   */
  private consumedFrom(record: SinkRecord): ConsumedRecord {
    const { key, value, header } = this.converters;
    const topic = record.topic;
    return {
      topic,
      partition: record.kafkaPartition,
      offset: record.kafkaOffset,
      timestamp: BigInt(record.timestamp ?? -1),
      key: bytes(key.fromConnectData(topic, record.headers, record.keySchema, record.key)),
      value: bytes(value.fromConnectData(topic, record.headers, record.valueSchema, record.value)),
      headerEntries: record.headers.map((h) => [
        Buffer.from(h.key),
        bytes(header.fromConnectHeader(topic, h.key, h.schema, h.value)),
      ]),
    };
  }

  /** Waits for the reports of these partitions; throws when a DLQ write failed. */
  async awaitReports(partitions: Iterable<{ topic: string; partition: number }>): Promise<void> {
    const waiting: Promise<void>[] = [];
    for (const p of partitions) {
      const key = partitionKey(p.topic, p.partition);
      waiting.push(...(this.pending.get(key) ?? []));
      this.pending.delete(key);
    }
    try {
      await Promise.all(waiting);
    } catch (error) {
      throw new ConnectException('Encountered an error while awaiting an errant record report', {
        cause: error,
      });
    }
  }

  /** Waits for every report in flight (a stopping task, before its DLQ producer closes). */
  awaitAll(): Promise<void> {
    return this.awaitReports(
      [...this.pending.keys()].map((key) => {
        const [topic, partition] = key.split('\u0000') as [string, string];
        return { topic, partition: Number(partition) };
      }),
    );
  }

  /** Forgets the reports of partitions this task no longer has (their offsets are not committed here). */
  forget(partitions: Iterable<{ topic: string; partition: number }>): void {
    for (const p of partitions) this.pending.delete(partitionKey(p.topic, p.partition));
  }

  /** After put(): a report the task swallowed still fails the task when nothing is tolerated. */
  maybeThrowAsyncError(): void {
    if (this.firstError !== undefined && !this.operator.withinToleranceLimits())
      throw new ConnectException('Tolerance exceeded in error handler', { cause: this.firstError });
  }
}
