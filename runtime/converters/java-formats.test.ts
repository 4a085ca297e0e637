import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../api/index.ts';
import {
  bigintToBytes,
  bytesToBigint,
  decimalToInt64,
  formatDecimal,
  formatDouble,
  formatFloat,
  fromBase64,
  javaToString,
  parseDecimal,
} from './java-formats.ts';

describe('Java number formats', () => {
  it.each([
    [0, '0.0'],
    [100, '100.0'],
    [1e6, '1000000.0'],
    [9999999, '9999999.0'],
    [0.001, '0.001'],
    [0.000999, '9.99E-4'],
    [-2.5e-10, '-2.5E-10'],
    [1e23, '1.0E23'],
    [Infinity, 'Infinity'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
  ])('Double.toString(%s) is %s', (value, text) => {
    expect(formatDouble(value)).toBe(text);
  });

  it.each([
    [0.3, '0.3'],
    [1 / 3, '0.33333334'],
    [100, '100.0'],
    [-1e-10, '-1.0E-10'],
  ])('Float.toString(%s) is %s', (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });

  it.each([
    ['0.00', 0n, 2],
    ['-1.5E+3', -15n, -2],
    ['0.000001', 1n, 6],
    ['1E-7', 1n, 7],
    ['-0.0000012', -12n, 7],
  ])('BigDecimal.toString gives %s', (text, unscaled, scale) => {
    expect(formatDecimal({ unscaled, scale })).toBe(text);
    expect(parseDecimal(text)).toEqual({ unscaled, scale });
  });

  it('parses decimals exactly as new BigDecimal(text) and refuses what it refuses', () => {
    expect(parseDecimal('+7')).toEqual({ unscaled: 7n, scale: 0 });
    expect(parseDecimal('.5')).toEqual({ unscaled: 5n, scale: 1 });
    expect(parseDecimal('1.')).toEqual({ unscaled: 1n, scale: 0 });
    for (const bad of ['', '.', '-', '1-2', '0x10', '1e', 'NaN']) expect(parseDecimal(bad)).toBeUndefined();
  });

  it('finds exact int64 values of decimals', () => {
    expect(decimalToInt64({ unscaled: 100n, scale: 2 })).toBe(1n);
    expect(decimalToInt64({ unscaled: 15n, scale: 1 })).toBeUndefined();
    expect(decimalToInt64({ unscaled: 1n, scale: -5 })).toBe(100000n);
    expect(decimalToInt64({ unscaled: 1n, scale: -400 })).toBeUndefined();
    expect(decimalToInt64({ unscaled: 9223372036854775808n, scale: 0 })).toBeUndefined();
  });

  it('writes two-complement bytes as BigInteger.toByteArray', () => {
    const hex = (n: bigint) => bigintToBytes(n).toString('hex');
    expect([0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n].map(hex)).toEqual([
      '00',
      '01',
      'ff',
      '7f',
      '0080',
      '80',
      'ff7f',
      '00ff',
    ]);
    for (const n of [0n, -1n, 128n, -(2n ** 100n), 2n ** 100n - 1n])
      expect(bytesToBigint(bigintToBytes(n))).toBe(n);
    expect(() => bytesToBigint(new Uint8Array())).toThrow('Zero length BigInteger');
  });

  it('decodes only padded standard base64, as Jackson', () => {
    expect(fromBase64('AQID')).toEqual(Buffer.from([1, 2, 3]));
    expect(fromBase64('')).toEqual(Buffer.alloc(0));
    expect(() => fromBase64('AQI')).toThrow('expects padding');
    expect(() => fromBase64('AQ-_')).toThrow("Illegal character '-' (code 0x2d)");
  });
});

describe('javaToString', () => {
  it('prints values as their Java counterparts toString()', () => {
    expect(javaToString(1.0, Schemas.FLOAT64)).toBe('1.0');
    expect(javaToString(1.5, Schemas.FLOAT32)).toBe('1.5');
    expect(javaToString(42)).toBe('42');
    expect(javaToString(2 ** 60)).toBe('1152921504606846976');
    expect(javaToString(['a', 1])).toBe('[a, 1]');
    expect(javaToString(new Map([['k', 1]]))).toBe('{k=1}');
    expect(javaToString(new Date(0))).toBe('Thu Jan 01 00:00:00 UTC 1970');
    expect(javaToString({ unscaled: 150n, scale: 2 })).toBe('1.50');
    expect(javaToString(true)).toBe('true');
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    expect(javaToString(new Struct(schema).put('a', 1))).toBe('Struct{a=1}');
  });
});
