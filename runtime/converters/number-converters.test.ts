// Expected bytes below are what Kafka's IntegerSerializer, LongSerializer, … write.
import { describe, expect, it } from 'vitest';
import { ConfigException, DataException, Schemas } from '../api/index.ts';
import type { Converter, Schema } from '../api/index.ts';
import {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from './number-converters.ts';

function configured<C extends Converter>(c: C): C {
  c.configure({}, false);
  return c;
}
const hex = (bytes: Uint8Array | null) => Buffer.from(bytes as Uint8Array).toString('hex');

describe('number converters', () => {
  it.each<[string, () => Converter, unknown, string, Schema]>([
    ['integer', () => new IntegerConverter(), -2, 'fffffffe', Schemas.OPTIONAL_INT32],
    ['short', () => new ShortConverter(), 258, '0102', Schemas.OPTIONAL_INT16],
    ['long', () => new LongConverter(), 2n ** 63n - 1n, '7fffffffffffffff', Schemas.OPTIONAL_INT64],
    ['long (number)', () => new LongConverter(), -1, 'ffffffffffffffff', Schemas.OPTIONAL_INT64],
    ['float', () => new FloatConverter(), Math.fround(0.1), '3dcccccd', Schemas.OPTIONAL_FLOAT32],
    ['double', () => new DoubleConverter(), 1.5, '3ff8000000000000', Schemas.OPTIONAL_FLOAT64],
    ['boolean', () => new BooleanConverter(), true, '01', Schemas.OPTIONAL_BOOLEAN],
  ])('writes %s big-endian and reads it back', (_name, make, value, bytes, schema) => {
    const c = configured(make());
    const written = c.fromConnectData('t', [], null, value);
    expect(hex(written)).toBe(bytes);
    expect(c.toConnectData('t', [], written)).toEqual({ schema, value });
    expect(c.fromConnectData('t', [], null, null)).toBeNull();
    expect(c.toConnectData('t', [], null)).toEqual({ schema, value: null });
  });

  it('reads int64 as a number when exact, else a bigint', () => {
    const c = configured(new LongConverter());
    expect(c.toConnectData('t', [], Buffer.from('001fffffffffffff', 'hex')).value).toBe(2 ** 53 - 1);
    expect(c.toConnectData('t', [], Buffer.from('0020000000000001', 'hex')).value).toBe(2n ** 53n + 1n);
    expect(hex(c.fromConnectData('t', [], null, 2 ** 62))).toBe('4000000000000000');
  });

  it('refuses values of another type, with Java messages', () => {
    expect(() => configured(new IntegerConverter()).fromConnectData('t', [], null, 'x')).toThrow(
      new DataException('Failed to serialize to integer (was string): '),
    );
    expect(() => configured(new IntegerConverter()).fromConnectData('t', [], null, 2 ** 31)).toThrow(
      DataException,
    );
    expect(() => configured(new ShortConverter()).fromConnectData('t', [], null, 1.5)).toThrow(DataException);
    expect(() => configured(new LongConverter()).fromConnectData('t', [], null, 2n ** 63n)).toThrow(
      DataException,
    );
    expect(() => configured(new DoubleConverter()).fromConnectData('t', [], null, 1n)).toThrow(
      'Failed to serialize to double (was bigint): ',
    );
  });

  it('refuses data of the wrong size, with Kafka deserializer messages', () => {
    expect(() => configured(new IntegerConverter()).toConnectData('t', [], new Uint8Array(3))).toThrow(
      'Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4',
    );
    expect(() => configured(new DoubleConverter()).toConnectData('t', [], new Uint8Array(4))).toThrow(
      'Failed to deserialize double: Size of data received by Deserializer is not 8',
    );
  });

  it('checks the schema and byte of booleans', () => {
    const c = configured(new BooleanConverter());
    expect(hex(c.fromConnectData('t', [], Schemas.BOOLEAN, false))).toBe('00');
    expect(() => c.fromConnectData('t', [], Schemas.INT32, true)).toThrow(
      'Invalid schema type for BooleanConverter: INT32',
    );
    expect(() => c.fromConnectData('t', [], null, 1)).toThrow(
      'BooleanConverter is not compatible with objects of type number',
    );
    expect(() => c.toConnectData('t', [], new Uint8Array([2]))).toThrow(
      'Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: 2',
    );
    expect(() => c.toConnectData('t', [], new Uint8Array(2))).toThrow(
      'Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1',
    );
  });

  it('validates converter.type and serves as a header converter', () => {
    const c = new IntegerConverter();
    expect(() => c.configure({ 'converter.type': 'other' })).toThrow(ConfigException);
    c.configure({ 'converter.type': 'header' });
    expect(c.toConnectHeader('t', 'h', c.fromConnectHeader('t', 'h', null, 5)).value).toBe(5);
  });
});
