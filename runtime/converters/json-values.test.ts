// Expected texts below are what Apache Kafka 4.3.1's JsonConverter writes for the same values.
import { describe, expect, it } from 'vitest';
import { decimalSchema, Schemas } from '../api/index.ts';
import { parseJson } from './json-text.ts';
import { readJsonValue, writeJsonValue } from './json-values.ts';
import type { JsonValueOptions } from './json-values.ts';

const BASE64: JsonValueOptions = { decimalFormat: 'BASE64', replaceNullWithDefault: true };
const NUMERIC: JsonValueOptions = { decimalFormat: 'NUMERIC', replaceNullWithDefault: true };

describe('JSON values', () => {
  it('writes doubles and floats as Java prints them', () => {
    const doubles = [1.0, 1e7, 1.5e-3, 1e-4, 123456789.0, 1e21, -0.0, 1e300, 5e-324, 0.1 + 0.2, NaN];
    expect(doubles.map((d) => writeJsonValue(Schemas.FLOAT64, d, BASE64))).toEqual(
      ['1.0', '1.0E7', '0.0015', '1.0E-4', '1.23456789E8', '1.0E21', '-0.0', '1.0E300', '4.9E-324'].concat(
        '0.30000000000000004',
        '"NaN"',
      ),
    );
    const floats = [
      1.0, 0.1, 1e10, 3.14159, 1.1, 16777217, 1e-5, 3.4028234663852886e38, 1.401298464324817e-45,
    ];
    expect(floats.map((f) => writeJsonValue(Schemas.FLOAT32, f, BASE64))).toEqual([
      '1.0',
      '0.1',
      '1.0E10',
      '3.14159',
      '1.1',
      '1.6777216E7',
      '1.0E-5',
      '3.4028235E38',
      '1.4E-45',
    ]);
  });

  it.each([
    ['1.50', 150n, 2, '1.50', '"AJY="'],
    ['-0.001', -1n, 3, '-0.001', '"/w=="'],
    ['123E+5', 123n, -5, '1.23E+7', '"ew=="'],
    ['1E-10', 1n, 10, '1E-10', '"AQ=="'],
    ['0', 0n, 0, '0', '"AA=="'],
    [
      '12345678901234567890.123',
      12345678901234567890123n,
      3,
      '12345678901234567890.123',
      '"Ap1Ctk52cUJEyw=="',
    ],
  ])('writes the decimal %s as Java does', (_text, unscaled, scale, numeric, base64) => {
    const schema = decimalSchema(scale).build();
    const value = { unscaled, scale };
    expect(writeJsonValue(schema, value, NUMERIC)).toBe(numeric);
    expect(writeJsonValue(schema, value, BASE64)).toBe(base64);
  });

  it('reads numbers back to the exact value written', () => {
    for (const value of [0.1, 1e21, 5e-324, -1.25e-7, 123456789.125]) {
      expect(
        readJsonValue(Schemas.FLOAT64, parseJson(writeJsonValue(Schemas.FLOAT64, value, BASE64)), BASE64),
      ).toBe(value);
    }
    const f = Math.fround(16777217);
    expect(
      readJsonValue(Schemas.FLOAT32, parseJson(writeJsonValue(Schemas.FLOAT32, f, BASE64)), BASE64),
    ).toBe(f);
  });

  it('writes plain objects as maps when there is no schema', () => {
    expect(writeJsonValue(null, { a: 1, b: [true] }, BASE64)).toBe('{"a":1,"b":[true]}');
  });
});
