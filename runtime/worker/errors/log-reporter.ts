// errors.log.enable: every failure logged at ERROR with Java's LogReporter message, "Error
// encountered in task <connector>-<task>. Executing stage '<STAGE>' with class '<class>'", with the
// record when errors.log.include.messages: the consumed record's coordinates for a sink, the whole
// source record for a source.
import type { Schema, SourceRecord } from '../../api/index.ts';
import { javaToString } from '../../converters/java-formats.ts';
import { logger } from '../../logging.ts';
import type { ErrorMetrics } from '../../metrics/task-metrics.ts';
import type { TaskId } from '../../storage/status-store.ts';
import type { ErrorSettings } from './error-settings.ts';
import type { ProcessingContext } from './processing-context.ts';
import type { ErrorReporter } from './retry-with-tolerance.ts';

/** A record as consumed from Kafka, raw (the consumer's own message): what a sink's errors are reported with. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Epoch ms, -1 when the record has none. */
  readonly timestamp: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headerEntries: [Buffer, Buffer | null][];
}

export class LogReporter<T> implements ErrorReporter<T> {
  private readonly id: TaskId;
  private readonly task: string;
  private readonly settings: ErrorSettings;
  private readonly metrics: ErrorMetrics;
  private readonly describe: (original: T) => string;

  constructor(id: TaskId, settings: ErrorSettings, metrics: ErrorMetrics, describe: (original: T) => string) {
    this.id = id;
    this.task = `${id.connector}-${id.task}`;
    this.settings = settings;
    this.metrics = metrics;
    this.describe = describe;
  }

  report(context: ProcessingContext<T>): undefined {
    if (!this.settings.logErrors || !context.failed) return undefined;
    // Java's logger name, so that /admin/loggers and log4j settings for it apply to these lines.
    logger('org.apache.kafka.connect.runtime.errors.LogReporter').error(
      { err: context.error, connector: this.id.connector, task: this.id.task },
      this.message(context),
    );
    this.metrics.errorsLogged++;
    return undefined;
  }

  message(context: ProcessingContext<T>): string {
    const record = this.settings.logIncludeMessages ? this.describe(context.original) : '';
    return (
      `Error encountered in task ${this.task}. Executing stage '${context.stage}' ` +
      `with class '${context.executingClass || 'null'}'${record}.`
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Java's ", where consumed record is {topic='t', partition=0, offset=5, timestamp=…, timestampType=CreateTime}". */
export function describeConsumedRecord(record: ConsumedRecord): string {
  // The consumer does not say whether a timestamp is CreateTime or LogAppendTime; Weir's sink records are CreateTime.
  const time = record.timestamp >= 0n ? `, timestamp=${record.timestamp}, timestampType=CreateTime` : '';
  return `, where consumed record is {topic='${record.topic}', partition=${record.partition}, offset=${record.offset}${time}}`;
}

const schemaText = (schema: Schema | null): string =>
  schema === null ? 'null' : `Schema{${schema.name ? `${schema.name}:` : ''}${schema.type.toUpperCase()}}`;

/** Java's ", where source record is = SourceRecord{…} ConnectRecord{…}" (SourceRecord.toString()). */
export function describeSourceRecord(record: SourceRecord): string {
  const headers =
    record.headers.length === 0
      ? ''
      : `[${record.headers
          .map(
            (h) =>
              `ConnectHeader(key=${h.key}, value=${javaToString(h.value, h.schema)}, schema=${schemaText(h.schema)})`,
          )
          .join(', ')}]`;
  return (
    `, where source record is = SourceRecord{sourcePartition=${javaToString(record.sourcePartition)}, ` +
    `sourceOffset=${javaToString(record.sourceOffset)}} ConnectRecord{topic='${record.topic}', ` +
    `kafkaPartition=${record.kafkaPartition ?? 'null'}, key=${javaToString(record.key, record.keySchema)}, ` +
    `keySchema=${schemaText(record.keySchema)}, value=${javaToString(record.value, record.valueSchema)}, ` +
    `valueSchema=${schemaText(record.valueSchema)}, timestamp=${record.timestamp ?? 'null'}, ` +
    `headers=ConnectHeaders(headers=${headers})}`
  );
}
