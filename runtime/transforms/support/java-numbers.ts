// Java's numeric conversions on Connect values: Number.byteValue() … doubleValue() (narrowing by bits
// for integers, saturating for floating point, truncating for BigDecimal), and the String parsers
// Byte.parseByte … Long.parseLong and Double.parseDouble (new BigDecimal is the SPI's parseDecimal).
// A parser returns undefined where Java throws NumberFormatException: each caller words its error.
import { isDecimal } from '../../api/index.ts';
import type { Decimal, Schema } from '../../api/index.ts';

/** A Java Number: a boxed integer (Byte … Long), a Float or Double, or a BigDecimal. */
export type JavaNumber =
  | { readonly kind: 'integral'; readonly value: bigint }
  | { readonly kind: 'floating'; readonly value: number }
  | { readonly kind: 'decimal'; readonly value: Decimal };

/** The Java Number a Connect value is (by its schema when known), or undefined when it is none. */
export function javaNumberOf(value: unknown, schema: Schema | null): JavaNumber | undefined {
  if (isDecimal(value)) return { kind: 'decimal', value };
  if (typeof value === 'bigint') return { kind: 'integral', value };
  if (typeof value !== 'number') return undefined;
  const floating =
    schema?.type === 'float32' ||
    schema?.type === 'float64' ||
    (schema === null && (!Number.isInteger(value) || Object.is(value, -0)));
  return floating ? { kind: 'floating', value } : { kind: 'integral', value: BigInt(value) };
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** (int) d: NaN is 0, the rest truncated and clamped to int32. */
function d2i(d: number): number {
  if (Number.isNaN(d)) return 0;
  return Math.min(INT32_MAX, Math.max(INT32_MIN, Math.trunc(d)));
}

/** (long) d: NaN is 0, the rest truncated and clamped to int64. */
function d2l(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 2 ** 63) return INT64_MAX;
  if (d <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(d));
}

/** BigDecimal.toBigInteger(): the integer part, truncated toward zero. */
function decimalInteger(value: Decimal): bigint {
  if (value.scale <= 0) return value.unscaled * 10n ** BigInt(-value.scale);
  return value.unscaled / 10n ** BigInt(value.scale);
}

/** Number.intValue(). */
export function intValue(n: JavaNumber): number {
  if (n.kind === 'floating') return d2i(n.value);
  const integer = n.kind === 'integral' ? n.value : decimalInteger(n.value);
  return Number(BigInt.asIntN(32, integer));
}

/** Number.shortValue() (and (short) of an int). */
export function shortValue(n: JavaNumber): number {
  if (n.kind === 'integral') return Number(BigInt.asIntN(16, n.value));
  return Number(BigInt.asIntN(16, BigInt(intValue(n))));
}

/** Number.byteValue(). */
export function byteValue(n: JavaNumber): number {
  if (n.kind === 'integral') return Number(BigInt.asIntN(8, n.value));
  return Number(BigInt.asIntN(8, BigInt(intValue(n))));
}

/** Number.longValue(). */
export function longValue(n: JavaNumber): bigint {
  if (n.kind === 'floating') return d2l(n.value);
  return BigInt.asIntN(64, n.kind === 'integral' ? n.value : decimalInteger(n.value));
}

/** Number.doubleValue(). */
export function doubleValue(n: JavaNumber): number {
  if (n.kind === 'floating') return n.value;
  if (n.kind === 'integral') return Number(n.value);
  return Number(`${n.value.unscaled}e${-n.value.scale}`);
}

/** Number.floatValue(). */
export function floatValue(n: JavaNumber): number {
  return Math.fround(doubleValue(n));
}

/** A Java long as Weir holds an int64: a number when exact, else a bigint. */
export function int64Of(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** Integer.parseInt and friends: an optional sign and ASCII digits, within [min, max]. */
export function parseJavaInteger(text: string, bits: 8 | 16 | 32 | 64): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  const limit = 2n ** BigInt(bits - 1);
  return value < -limit || value >= limit ? undefined : value;
}

const JAVA_FLOAT = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** Double.parseDouble: surrounding whitespace ignored, NaN/Infinity, an optional f/d suffix. */
export function parseJavaDouble(text: string): number | undefined {
  // eslint-disable-next-line no-control-regex
  const trimmed = text.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
  if (!JAVA_FLOAT.test(trimmed)) return undefined;
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

/** Float.parseFloat. */
export function parseJavaFloat(text: string): number | undefined {
  const value = parseJavaDouble(text);
  return value === undefined ? undefined : Math.fround(value);
}
