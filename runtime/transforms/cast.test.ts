import { describe, expect, it } from 'vitest';
import {
  ConfigException,
  DataException,
  dateSchema,
  decimalSchema,
  SchemaBuilder,
  Schemas,
  sourceRecord,
  Struct,
  timestampSchema,
} from '../api/index.ts';
import type { Schema } from '../api/index.ts';
import { Cast } from './cast.ts';
import { KEY, VALUE } from './support/record-side.ts';

function cast(spec: string, extra: Record<string, string> = {}, side = VALUE): Cast {
  const transform = new Cast(side);
  transform.configure({ spec, ...extra });
  return transform;
}

const valueRecord = (valueSchema: Schema | null, value: unknown) =>
  sourceRecord({ topic: 't', valueSchema, value, key: 'k', keySchema: Schemas.STRING });

describe('Cast', () => {
  it('casts a whole schemaless value', () => {
    expect(cast('int8').apply(valueRecord(null, 300)).value).toBe(44);
    expect(cast('int32').apply(valueRecord(null, 12.9)).value).toBe(12);
    expect(cast('string').apply(valueRecord(null, 1.5)).value).toBe('1.5');
    expect(cast('string').apply(valueRecord(null, 42)).value).toBe('42');
    expect(cast('boolean').apply(valueRecord(null, 'TRUE')).value).toBe(true);
    expect(cast('boolean').apply(valueRecord(null, 0.5)).value).toBe(false);
    expect(cast('float64').apply(valueRecord(null, 'Infinity')).value).toBe(Infinity);
    expect(cast('int64').apply(valueRecord(null, true)).value).toBe(1);
    expect(cast('string').apply(valueRecord(null, new Uint8Array([1, 2, 3]))).value).toBe('AQID');
  });

  it('casts the key with Cast$Key, leaving the value alone', () => {
    const record = sourceRecord({ topic: 't', key: '17', value: 'v' });
    const out = cast('int16', {}, KEY).apply(record);
    expect(out.key).toBe(17);
    expect(out.value).toBe('v');
  });

  it('casts fields of a schemaless map, adding null for a missing field', () => {
    const out = cast('a:int32,b:string,missing:int8').apply(
      valueRecord(
        null,
        new Map<string, unknown>([
          ['a', '12'],
          ['b', 3],
          ['c', 'x'],
        ]),
      ),
    );
    expect(out.value).toEqual(
      new Map<string, unknown>([
        ['a', 12],
        ['b', '3'],
        ['c', 'x'],
        ['missing', null],
      ]),
    );
  });

  it('casts struct fields and their schema, keeping optionality and casting defaults', () => {
    const schema = SchemaBuilder.struct()
      .name('rec')
      .field('a', SchemaBuilder.int64().optional().defaultValue(7).build())
      .field('b', Schemas.FLOAT32)
      .field('c', Schemas.STRING)
      .build();
    const struct = new Struct(schema).put('b', 2.5).put('c', 'x');
    const out = cast('a:string,b:int32').apply(valueRecord(schema, struct));
    const outSchema = out.valueSchema as Schema;
    expect(outSchema.name).toBe('rec');
    expect(
      outSchema.fields?.map((f) => [f.name, f.schema.type, f.schema.optional, f.schema.defaultValue]),
    ).toEqual([
      ['a', 'string', true, '7'],
      ['b', 'int32', false, undefined],
      ['c', 'string', false, undefined],
    ]);
    const value = out.value as Struct;
    expect([value.get('a'), value.get('b'), value.get('c')]).toEqual(['7', 2, 'x']);
  });

  it('keeps null where replace.null.with.default is false', () => {
    const schema = SchemaBuilder.struct()
      .field('a', SchemaBuilder.int32().optional().defaultValue(5).build())
      .build();
    const out = cast('a:string', { 'replace.null.with.default': 'false' }).apply(
      valueRecord(schema, new Struct(schema)),
    );
    expect((out.value as Struct).getWithoutDefault('a')).toBeNull();
    const withDefault = cast('a:string').apply(valueRecord(schema, new Struct(schema)));
    expect((withDefault.value as Struct).getWithoutDefault('a')).toBe('5');
  });

  it('casts logical types: dates to strings and to their numbers, decimals to numbers', () => {
    const schema = SchemaBuilder.struct()
      .field('d', dateSchema().build())
      .field('ts', timestampSchema().build())
      .field('dec', decimalSchema(2).build())
      .field('ts2', timestampSchema().build())
      .build();
    const struct = new Struct(schema)
      .put('d', new Date(86_400_000 * 3))
      .put('ts', new Date(86_400_000 + 3_723_004))
      .put('dec', { unscaled: 12345n, scale: 2 })
      .put('ts2', new Date(1000));
    const out = cast('d:int32,ts:string,dec:float64,ts2:string').apply(valueRecord(schema, struct))
      .value as Struct;
    expect(out.get('d')).toBe(3);
    expect(out.get('ts')).toBe('1970-01-02T01:02:03.004Z');
    expect(out.get('dec')).toBe(123.45);
    expect(out.get('ts2')).toBe('00:00:01.000Z');
  });

  it('copies the schema basics onto a whole-value cast', () => {
    const schema = SchemaBuilder.int64().name('n').version(2).doc('d').optional().build();
    const out = cast('int32').apply(valueRecord(schema, 5));
    expect(out.valueSchema).toMatchObject({ type: 'int32', name: 'n', version: 2, doc: 'd', optional: true });
    expect(out.value).toBe(5);
  });

  it('passes null values through', () => {
    const record = valueRecord(null, null);
    expect(cast('int8').apply(record)).toBe(record);
  });

  it('refuses what Java refuses, with its messages', () => {
    expect(() => cast('int8').apply(valueRecord(null, 'abc'))).toThrow(
      new DataException('Value (abc) was out of range for requested data type'),
    );
    expect(() => cast('int8').apply(valueRecord(null, '300'))).toThrow(
      'Value (300) was out of range for requested data type',
    );
    expect(() => cast('int8').apply(valueRecord(null, new Uint8Array([1])))).toThrow(
      'Unexpected type in Cast transformation: class [B',
    );
    expect(() => cast('string').apply(valueRecord(null, [1]))).toThrow(
      'Cast transformation does not support casting from ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]',
    );
    expect(() => cast('a:int8').apply(valueRecord(null, 'x'))).toThrow(
      'Only Map objects supported in absence of schema for [cast types], found: java.lang.String',
    );
    expect(() => cast('a:int8').apply(valueRecord(Schemas.STRING, 'x'))).toThrow(
      'Only Struct objects supported for [cast types], found: java.lang.String',
    );
  });

  it('refuses bad specs with Java ConfigExceptions', () => {
    const configure = (spec: string) => () => new Cast(VALUE).configure({ spec });
    expect(configure('')).toThrow(
      new ConfigException([{ name: 'spec', message: 'Must specify at least one field to cast.' }]),
    );
    expect(configure('foo')).toThrow(
      'Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.FOO for configuration Invalid type found in casting spec: foo',
    );
    expect(configure('a:bytes')).toThrow(
      'Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]',
    );
    expect(configure('a:b:c')).toThrow(
      'Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c',
    );
    expect(configure('int8,a:int16')).toThrow(
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    );
    expect(() => new Cast(VALUE).configure({})).toThrow(
      'Missing required configuration "spec" which has no default value.',
    );
    expect(configure('a:int8')).not.toThrow();
  });

  it('describes its settings as Kafka does', () => {
    const keys = new Cast(VALUE).config().configKeys();
    expect(keys.map((k) => [k.name, k.type, k.defaultValue, k.importance])).toEqual([
      ['spec', 'LIST', undefined, 'HIGH'],
      ['replace.null.with.default', 'BOOLEAN', true, 'MEDIUM'],
    ]);
  });
});
