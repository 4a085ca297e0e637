// Expected results below are what Apache Kafka 4.3.1's SimpleHeaderConverter gives (JVM in UTC).
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../api/index.ts';
import type { Schema, SchemaAndValue } from '../api/index.ts';
import { SimpleHeaderConverter } from './simple-header-converter.ts';

const converter = new SimpleHeaderConverter();
converter.configure({});
const parse = (text: string) => converter.toConnectHeader('t', 'h', Buffer.from(text, 'utf8'));
const format = (value: unknown, schema: Schema | null = null) => {
  const bytes = converter.fromConnectHeader('t', 'h', schema, value);
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
};

/** A compact rendering of schema and value, as the Java probe printed them. */
function show(result: SchemaAndValue): string {
  const schema = (s: Schema | null | undefined): string => {
    if (!s) return 'null';
    const name = s.name ? `<${s.name.replace('org.apache.kafka.connect.data.', '')}>` : '';
    const base = s.type.toUpperCase() + name;
    if (s.type === 'array') return `${base}(${schema(s.valueSchema)})`;
    if (s.type === 'map') return `${base}(${schema(s.keySchema)},${schema(s.valueSchema)})`;
    return base;
  };
  const value = (v: unknown): string => {
    if (v instanceof Date) return `Date(${v.getTime()})`;
    if (Array.isArray(v)) return `[${v.map(value).join(';')}]`;
    if (v instanceof Map) return `{${[...v].map(([k, x]) => `${value(k)}=${value(x)}`).join(';')}}`;
    if (typeof v === 'object' && v !== null)
      return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    return String(v);
  };
  return `${schema(result.schema)} ${value(result.value)}`;
}

describe('SimpleHeaderConverter reading (Values.parseString)', () => {
  it.each([
    ['', 'STRING '],
    [' ', 'STRING  '],
    ['hello', 'STRING hello'],
    ['42', 'INT8 42'],
    ['-128', 'INT8 -128'],
    ['128', 'INT16 128'],
    ['40000', 'INT32 40000'],
    ['3000000000', 'INT64 3000000000'],
    ['9223372036854775808', 'BYTES<Decimal> {"unscaled":"9223372036854775808n","scale":0}'],
    ['1.5', 'FLOAT32 1.5'],
    ['1.0', 'INT8 1'],
    ['1e5', 'INT32 100000'],
    ['3.14159', `FLOAT32 ${Math.fround(3.14159)}`],
    ['1e39', 'FLOAT64 1e+39'],
    ['1e400', 'BYTES<Decimal> {"unscaled":"1n","scale":-400}'],
    ['+7', 'INT8 7'],
    ['true', 'BOOLEAN true'],
    ['false', 'BOOLEAN false'],
    ['null', 'null null'],
    ['TRUE', 'STRING TRUE'],
    ['true}', 'STRING true}'],
    ['[1,2,3]', 'ARRAY(INT8) [1;2;3]'],
    ['[1,2.5]', 'ARRAY(FLOAT32) [1;2.5]'],
    ['[1,null]', 'STRING [1,null]'],
    ['["a","b"]', 'ARRAY(STRING) [a;b]'],
    ['{"a":1,"b":2}', 'MAP(STRING,INT8) {a=1;b=2}'],
    ['{a:1}', 'STRING {a:1}'],
    ['{"a":"x","b":null}', 'STRING {"a":"x","b":null}'],
    ['[[1],[2,3]]', 'ARRAY(ARRAY(INT8)) [[1];[2;3]]'],
    ['2024-01-15', 'INT32<Date> Date(1705276800000)'],
    ['12:34:56.789Z', 'INT32<Time> Date(45296789)'],
    ['2024-01-15T12:34:56.789Z', 'INT64<Timestamp> Date(1705322096789)'],
    ['42,43', 'INT8 42'],
    ['a,b', 'STRING a,b'],
    ['[1,2', 'STRING [1,2'],
    ['"quoted"', 'STRING "quoted"'],
    ['["a\\"b"]', 'ARRAY(STRING) [a\\"b]'],
    ['  7  ', 'INT8 7'],
    ['-', 'STRING -'],
    ['1-2', 'STRING 1-2'],
    ['0x10', 'STRING 0x10'],
    ['{"a":1,}', 'MAP(STRING,INT8) {a=1}'],
    ['[1,,2]', 'STRING [1,,2]'],
    ['[true,false]', 'ARRAY(BOOLEAN) [true;false]'],
    ['[1, 2]', 'ARRAY(INT8) [1;2]'],
    ['{"k": [1,2]}', 'MAP(STRING,ARRAY(INT8)) {k=[1;2]}'],
    ['2024-13-45', 'INT32<Date> Date(1739491200000)'],
    ['1234567890', 'INT32 1234567890'],
    ['00:00:00.000Z', 'INT32<Time> Date(0)'],
    ['["2024-01-15"]', 'ARRAY(INT32<Date>) [Date(1705276800000)]'],
    ['["2024-01-15", 1.0]', 'ARRAY(INT32<Date>) [Date(1705276800000);Date(86400000)]'],
    ['["12:34:56.789Z" ,2147483648]', 'STRING ["12:34:56.789Z" ,2147483648]'],
    ['[-1, 23:59:59.999Z]', 'STRING [-1, 23:59:59.999Z]'],
    ['{"k":null,"k" : 9223372036854775807}', 'MAP(STRING,INT64) {k=9223372036854775807}'],
    [
      '[-2.25, {"k0" : 2024-01-15T00:00:00.000Z,"k":-2.25}]',
      'STRING [-2.25, {"k0" : 2024-01-15T00:00:00.000Z,"k":-2.25}]',
    ],
    ['[[1],[2.5]]', 'ARRAY(ARRAY(FLOAT32)) [[1];[2.5]]'],
    ['12\\:34\\:56.789Z', 'INT32<Time> Date(45296789)'],
    // Java gives these an array or map schema with a null element schema; Weir gives no schema.
    ['[]', 'null []'],
    ['[1,"a"]', 'null [1;a]'],
    ['{}', 'null {}'],
    ['[-1 ,[]]', 'null [-1;[]]'],
    ['[[],[1]]', 'ARRAY(ARRAY(INT8)) [[];[1]]'],
    ['[[1],[]]', 'null [[1];[]]'],
    ['{"a":null}', 'null {a=null}'],
  ])('reads %j as Java does', (text, expected) => {
    expect(show(parse(text))).toBe(expected);
  });

  it('reads int64 beyond 2^53 exactly', () => {
    expect(parse('9007199254740993')).toEqual({ schema: Schemas.INT64, value: 9007199254740993n });
  });

  it('reads null as no schema and no value', () => {
    expect(converter.toConnectHeader('t', 'h', null)).toEqual({ schema: null, value: null });
  });
});

