// The key or the value of a record: Kafka's $Key and $Value transform variants differ only in which
// side they read (operatingSchema, operatingValue) and write back (newRecord).
import { withChanges } from '../../api/index.ts';
import type { ConnectRecord, Headers, Schema } from '../../api/index.ts';

export interface RecordSide {
  /** "Key" or "Value", as the nested Java class is named. */
  readonly name: 'Key' | 'Value';
  schema(record: ConnectRecord): Schema | null;
  value(record: ConnectRecord): unknown;
  /** A copy of `record` with this side replaced (and, when given, new headers). */
  with<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown, headers?: Headers): R;
}

export const KEY: RecordSide = {
  name: 'Key',
  schema: (record) => record.keySchema,
  value: (record) => record.key,
  with: (record, keySchema, key, headers) =>
    withChanges(record, headers ? { keySchema, key, headers } : { keySchema, key }),
};

export const VALUE: RecordSide = {
  name: 'Value',
  schema: (record) => record.valueSchema,
  value: (record) => record.value,
  with: (record, valueSchema, value, headers) =>
    withChanges(record, headers ? { valueSchema, value, headers } : { valueSchema, value }),
};

export const SIDES = [KEY, VALUE] as const;
