import { describe, expect, it } from 'vitest';
import {
  ConfigException,
  ConnectException,
  DataException,
  dateSchema,
  SchemaBuilder,
  Schemas,
  sourceRecord,
  Struct,
  timeSchema,
  timestampSchema,
  type Schema,
} from '../api/index.ts';
import { TimestampConverterKey, TimestampConverterValue } from './timestamp-converter.ts';

const MILLIS = Date.UTC(2024, 1, 29, 13, 45, 30, 123); // 1709214330123
const converter = (configs: Record<string, string>) => {
  const transform = new TimestampConverterValue();
  transform.configure(configs);
  return transform;
};
const convert = (configs: Record<string, string>, value: unknown, valueSchema: Schema | null = null) =>
  converter(configs).apply(sourceRecord({ topic: 't', key: 'k', value, valueSchema }));

describe('TimestampConverter, schemaless', () => {
  it('converts a whole value between unix, string, Date, Time and Timestamp', () => {
    expect(convert({ 'target.type': 'string', format: 'yyyy-MM-dd HH:mm:ss.SSS' }, MILLIS).value).toBe(
      '2024-02-29 13:45:30.123',
    );
    expect(convert({ 'target.type': 'unix', format: 'yyyy-MM-dd' }, '2024-02-29').value).toBe(
      Date.UTC(2024, 1, 29),
    );
    expect(convert({ 'target.type': 'Date' }, new Date(MILLIS)).value).toEqual(
      new Date(Date.UTC(2024, 1, 29)),
    );
    expect(convert({ 'target.type': 'Time' }, new Date(MILLIS)).value).toEqual(new Date(49530123));
    expect(convert({ 'target.type': 'Timestamp' }, MILLIS).value).toEqual(new Date(MILLIS));
    expect(convert({ 'target.type': 'Timestamp' }, MILLIS).valueSchema).toBeNull();
  });

  it('converts one field of a map, adding it as null when absent', () => {
    const out = convert(
      { 'target.type': 'unix', field: 'ts' },
      new Map<string, unknown>([
        ['ts', new Date(MILLIS)],
        ['x', 1],
      ]),
    );
    expect(out.value).toEqual(
      new Map<string, unknown>([
        ['ts', MILLIS],
        ['x', 1],
      ]),
    );
    expect(convert({ 'target.type': 'unix', field: 'ts' }, new Map([['x', 1]])).value).toEqual(
      new Map([
        ['x', 1],
        ['ts', null],
      ]),
    );
  });

  it('keeps a null value null, and the key untouched', () => {
    const out = convert({ 'target.type': 'unix', field: 'ts' }, null);
    expect(out.value).toBeNull();
    expect(out.key).toBe('k');
  });

  it('reads and writes each unix.precision, truncating as TimeUnit does', () => {
    const unix = (precision: string, value: unknown) =>
      convert({ 'target.type': 'unix', 'unix.precision': precision }, value).value;
    expect(unix('seconds', new Date(MILLIS))).toBe(1709214330);
    expect(unix('microseconds', new Date(MILLIS))).toBe(1709214330123000);
    expect(unix('nanoseconds', new Date(MILLIS))).toBe(1709214330123000000n);
    expect(unix('seconds', new Date(-1500))).toBe(-1);
    const timestamp = (precision: string, value: unknown) =>
      convert({ 'target.type': 'Timestamp', 'unix.precision': precision }, value).value;
    expect(timestamp('seconds', 1709214330)).toEqual(new Date(1709214330000));
    expect(timestamp('microseconds', 1709214330123999)).toEqual(new Date(MILLIS));
    expect(timestamp('nanoseconds', 1709214330123999999n)).toEqual(new Date(MILLIS));
  });

  it('fails with Java messages on what it cannot convert', () => {
    expect(() => convert({ 'target.type': 'unix' }, 1.5)).toThrow(
      new DataException('TimestampConverter does not support class java.lang.Double objects as timestamps'),
    );
    expect(() => convert({ 'target.type': 'unix', format: 'yyyy-MM-dd' }, 'Feb 29')).toThrow(
      new DataException('Could not parse timestamp: value (Feb 29) does not match pattern (yyyy-MM-dd)'),
    );
    expect(() => convert({ 'target.type': 'unix' }, '2024-01-01')).toThrow(
      'Cannot invoke "java.text.SimpleDateFormat.parse(String)" because "config.format" is null',
    );
    expect(() => convert({ 'target.type': 'unix', field: 'ts' }, 'text')).toThrow(
      new DataException(
        'Only Map objects supported in absence of schema for [converting timestamp formats], found: java.lang.String',
      ),
    );
  });
});

