// Expected strings below are what Apache Kafka 4.3.1's JsonConverter produces for the same data.
import { describe, expect, it } from 'vitest';
import {
  ConfigException,
  dateSchema,
  DataException,
  decimalSchema,
  SchemaBuilder,
  Schemas,
  Struct,
  timeSchema,
  timestampSchema,
  valuesEqual,
} from '../api/index.ts';
import type { Schema } from '../api/index.ts';
import { ENVELOPE_ERROR, JsonConverter } from './json-converter.ts';

function converter(configs: Record<string, string> = {}, isKey = false): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, isKey);
  return c;
}
const write = (c: JsonConverter, schema: Schema | null, value: unknown) => {
  const bytes = c.fromConnectData('t', [], schema, value);
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
};
const read = (c: JsonConverter, text: string) => c.toConnectData('t', [], Buffer.from(text, 'utf8'));

const inner = SchemaBuilder.struct().name('com.example.Inner').field('x', Schemas.INT32).build();
const order = SchemaBuilder.struct()
  .name('com.example.Order')
  .version(2)
  .doc('an order')
  .field('id', Schemas.INT64)
  .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
  .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
  .field('byId', SchemaBuilder.map(Schemas.INT32, Schemas.STRING).optional().build())
  .field('note', SchemaBuilder.string().optional().defaultValue('none').build())
  .field('price', decimalSchema(2).optional().build())
  .field('ratio', Schemas.FLOAT64)
  .field('f32', Schemas.FLOAT32)
  .field('day', dateSchema().build())
  .field('ts', timestampSchema().optional().build())
  .field('raw', Schemas.OPTIONAL_BYTES)
  .field('inner', inner)
  .build();
const orderValue = () =>
  new Struct(order)
    .put('id', 9007199254740993n)
    .put('tags', ['a', 'b'])
    .put('attrs', new Map([['k', 1]]))
    .put('byId', new Map([[7, 'seven']]))
    .put('price', { unscaled: -12345n, scale: 2 })
    .put('ratio', 1.0)
    .put('f32', Math.fround(0.1))
    .put('day', new Date(86400000 * 19000))
    .put('raw', new Uint8Array([1, 2, 3, 255]))
    .put('inner', new Struct(inner).put('x', -5));

const ORDER_SCHEMA_JSON =
  '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"tags"},{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false,"field":"attrs"},{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":true,"field":"byId"},{"type":"string","optional":true,"default":"none","field":"note"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"price"},{"type":"double","optional":false,"field":"ratio"},{"type":"float","optional":false,"field":"f32"},{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1,"field":"day"},{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"},{"type":"bytes","optional":true,"field":"raw"},{"type":"struct","fields":[{"type":"int32","optional":false,"field":"x"}],"optional":false,"name":"com.example.Inner","field":"inner"}],"optional":false,"name":"com.example.Order","version":2,"doc":"an order"}';
const ORDER_PAYLOAD = (price: string) =>
  `{"id":9007199254740993,"tags":["a","b"],"attrs":{"k":1},"byId":[[7,"seven"]],"note":"none","price":${price},"ratio":1.0,"f32":0.1,"day":19000,"ts":null,"raw":"AQID/w==","inner":{"x":-5}}`;

