// Java's text and byte forms of numbers, decimals and dates, so that converters write exactly what
// Apache Kafka Connect writes: Double.toString / Float.toString, BigDecimal.toString,
// BigInteger.toByteArray, Jackson's strict base64, and `Object.toString()` for StringConverter.
import { DataException } from './errors.ts';
import { isDecimal, Struct } from './schema.ts';
import type { Decimal, Schema } from './schema.ts';

export const MILLIS_PER_DAY = 86_400_000;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** Double.toString: the shortest digits that round-trip, plain in [1e-3, 1e7), else d.dddE±n. */
export function formatDouble(x: number): string {
  if (!Number.isFinite(x) || x === 0) return special(x);
  return javaNotation(pickDigits(x, x.toExponential()));
}

/** Float.toString for a value held as a JS number (rounded to float32 first). */
export function formatFloat(value: number): string {
  const x = Math.fround(value);
  if (!Number.isFinite(x) || x === 0) return special(x);
  for (let precision = 0; precision < 9; precision++) {
    const candidate = x.toExponential(precision);
    if (Math.fround(Number(candidate)) === x) return javaNotation(pickDigits(x, candidate));
  }
  return javaNotation(x.toExponential(8));
}

function special(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return Object.is(x, -0) ? '-0.0' : '0.0';
}

/** Java never prints a single significant digit: it picks the closest two-digit decimal instead. */
function pickDigits(x: number, shortest: string): string {
  return /^-?\de/.test(shortest) ? x.toExponential(1) : shortest;
}

/** Renders JS exponential notation ("-1.25e+7") the way Java's Double.toString lays it out. */
function javaNotation(exponential: string): string {
  const negative = exponential.startsWith('-');
  const [mantissa = '', exp = '0'] = (negative ? exponential.slice(1) : exponential).split('e');
  const exponent = Number(exp);
  const digits = mantissa.replace('.', '').replace(/(?<=.)0+$/, '');
  let text: string;
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      text = `${whole}.${digits.slice(exponent + 1) || '0'}`;
    } else {
      text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
    }
  } else {
    text = `${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
  }
  return negative ? `-${text}` : text;
}

/** BigDecimal.toString: plain when the scale is non-negative and the exponent ≥ -6, else scientific. */
export function formatDecimal(value: Decimal): string {
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString();
  const adjusted = -value.scale + (digits.length - 1);
  let text: string;
  if (value.scale >= 0 && adjusted >= -6) {
    if (value.scale === 0) text = digits;
    else if (digits.length > value.scale)
      text = `${digits.slice(0, digits.length - value.scale)}.${digits.slice(digits.length - value.scale)}`;
    else text = `0.${'0'.repeat(value.scale - digits.length)}${digits}`;
  } else {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    text = `${digits[0]}${fraction}E${adjusted > 0 ? '+' : ''}${adjusted}`;
  }
  return negative ? `-${text}` : text;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** new BigDecimal(text): the exact unscaled value and scale, or undefined when it is not a number. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const scale = fraction.length - Number(exponent);
  if (!Number.isSafeInteger(scale) || Math.abs(scale) > 2_147_483_647) return undefined;
  const unscaled = BigInt(`${whole}${fraction}` || '0');
  return { unscaled: sign === '-' ? -unscaled : unscaled, scale };
}

/** The decimal's exact integer value, or undefined when it has a fraction or lies beyond int64. */
export function decimalToInt64(value: Decimal): bigint | undefined {
  if (value.unscaled === 0n) return 0n;
  const digits = (value.unscaled < 0n ? -value.unscaled : value.unscaled).toString();
  const trailingZeros = digits.length - digits.replace(/0+$/, '').length;
  const scale = value.scale - trailingZeros;
  if (scale > 0) return undefined;
  if (digits.length - trailingZeros - scale > 19) return undefined;
  const integer = (value.unscaled / 10n ** BigInt(trailingZeros)) * 10n ** BigInt(-scale);
  return integer < INT64_MIN || integer > INT64_MAX ? undefined : integer;
}

/** BigInteger.toByteArray: minimal big-endian two's complement. */
export function bigintToBytes(value: bigint): Buffer {
  const magnitude = value < 0n ? ~value : value;
  const bitLength = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const length = Math.floor(bitLength / 8) + 1;
  return Buffer.from(
    BigInt.asUintN(length * 8, value)
      .toString(16)
      .padStart(length * 2, '0'),
    'hex',
  );
}

/** new BigInteger(bytes): big-endian two's complement; Java refuses an empty array. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DataException('Zero length BigInteger');
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return BigInt.asIntN(bytes.length * 8, BigInt(`0x${hex}`));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Jackson's default base64 variant: standard alphabet, padding required, nothing else allowed. */
export function fromBase64(text: string): Buffer {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16);
    throw new DataException(`Illegal character '${bad[0]}' (code 0x${code}) in base64 content`);
  }
  if (text.length % 4 !== 0 || /=[^=]/.test(text)) {
    throw new DataException(
      "Unexpected end of base64-encoded String: base64 variant 'MIME-NO-LINEFEEDS' expects padding " +
        "(one or more '=' characters) at the end",
    );
  }
  return Buffer.from(text, 'base64');
}

/** The scale a Decimal schema declares, with Java's errors when it is missing or not a number. */
export function decimalScale(schema: Schema): number {
  const scale = schema.parameters?.['scale'];
  if (scale === undefined) throw new DataException('Invalid Decimal schema: scale parameter not found.');
  if (!/^[+-]?\d+$/.test(scale) || Math.abs(Number(scale)) > 2_147_483_647) {
    throw new DataException(`Invalid scale parameter found in Decimal schema: For input string: "${scale}"`);
  }
  return Number(scale);
}

/** Int64 as a JS value: a number when it is exactly representable, else a bigint. */
export function int64Value(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** The exact decimal digits of an integral number or bigint. */
export function integerText(value: number | bigint): string {
  return typeof value === 'bigint' || Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

/** A short description of a JS value's type, where Java's messages name a class. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'Map';
  if (value instanceof Struct) return 'Struct';
  if (value instanceof Date) return 'Date';
  if (isDecimal(value)) return 'Decimal';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date.toString in UTC: "Thu Jan 01 00:00:00 UTC 1970". */
function formatJavaDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/**
 * What Java's `value.toString()` prints for the Java counterpart of a Connect value: floats per
 * the schema (Double.toString for fractional numbers without one), lists as "[a, b]", maps as
 * "{k=v}", decimals as BigDecimal, dates as java.util.Date in UTC.
 */
export function javaToString(value: unknown, schema: Schema | null = null): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (schema?.type === 'float32') return formatFloat(value);
    if (schema?.type === 'float64' || !Number.isInteger(value) || Object.is(value, -0))
      return formatDouble(value);
    return integerText(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return formatJavaDate(value);
  if (isDecimal(value)) return formatDecimal(value);
  if (value instanceof Struct) return value.toString();
  if (value instanceof Uint8Array) return toBase64(value);
  if (Array.isArray(value))
    return `[${value.map((v) => javaToString(v, schema?.valueSchema ?? null)).join(', ')}]`;
  const entries = value instanceof Map ? [...value] : isPlainObject(value) ? Object.entries(value) : null;
  if (entries) {
    const text = entries.map(
      ([k, v]) =>
        `${javaToString(k, schema?.keySchema ?? null)}=${javaToString(v, schema?.valueSchema ?? null)}`,
    );
    return `{${text.join(', ')}}`;
  }
  return String(value);
}
