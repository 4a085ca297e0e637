// The two sides a $Key / $Value transform works on: the record's key or its value, each with its
// schema, and how to make the record with that side replaced (and, for HeaderFrom, new headers).
import type { ConnectRecord, Headers, Schema } from '../../api/index.ts';

export interface RecordSide {
  /** 'Key' or 'Value': the nested class name in Kafka ($Key, $Value). */
  readonly name: 'Key' | 'Value';
  schema(record: ConnectRecord): Schema | null;
  value(record: ConnectRecord): unknown;
  with<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown, headers?: Headers): R;
}

export const KEY: RecordSide = {
  name: 'Key',
  schema: (record) => record.keySchema,
  value: (record) => record.key,
  with: (record, keySchema, key, headers) =>
    headers ? { ...record, keySchema, key, headers } : { ...record, keySchema, key },
};

export const VALUE: RecordSide = {
  name: 'Value',
  schema: (record) => record.valueSchema,
  value: (record) => record.value,
  with: (record, valueSchema, value, headers) =>
    headers ? { ...record, valueSchema, value, headers } : { ...record, valueSchema, value },
};

export const SIDES = [KEY, VALUE] as const;