describe('JsonConverter writing', () => {
  it('writes the envelope of a nested struct exactly as Java does', () => {
    expect(write(converter(), order, orderValue())).toBe(
      `{"schema":${ORDER_SCHEMA_JSON},"payload":${ORDER_PAYLOAD('"z8c="')}}`,
    );
  });

  it('writes decimals as numbers with decimal.format=NUMERIC', () => {
    expect(write(converter({ 'decimal.format': 'numeric' }), order, orderValue())).toBe(
      `{"schema":${ORDER_SCHEMA_JSON},"payload":${ORDER_PAYLOAD('-123.45')}}`,
    );
  });

  it('writes the payload alone with schemas.enable=false', () => {
    expect(write(converter({ 'schemas.enable': 'false' }), order, orderValue())).toBe(
      ORDER_PAYLOAD('"z8c="'),
    );
  });

  it.each<[string, Schema | null, unknown, string]>([
    ['int8', Schemas.INT8, -8, '{"type":"int8","optional":false}|-8'],
    ['int16', Schemas.INT16, 300, '{"type":"int16","optional":false}|300'],
    ['int32', Schemas.INT32, 70000, '{"type":"int32","optional":false}|70000'],
    ['int64', Schemas.INT64, -(2n ** 63n), '{"type":"int64","optional":false}|-9223372036854775808'],
    ['float32', Schemas.FLOAT32, 2.5, '{"type":"float","optional":false}|2.5'],
    ['float64', Schemas.FLOAT64, -1.25e-7, '{"type":"double","optional":false}|-1.25E-7'],
    ['boolean', Schemas.BOOLEAN, true, '{"type":"boolean","optional":false}|true'],
    [
      'string',
      Schemas.STRING,
      'tab\there "q" \\ \u0001 é €',
      '{"type":"string","optional":false}|"tab\\there \\"q\\" \\\\ \\u0001 é €"',
    ],
    ['bytes', Schemas.BYTES, new Uint8Array([0, 0xfe]), '{"type":"bytes","optional":false}|"AP4="'],
    [
      'array',
      SchemaBuilder.array(Schemas.OPTIONAL_INT32).build(),
      [1, null, 3],
      '{"type":"array","items":{"type":"int32","optional":true},"optional":false}|[1,null,3]',
    ],
    [
      'map',
      SchemaBuilder.map(Schemas.STRING, Schemas.BOOLEAN).optional().doc('flags').build(),
      new Map([['on', true]]),
      '{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"boolean","optional":false},"optional":true,"doc":"flags"}|{"on":true}',
    ],
    [
      'time',
      timeSchema().build(),
      new Date(45296789),
      '{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1}|45296789',
    ],
    [
      'timestamp',
      timestampSchema().build(),
      new Date(1705322096789),
      '{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1}|1705322096789',
    ],
    [
      'default',
      SchemaBuilder.int32().defaultValue(7).build(),
      null,
      '{"type":"int32","optional":false,"default":7}|7',
    ],
    [
      'struct with parameters',
      SchemaBuilder.struct()
        .name('p')
        .parameter('a', '1')
        .parameter('b', '2')
        .field('s', SchemaBuilder.string().defaultValue('d').doc('x').build())
        .optional()
        .build(),
      null,
      '{"type":"struct","fields":[{"type":"string","optional":false,"doc":"x","default":"d","field":"s"}],"optional":true,"name":"p","parameters":{"a":"1","b":"2"}}|null',
    ],
    ['schemaless list', null, [1, 2.5, 'x', true, null], 'null|[1,2.5,"x",true,null]'],
  ])('writes %s with and without the envelope as Java does', (_name, schema, value, expected) => {
    const [schemaJson, payload] = expected.split('|');
    expect(write(converter(), schema, value)).toBe(`{"schema":${schemaJson},"payload":${payload}}`);
    expect(write(converter({ 'schemas.enable': 'false' }), schema, value)).toBe(payload);
  });

  it('writes maps with non-string keys as [key, value] pairs', () => {
    const map = new Map([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(write(converter({ 'schemas.enable': 'false' }), null, map)).toBe('[[1,"a"],[2,"b"]]');
    expect(write(converter(), null, map)).toBe('{"schema":null,"payload":[[1,"a"],[2,"b"]]}');
  });

  it('writes nothing for a null value without a schema, and null for an optional one', () => {
    expect(write(converter(), null, null)).toBeNull();
    expect(write(converter(), Schemas.OPTIONAL_STRING, null)).toBe(
      '{"schema":{"type":"string","optional":true},"payload":null}',
    );
    expect(write(converter({ 'schemas.enable': 'false' }), Schemas.OPTIONAL_STRING, null)).toBe('null');
  });

  it('keeps null with replace.null.with.default=false', () => {
    const schema = SchemaBuilder.int32().optional().defaultValue(7).build();
    expect(write(converter({ 'replace.null.with.default': 'false' }), schema, null)).toBe(
      '{"schema":{"type":"int32","optional":true,"default":7},"payload":null}',
    );
  });

  it('refuses values that do not fit the schema, with Java messages', () => {
    const c = converter();
    expect(() => write(c, Schemas.INT32, 'x')).toThrow(new DataException('Invalid type for INT32: string'));
    expect(() => write(c, Schemas.INT8, 300)).toThrow('Invalid type for INT8: number');
    expect(() => write(c, Schemas.INT32, null)).toThrow(
      'Conversion error: null value for field that is required and has no default value',
    );
    expect(() => write(c, decimalSchema(3).build(), { unscaled: 15n, scale: 1 })).toThrow(
      'Decimal value has mismatching scale for given Decimal schema. Schema has scale 3, value has scale 1.',
    );
    expect(() => write(c, dateSchema().build(), new Date(5))).toThrow(
      'Kafka Connect Date type should not have any time fields set to non-zero values.',
    );
    const a = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    const b = SchemaBuilder.struct().field('b', Schemas.INT32).build();
    expect(() => write(c, b, new Struct(a).put('a', 1))).toThrow('Mismatching schema.');
    expect(() => write(c, null, new Date(0))).toThrow(
      'Java class class java.util.Date does not have corresponding schema type.',
    );
  });
});

describe('JsonConverter reading', () => {
  it('round-trips a nested struct, keeping int64 beyond 2^53 exact', () => {
    const c = converter();
    const value = orderValue();
    const back = c.toConnectData('t', [], c.fromConnectData('t', [], order, value));
    expect(Buffer.from(c.fromConnectData('t', [], back.schema, back.value) as Uint8Array).toString()).toBe(
      write(c, order, value),
    );
    const struct = back.value as Struct;
    expect(struct.get('id')).toBe(9007199254740993n);
    expect(struct.get('note')).toBe('none');
    expect(struct.get('price')).toEqual({ unscaled: -12345n, scale: 2 });
    expect(struct.get('byId')).toEqual(new Map([[7, 'seven']]));
    expect(struct.get('raw')).toEqual(Buffer.from([1, 2, 3, 255]));
  });

  it.each<[string, Schema, unknown]>([
    ['int8', Schemas.INT8, -128],
    ['int16', Schemas.INT16, 32767],
    ['int32', Schemas.INT32, -2147483648],
    ['int64 (number)', Schemas.INT64, 42],
    ['int64 (bigint)', Schemas.INT64, 2n ** 63n - 1n],
    ['float32', Schemas.FLOAT32, Math.fround(3.14159)],
    ['float64', Schemas.FLOAT64, 0.1 + 0.2],
    ['boolean', Schemas.BOOLEAN, false],
    ['string', Schemas.STRING, 'é "x" \n'],
    ['bytes', Schemas.BYTES, Buffer.from([0, 1, 254, 255])],
    ['array', SchemaBuilder.array(Schemas.OPTIONAL_STRING).build(), ['a', null]],
    ['map', SchemaBuilder.map(Schemas.INT64, Schemas.FLOAT64).build(), new Map([[5, 1.5]])],
    ['decimal', decimalSchema(4).build(), { unscaled: -987654321n, scale: 4 }],
    ['date', dateSchema().build(), new Date(Date.UTC(2024, 0, 15))],
    ['time', timeSchema().build(), new Date(45296789)],
    ['timestamp', timestampSchema().build(), new Date(1705322096789)],
    ['optional null', Schemas.OPTIONAL_INT32, null],
  ])('round-trips %s with a schema', (_name, schema, value) => {
    for (const format of ['BASE64', 'NUMERIC']) {
      const c = converter({ 'decimal.format': format });
      const back = c.toConnectData('t', [], c.fromConnectData('t', [], schema, value));
      expect(back.schema).toEqual(schema);
      expect(valuesEqual(back.value, value)).toBe(true);
    }
  });

  it('infers schemaless values: objects as Maps, integers as int64, others as float64', () => {
    const c = converter({ 'schemas.enable': 'false' });
    expect(read(c, '{"a":{"b":[true,null]},"n":1,"f":1.0,"s":"x"}')).toEqual({
      schema: null,
      value: new Map<string, unknown>([
        ['a', new Map([['b', [true, null]]])],
        ['n', 1],
        ['f', 1],
        ['s', 'x'],
      ]),
    });
    expect(read(c, '9007199254740993').value).toBe(9007199254740993n);
    // Java reads integers as long, keeping the low 64 bits of larger ones.
    expect(read(c, '99999999999999999999').value).toBe(7766279631452241919n);
    expect(read(c, 'null')).toEqual({ schema: null, value: null });
    expect(read(c, ' ')).toEqual({ schema: null, value: null });
    expect(read(c, '1 2').value).toBe(1); // like Jackson, the first value only
  });

  it('reads Java envelopes with the leniencies Java has', () => {
    const c = converter();
    const decimal = (payload: string) =>
      read(
        c,
        `{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":${payload}}`,
      ).value;
    expect(decimal('1.5')).toEqual({ unscaled: 15n, scale: 1 }); // a number keeps its own scale
    expect(decimal('"AA=="')).toEqual({ unscaled: 0n, scale: 2 });
    expect(read(c, '{"schema":{"type":"float"},"payload":1}').value).toBe(1);
    const struct = read(
      c,
      '{"schema":{"type":"struct","fields":[{"type":"int32","field":"a"}]},"payload":{"a":1,"b":2}}',
    );
    expect((struct.value as Struct).get('a')).toBe(1);
    expect(read(c, '{"schema":{"type":"int32","optional":true,"default":5},"payload":null}').value).toBe(5);
    expect(read(c, '{"schema":null,"payload":null}')).toEqual({ schema: null, value: null });
    expect(c.toConnectData('t', [], null)).toEqual({ schema: null, value: null });
  });

  it.each([
    ['{"payload":1}', ENVELOPE_ERROR],
    ['[1]', ENVELOPE_ERROR],
    ['null', ENVELOPE_ERROR],
    ['', ENVELOPE_ERROR],
    ['{"schema":null,"payload":1,"x":2}', ENVELOPE_ERROR],
    ['{"schema":{"type":"foo"},"payload":null}', 'Unknown schema type: foo'],
    ['{"schema":{},"payload":null}', "Schema must contain 'type' field"],
    ['{"schema":{"type":"array"},"payload":null}', 'Array schema did not specify the element type'],
    ['{"schema":{"type":"int32"},"payload":null}', 'Invalid null value for required INT32 field'],
    [
      '{"schema":{"type":"struct","fields":[{"type":"int32","field":"a"}]},"payload":{}}',
      'Invalid null value for required INT32 field',
    ],
    [
      '{"schema":{"type":"struct","fields":[{"type":"int32","field":"a"}]},"payload":[]}',
      'Structs should be encoded as JSON objects, but found ARRAY',
    ],
    [
      '{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"string"}},"payload":{"a":1}}',
      'Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT',
    ],
    [
      '{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":"x"}',
      'Invalid type for Date, underlying representation should be integer but was STRING',
    ],
    [
      '{"schema":{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp"},"payload":1.5}',
      'Invalid type for Timestamp, underlying representation should be integral but was NUMBER',
    ],
    [
      '{"schema":{"type":"bytes"},"payload":"AQI"}',
      'Invalid bytes field: Unexpected end of base64-encoded String',
    ],
    ['{"schema":{"type":"bytes"},"payload":"!!"}', "Invalid bytes field: Illegal character '!' (code 0x21)"],
    // Java coerces these silently (0, 44, 1, null, false); Weir refuses them.
    [
      '{"schema":{"type":"int32"},"payload":"abc"}',
      'Expected a JSON number for INT32 schema, but found STRING',
    ],
    ['{"schema":{"type":"int8"},"payload":300}', 'Value 300 does not fit INT8 schema'],
    ['{"schema":{"type":"int32"},"payload":1.7}', 'Value 1.7 does not fit INT32 schema'],
    [
      '{"schema":{"type":"string"},"payload":5}',
      'Expected a JSON string for STRING schema, but found NUMBER',
    ],
    [
      '{"schema":{"type":"boolean"},"payload":1}',
      'Expected a JSON boolean for BOOLEAN schema, but found NUMBER',
    ],
    [
      '{"schema":{"type":"int64"},"payload":99999999999999999999}',
      'Value 99999999999999999999 does not fit INT64',
    ],
    ['{bad', 'Converting byte[] to Kafka Connect data failed due to serialization error: '],
    ['[1,]', 'Converting byte[] to Kafka Connect data failed due to serialization error: '],
  ])('refuses %s', (text, message) => {
    const attempt = () => read(converter(), text);
    expect(attempt).toThrow(DataException);
    expect(attempt).toThrow(message);
  });

  it('refuses invalid UTF-8', () => {
    expect(() => converter().toConnectData('t', [], new Uint8Array([0x22, 0xff, 0x22]))).toThrow(
      'Converting byte[] to Kafka Connect data failed due to serialization error',
    );
  });

  it('caches schemas both ways, up to schemas.cache.size', () => {
    const c = converter({ 'schemas.cache.size': '2' });
    for (const schema of [Schemas.INT8, Schemas.INT16, Schemas.INT32]) {
      c.toConnectData('t', [], c.fromConnectData('t', [], schema, 1));
    }
    expect(c.cacheSizes()).toEqual({ toJson: 2, fromJson: 2 });
    const none = converter({ 'schemas.cache.size': '0' });
    none.toConnectData('t', [], none.fromConnectData('t', [], Schemas.INT8, 1));
    expect(none.cacheSizes()).toEqual({ toJson: 0, fromJson: 0 });
  });
});

describe('JsonConverter configuration', () => {
  it('defines Java settings and validates them', () => {
    const c = new JsonConverter();
    expect(c.config().names()).toEqual([
      'converter.type',
      'schemas.enable',
      'schemas.cache.size',
      'decimal.format',
      'replace.null.with.default',
    ]);
    expect(() => c.configure({ 'decimal.format': 'foo' }, false)).toThrow(
      new ConfigException(
        'decimal.format',
        'foo',
        'String must be one of (case insensitive): NUMERIC, BASE64',
      ),
    );
    expect(() => c.configure({ 'converter.type': 'sideways' })).toThrow(ConfigException);
  });

  it('takes its type from isKey, or from converter.type as a header converter', () => {
    expect(converter({}, true).type()).toBe('key');
    expect(converter({ 'converter.type': 'header' }, false).type()).toBe('value');
    const header = new JsonConverter();
    header.configure({ 'converter.type': 'header' });
    expect(header.type()).toBe('header');
    const bytes = header.fromConnectHeader('t', 'h', Schemas.INT32, 5);
    expect(Buffer.from(bytes as Uint8Array).toString()).toBe(
      '{"schema":{"type":"int32","optional":false},"payload":5}',
    );
    expect(header.toConnectHeader('t', 'h', bytes)).toEqual({ schema: Schemas.INT32, value: 5 });
  });
});
