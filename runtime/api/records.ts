// Records that flow through Connect: what a source task produces and what a sink task consumes.
import type { Schema } from './schema.ts';

export interface Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

/** Ordered headers; a key may repeat. Records share no header arrays: each owns its copy. */
export type Headers = readonly Header[];

export interface ConnectRecord {
  readonly topic: string;
  /** null lets the producer's partitioner choose. */
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  /** Milliseconds since the epoch, or null. */
  readonly timestamp: number | null;
  readonly headers: Headers;
}

/** A source partition or offset: a small JSON object, e.g. {"filename": "/tmp/a"} / {"position": 42}. */
export type OffsetMap = Readonly<Record<string, unknown>>;

export interface SourceRecord extends ConnectRecord {
  readonly sourcePartition: OffsetMap | null;
  readonly sourceOffset: OffsetMap | null;
}

export type TimestampType = 'NoTimestampType' | 'CreateTime' | 'LogAppendTime';

export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: bigint;
  readonly timestampType: TimestampType;
  /** Where the record was consumed, before transforms renamed its topic or partition. */
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: bigint;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Builds a SourceRecord with the common fields defaulted. */
export function sourceRecord(fields: {
  sourcePartition?: OffsetMap | null;
  sourceOffset?: OffsetMap | null;
  topic: string;
  kafkaPartition?: number | null;
  keySchema?: Schema | null;
  key?: unknown;
  valueSchema?: Schema | null;
  value?: unknown;
  timestamp?: number | null;
  headers?: Headers;
}): SourceRecord {
  return {
    sourcePartition: fields.sourcePartition ?? null,
    sourceOffset: fields.sourceOffset ?? null,
    topic: fields.topic,
    kafkaPartition: fields.kafkaPartition ?? null,
    keySchema: fields.keySchema ?? null,
    key: fields.key ?? null,
    valueSchema: fields.valueSchema ?? null,
    value: fields.value ?? null,
    timestamp: fields.timestamp ?? null,
    headers: fields.headers ?? [],
  };
}

/** A copy of `record` with some fields replaced: how transforms make new records. */
export function withChanges<R extends ConnectRecord>(record: R, changes: Partial<ConnectRecord>): R {
  return { ...record, ...changes };
}
