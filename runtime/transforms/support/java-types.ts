// The Java class of the value a Connect value stands for, where Kafka's messages print one
// (`value.getClass()`, `getClass().getName()`): integers without a schema are Longs, as JsonConverter
// reads them.
import {
  isDecimal,
  Struct,
  type ConnectRecord,
  type Schema,
  type SinkRecord,
  type SourceRecord,
} from '../../api/index.ts';
import { javaToString } from '../../api/java-formats.ts';

const BY_SCHEMA_TYPE: Record<string, string> = {
  int8: 'java.lang.Byte',
  int16: 'java.lang.Short',
  int32: 'java.lang.Integer',
  int64: 'java.lang.Long',
  float32: 'java.lang.Float',
  float64: 'java.lang.Double',
};

/** Class.getName() of the Java counterpart of `value`. */
export function javaClassName(value: unknown, schema: Schema | null = null): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'bigint') return 'java.lang.Long';
  if (typeof value === 'number') {
    const byType = schema ? BY_SCHEMA_TYPE[schema.type] : undefined;
    return byType ?? (Number.isInteger(value) ? 'java.lang.Long' : 'java.lang.Double');
  }
  if (value instanceof Date) return 'java.util.Date';
  if (value instanceof Uint8Array) return '[B';
  if (value instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  if (isDecimal(value)) return 'java.math.BigDecimal';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  return 'java.util.HashMap';
}

/** Class.toString(): "class java.lang.String" ("class [B" for bytes). */
export function javaClass(value: unknown, schema: Schema | null = null): string {
  return `class ${javaClassName(value, schema)}`;
}

/** ConnectSchema.toString(): "Schema{INT64}" or "Schema{org.apache.kafka.connect.data.Timestamp:INT64}". */
export function javaSchemaString(schema: Schema | null): string {
  if (schema === null) return 'null';
  const type = schema.type.toUpperCase();
  return schema.name !== undefined ? `Schema{${schema.name}:${type}}` : `Schema{${type}}`;
}

function headersString(headers: ConnectRecord['headers']): string {
  if (headers.length === 0) return 'ConnectHeaders(headers=)';
  const each = headers.map(
    (h) =>
      `ConnectHeader(key=${h.key}, value=${javaToString(h.value, h.schema)}, schema=${javaSchemaString(h.schema)})`,
  );
  return `ConnectHeaders(headers=[${each.join(', ')}])`;
}

/** SinkRecord / SourceRecord .toString(), as Kafka's messages print a record. */
export function javaRecordString(record: ConnectRecord): string {
  const common =
    `ConnectRecord{topic='${record.topic}', kafkaPartition=${record.kafkaPartition ?? 'null'}, ` +
    `key=${javaToString(record.key, record.keySchema)}, keySchema=${javaSchemaString(record.keySchema)}, ` +
    `value=${javaToString(record.value, record.valueSchema)}, valueSchema=${javaSchemaString(record.valueSchema)}, ` +
    `timestamp=${record.timestamp ?? 'null'}, headers=${headersString(record.headers)}}`;
  if ('kafkaOffset' in record) {
    const sink = record as SinkRecord;
    return (
      `SinkRecord{kafkaOffset=${sink.kafkaOffset}, timestampType=${sink.timestampType}, ` +
      `originalTopic=${sink.originalTopic}, originalKafkaPartition=${sink.originalKafkaPartition}, ` +
      `originalKafkaOffset=${sink.originalKafkaOffset}} ${common}`
    );
  }
  const source = record as SourceRecord;
  return (
    `SourceRecord{sourcePartition=${javaToString(source.sourcePartition ?? null)}, ` +
    `sourceOffset=${javaToString(source.sourceOffset ?? null)}} ${common}`
  );
}
