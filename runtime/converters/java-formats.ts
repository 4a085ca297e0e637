// Java's text and byte forms of numbers, decimals and dates, so that converters write exactly what
// Apache Kafka Connect writes: Double.toString / Float.toString, BigDecimal.toString,
// BigInteger.toByteArray, Jackson's strict base64, and `Object.toString()` for StringConverter.
import { DataException, formatDecimal, formatDouble, formatFloat, isDecimal, Struct } from '../api/index.ts';
import type { Decimal, Schema } from '../api/index.ts';

// Moved to the SPI (transforms print numbers too); re-exported for the converters' imports.
export { formatDecimal, formatDouble, formatFloat, parseDecimal } from '../api/index.ts';

export const MILLIS_PER_DAY = 86_400_000;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

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