describe('SimpleHeaderConverter writing (Values.convertToString)', () => {
  it.each<[string, unknown, Schema | null, string | null]>([
    ['a string', 'str', null, 'str'],
    ['an int', 42, Schemas.INT32, '42'],
    ['a double', 1.5, Schemas.FLOAT64, '1.5'],
    ['a whole double', 1.0, Schemas.FLOAT64, '1.0'],
    ['a float', 1.5, Schemas.FLOAT32, '1.5'],
    ['a large double', 1e10, Schemas.FLOAT64, '1.0E10'],
    ['a boolean', true, null, 'true'],
    ['null', null, null, null],
    ['a list', [1, 'a"b\\c', null], null, '[1,"a\\"b\\\\c",null]'],
    ['a map', new Map([['k', 2]]), null, '{"k":2}'],
    ['bytes', new Uint8Array([1, 2, 3]), null, 'AQID'],
    ['a time', new Date(0), null, '00:00:00.000Z'],
    ['a date', new Date(86400000 * 3), null, '1970-01-04'],
    ['a timestamp', new Date(86400000 * 3 + 1234), null, '1970-01-04T00:00:01.234Z'],
    ['a time of day', new Date(45296789), null, '12:34:56.789Z'],
    ['a decimal', { unscaled: 150n, scale: 2 }, null, '1.50'],
    ['a long', 9223372036854775807n, null, '9223372036854775807'],
    ['nested', [[1, 2], new Map([['x', 'y']])], null, '[[1,2],{"x":"y"}]'],
  ])('writes %s as Java does', (_name, value, schema, expected) => {
    expect(format(value, schema)).toBe(expected);
  });

  it('writes a struct with its fields, defaults applied', () => {
    const schema = SchemaBuilder.struct()
      .field('a', Schemas.INT32)
      .field('b', Schemas.OPTIONAL_STRING)
      .field('c', SchemaBuilder.string().optional().defaultValue('d').build())
      .build();
    expect(format(new Struct(schema).put('a', 1).put('b', 'x'), schema)).toBe('{"a":1,"b":"x","c":"d"}');
  });

  it('round-trips what it writes', () => {
    for (const value of [
      42,
      true,
      'text',
      [1, 2, 3],
      new Map([['k', 'v']]),
      new Date(Date.UTC(2024, 0, 15)),
    ]) {
      const bytes = converter.fromConnectHeader('t', 'h', null, value);
      expect(converter.toConnectHeader('t', 'h', bytes).value).toEqual(value);
    }
  });
});
