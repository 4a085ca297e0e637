// The checks Kafka's transforms make on what they are given (org.apache.kafka.connect.transforms.util.
// Requirements), with the same DataException messages.
import { DataException, Struct } from '../../api/index.ts';
import type { ConnectRecord, Schema, SinkRecord } from '../../api/index.ts';
import { javaClassName } from './java-types.ts';

/** A schemaless object as Weir holds it: JsonConverter reads JSON objects into Maps. */
export type SchemalessMap = Map<string, unknown>;

export function requireSchema(schema: Schema | null, purpose: string): asserts schema is Schema {
  if (schema === null) throw new DataException(`Schema required for [${purpose}]`);
}

export function requireMap(value: unknown, purpose: string, schema: Schema | null = null): SchemalessMap {
  if (!(value instanceof Map)) {
    throw new DataException(
      `Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassName(value, schema)}`,
    );
  }
  return value as SchemalessMap;
}

export function requireMapOrNull(value: unknown, purpose: string): SchemalessMap | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireStruct(value: unknown, purpose: string, schema: Schema | null = null): Struct {
  if (!(value instanceof Struct)) {
    throw new DataException(
      `Only Struct objects supported for [${purpose}], found: ${javaClassName(value, schema)}`,
    );
  }
  return value;
}

export function requireStructOrNull(
  value: unknown,
  purpose: string,
  schema: Schema | null = null,
): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose, schema);
}

export function isSinkRecord(record: ConnectRecord): record is SinkRecord {
  return 'kafkaOffset' in record;
}

export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (!isSinkRecord(record)) {
    throw new DataException(
      `Only SinkRecord supported for [${purpose}], found: org.apache.kafka.connect.source.SourceRecord`,
    );
  }
  return record;
}