describe('TimestampConverter, with a schema', () => {
  it('converts a whole value and gives it the target schema, optional as the source', () => {
    const out = convert({ 'target.type': 'Date' }, MILLIS, Schemas.OPTIONAL_INT64);
    expect(out.valueSchema).toEqual(dateSchema().optional().build());
    expect(out.value).toEqual(new Date(Date.UTC(2024, 1, 29)));
    const time = convert(
      { 'target.type': 'string', format: 'HH:mm' },
      new Date(MILLIS),
      timeSchema().build(),
    );
    expect(time.valueSchema).toEqual(Schemas.STRING);
    expect(time.value).toBe('13:45');
  });

  const schema = SchemaBuilder.struct()
    .name('order')
    .version(2)
    .field('id', Schemas.INT32)
    .field('ts', Schemas.OPTIONAL_INT64)
    .field('at', SchemaBuilder.int64().optional().defaultValue(0).build())
    .build();

  it('converts one field of a struct, the schema otherwise copied', () => {
    const value = new Struct(schema).put('id', 7).put('ts', MILLIS).put('at', null);
    const out = convert({ 'target.type': 'Timestamp', field: 'ts' }, value, schema);
    const outSchema = out.valueSchema as Schema;
    expect(outSchema.name).toBe('order');
    expect(outSchema.version).toBe(2);
    expect(outSchema.fields?.map((f) => [f.name, f.schema])).toEqual([
      ['id', Schemas.INT32],
      ['ts', timestampSchema().optional().build()],
      ['at', schema.fields?.[2]?.schema],
    ]);
    const struct = out.value as Struct;
    expect(struct.get('ts')).toEqual(new Date(MILLIS));
    expect(struct.getWithoutDefault('at')).toBe(0);
  });

  it('keeps null fields null with replace.null.with.default=false', () => {
    const value = new Struct(schema).put('id', 7).put('ts', null).put('at', null);
    const out = convert(
      { 'target.type': 'Timestamp', field: 'at', 'replace.null.with.default': 'false' },
      value,
      schema,
    );
    expect((out.value as Struct).getWithoutDefault('at')).toBeNull();
    const replaced = convert({ 'target.type': 'Timestamp', field: 'at' }, value, schema);
    expect((replaced.value as Struct).get('at')).toEqual(new Date(0));
  });

  it('refuses a field schema that is no timestamp, naming it as Java does', () => {
    const value = new Struct(schema).put('id', 7).put('ts', null).put('at', null);
    expect(() => convert({ 'target.type': 'unix', field: 'id' }, value, schema)).toThrow(
      new ConnectException('Schema Schema{INT32} does not correspond to a known timestamp type format'),
    );
    expect(() => convert({ 'target.type': 'unix', field: 'id' }, 'x', Schemas.STRING)).toThrow(
      'Only Struct objects supported for [converting timestamp formats], found: java.lang.String',
    );
  });

  it('works on the key with $Key', () => {
    const transform = new TimestampConverterKey();
    transform.configure({ 'target.type': 'unix' });
    const out = transform.apply(
      sourceRecord({ topic: 't', key: new Date(5), keySchema: timestampSchema().build(), value: 'v' }),
    );
    expect([out.key, out.keySchema, out.value]).toEqual([5, Schemas.INT64, 'v']);
  });
});

describe('TimestampConverter settings', () => {
  const error = (configs: Record<string, string>) => {
    try {
      converter(configs);
      return 'configured';
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigException);
      return (e as Error).message;
    }
  };

  it('refuses what Kafka refuses, with its messages', () => {
    expect(error({})).toBe('Missing required configuration "target.type" which has no default value.');
    expect(error({ 'target.type': 'date' })).toBe(
      'Invalid value date for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp',
    );
    expect(error({ 'target.type': 'string' })).toBe(
      'TimestampConverter requires format option to be specified when using string timestamps',
    );
    expect(error({ 'target.type': 'string', format: 'yyyy-qq' })).toBe(
      "Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'q' for configuration " +
        'TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: yyyy-qq',
    );
    expect(error({ 'target.type': 'unix', 'unix.precision': 'minutes' })).toBe(
      'Invalid value minutes for configuration unix.precision: String must be one of: nanoseconds, microseconds, milliseconds, seconds',
    );
  });

  it('documents every setting as Kafka', () => {
    const keys = converter({ 'target.type': 'unix' }).config().configKeys();
    expect(keys.map((k) => [k.name, k.type, k.defaultValue, k.importance])).toEqual([
      ['field', 'STRING', '', 'HIGH'],
      ['target.type', 'STRING', undefined, 'HIGH'],
      ['format', 'STRING', '', 'MEDIUM'],
      ['unix.precision', 'STRING', 'milliseconds', 'LOW'],
      ['replace.null.with.default', 'BOOLEAN', true, 'MEDIUM'],
    ]);
  });
});
