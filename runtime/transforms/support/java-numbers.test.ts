import { describe, expect, it } from 'vitest';
import { Schemas } from '../../api/index.ts';
import {
  byteValue,
  doubleValue,
  floatValue,
  intValue,
  javaNumberOf,
  longValue,
  parseJavaDouble,
  parseJavaInteger,
  shortValue,
} from './java-numbers.ts';

const integral = (value: bigint) => ({ kind: 'integral', value }) as const;
const floating = (value: number) => ({ kind: 'floating', value }) as const;
const decimal = (unscaled: bigint, scale: number) =>
  ({ kind: 'decimal', value: { unscaled, scale } }) as const;

describe('Java number conversions', () => {
  it('narrows integers by their low bits', () => {
    expect(byteValue(integral(300n))).toBe(44);
    expect(shortValue(integral(-70000n))).toBe(-4464);
    expect(intValue(integral(4294967297n))).toBe(1);
    expect(longValue(integral(2n ** 64n + 5n))).toBe(5n);
  });

  it('saturates floating point to int and long, then narrows by bits', () => {
    expect(intValue(floating(1e20))).toBe(2147483647);
    expect(intValue(floating(-70000.9))).toBe(-70000);
    expect(shortValue(floating(-70000.9))).toBe(-4464);
    expect(byteValue(floating(1e20))).toBe(-1);
    expect(intValue(floating(NaN))).toBe(0);
    expect(longValue(floating(-1e30))).toBe(-(2n ** 63n));
  });

  it('truncates BigDecimals and converts them exactly to floating point', () => {
    expect(longValue(decimal(30075n, 2))).toBe(300n);
    expect(longValue(decimal(-15n, 1))).toBe(-1n);
    expect(intValue(decimal(15n, -1))).toBe(150);
    expect(doubleValue(decimal(12345n, 2))).toBe(123.45);
    expect(floatValue(decimal(1n, 1))).toBe(Math.fround(0.1));
  });

  it('reads a value as the Java number its schema (or, schemaless, its form) makes it', () => {
    expect(javaNumberOf(3, Schemas.FLOAT64)).toEqual(floating(3));
    expect(javaNumberOf(3, null)).toEqual(integral(3n));
    expect(javaNumberOf(1.5, null)).toEqual(floating(1.5));
    expect(javaNumberOf('3', null)).toBeUndefined();
  });

  it('parses strings as Java does', () => {
    expect(parseJavaInteger('+12', 8)).toBe(12n);
    expect(parseJavaInteger('128', 8)).toBeUndefined();
    expect(parseJavaInteger(' 12', 32)).toBeUndefined();
    expect(parseJavaInteger('1.0', 32)).toBeUndefined();
    expect(parseJavaDouble(' 1.5e3 ')).toBe(1500);
    expect(parseJavaDouble('2.5f')).toBe(2.5);
    expect(parseJavaDouble('-Infinity')).toBe(-Infinity);
    expect(parseJavaDouble('NaN')).toBeNaN();
    expect(parseJavaDouble('1,5')).toBeUndefined();
  });
});
