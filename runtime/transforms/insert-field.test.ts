import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import type { Schema, SinkRecord } from '../api/index.ts';
import { InsertField } from './insert-field.ts';
import { KEY, VALUE } from './support/record-side.ts';

function insert(configs: Record<string, string>, side = VALUE): InsertField {
  const transform = new InsertField(side);
  transform.configure(configs);
  return transform;
}

const ALL = {
  'topic.field': 'topic!',
  'partition.field': 'partition',
  'offset.field': 'offset?',
  'timestamp.field': 'ts',
  'static.field': 'instance',
  'static.value': 'weir',
};

function sinkRecord(valueSchema: Schema | null, value: unknown): SinkRecord {
  return {
    topic: 'orders',
    kafkaPartition: 2,
    keySchema: null,
    key: null,
    valueSchema,
    value,
    timestamp: 1_000,
    headers: [],
    kafkaOffset: 42n,
    timestampType: 'CreateTime',
    originalTopic: 'orders',
    originalKafkaPartition: 2,
    originalKafkaOffset: 42n,
  };
}

describe('InsertField', () => {
  it('adds topic, partition, offset, timestamp and a static value to a schemaless map', () => {
    const out = insert(ALL).apply(sinkRecord(null, new Map([['a', 1]])));
    expect(out.value).toEqual(
      new Map<string, unknown>([
        ['a', 1],
        ['topic', 'orders'],
        ['partition', 2],
        ['offset', 42],
        ['ts', 1000],
        ['instance', 'weir'],
      ]),
    );
  });

  it('adds fields to a struct and its schema, required with ! and optional otherwise', () => {
    const schema = SchemaBuilder.struct()
      .name('v')
      .field('a', SchemaBuilder.int32().optional().defaultValue(3).build())
      .build();
    const out = insert(ALL).apply(sinkRecord(schema, new Struct(schema)));
    const outSchema = out.valueSchema as Schema;
    expect(outSchema.name).toBe('v');
    expect(outSchema.fields?.map((f) => [f.name, f.schema.type, f.schema.optional, f.schema.name])).toEqual([
      ['a', 'int32', true, undefined],
      ['topic', 'string', false, undefined],
      ['partition', 'int32', true, undefined],
      ['offset', 'int64', true, undefined],
      ['ts', 'int64', true, 'org.apache.kafka.connect.data.Timestamp'],
      ['instance', 'string', true, undefined],
    ]);
    const value = out.value as Struct;
    expect(value.getWithoutDefault('a')).toBe(3);
    expect(value.get('ts')).toEqual(new Date(1000));
    expect(value.get('offset')).toBe(42);
    const keepNull = insert({ ...ALL, 'replace.null.with.default': 'false' }).apply(
      sinkRecord(schema, new Struct(schema)),
    );
    expect((keepNull.value as Struct).getWithoutDefault('a')).toBeNull();
  });

  it('leaves out a partition or timestamp the record does not have', () => {
    const record = sourceRecord({ topic: 't', key: new Map(), value: 'v' });
    const out = insert({ 'partition.field': 'p', 'timestamp.field': 'ts', 'topic.field': 'tp' }, KEY).apply(
      record,
    );
    expect(out.key).toEqual(new Map([['tp', 't']]));
    expect(out.value).toBe('v');
  });

  it('passes null through; needs a sink record for the offset and a map or struct otherwise', () => {
    const tombstone = sourceRecord({ topic: 't' });
    expect(insert(ALL).apply(tombstone)).toBe(tombstone);
    expect(() =>
      insert({ 'offset.field': 'o' }).apply(sourceRecord({ topic: 't', value: new Map() })),
    ).toThrow(
      'Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord',
    );
    expect(() => insert({ 'topic.field': 'o' }).apply(sourceRecord({ topic: 't', value: 3 }))).toThrow(
      'Only Map objects supported in absence of schema for [field insertion], found: java.lang.Long',
    );
    expect(() =>
      insert({ 'topic.field': 'o' }).apply(sourceRecord({ topic: 't', valueSchema: Schemas.INT8, value: 3 })),
    ).toThrow('Only Struct objects supported for [field insertion], found: java.lang.Byte');
  });

  it('refuses configs that insert nothing or a static field without a value', () => {
    expect(() => insert({})).toThrow('No field insertion configured');
    expect(() => insert({ 'static.field': 's' })).toThrow(
      'Invalid value null for configuration static.value: No value specified for static field: s',
    );
  });

  it('defines Kafka settings in order', () => {
    expect(new InsertField(VALUE).config().names()).toEqual([
      'topic.field',
      'partition.field',
      'offset.field',
      'timestamp.field',
      'static.field',
      'static.value',
      'replace.null.with.default',
    ]);
  });
});
