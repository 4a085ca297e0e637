// Cast's conversion of one value to a primitive type, as Cast.castValueToType: the source type comes
// from the schema (or, schemaless, from the value), logical dates become their int/long form unless
// cast to a string, and strings are parsed with Java's parsers.
import { DataException, isDecimal, LogicalTypes, PRIMITIVE_SCHEMA_TYPES, Struct } from '../../api/index.ts';
import type { Schema, SchemaType } from '../../api/index.ts';
import { formatDecimal, formatDouble, formatFloat } from '../../api/java-formats.ts';
import { javaClass } from './java-types.ts';
import {
  byteValue,
  doubleValue,
  floatValue,
  int64Of,
  intValue,
  javaNumberOf,
  longValue,
  parseJavaDouble,
  parseJavaFloat,
  parseJavaInteger,
  shortValue,
} from './java-numbers.ts';
import type { JavaNumber } from './java-numbers.ts';

/** Cast casts from every primitive type, and to all but bytes. In Java's order, as its messages list them. */
export const SUPPORTED_INPUT_TYPES = PRIMITIVE_SCHEMA_TYPES;
export const SUPPORTED_OUTPUT_TYPES: readonly SchemaType[] = SUPPORTED_INPUT_TYPES.slice(0, -1);

export const typeList = (types: readonly SchemaType[]): string =>
  `[${types.map((t) => t.toUpperCase()).join(', ')}]`;

const MILLIS_PER_DAY = 86_400_000;

/** ConnectSchema.schemaType(value.getClass()) for a schemaless value; undefined for none. */
function inferredType(value: unknown): SchemaType | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'number')
    return Number.isInteger(value) && !Object.is(value, -0) ? 'int64' : 'float64';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'map';
  if (value instanceof Struct) return 'struct';
  return undefined;
}

/** Date/Time/Timestamp.fromLogical: the int or long a logical date is stored as. */
function encodeLogical(schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  const millis = value.getTime();
  switch (schema.name) {
    case LogicalTypes.DATE:
      if (millis % MILLIS_PER_DAY !== 0) {
        throw new DataException(
          'Kafka Connect Date type should not have any time fields set to non-zero values.',
        );
      }
      return millis / MILLIS_PER_DAY;
    case LogicalTypes.TIME:
      if (millis < 0 || millis > MILLIS_PER_DAY) {
        throw new DataException(
          'Kafka Connect Time type should not have any date fields set to non-zero values.',
        );
      }
      return millis;
    case LogicalTypes.TIMESTAMP:
      return millis;
  }
  return value;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Values.dateFormatFor(date).format(date), in UTC. */
function formatDate(date: Date): string {
  const millis = date.getTime();
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}Z`;
  if (millis < MILLIS_PER_DAY) return time;
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return millis % MILLIS_PER_DAY === 0 ? day : `${day}T${time}`;
}

/** value.toString() of the Java counterpart, as castToString. */
function castToString(value: unknown, schema: Schema | null): string {
  if (value instanceof Date) return formatDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isDecimal(value)) return formatDecimal(value);
  if (typeof value === 'number') {
    if (schema?.type === 'float32') return formatFloat(value);
    const number = javaNumberOf(value, schema);
    return number?.kind === 'floating' ? formatDouble(value) : String(value);
  }
  return String(value);
}

/** Converts `value` to `target`; null stays null. */
export function castValueToType(schema: Schema | null, value: unknown, target: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  const sourceType = schema ? schema.type : inferredType(value);
  if (sourceType === undefined) {
    throw new DataException(
      `Cast transformation was passed a value of type ${javaClass(value)} which is not supported by Connect's data API`,
    );
  }
  if (!SUPPORTED_INPUT_TYPES.includes(sourceType)) {
    throw new DataException(
      `Cast transformation does not support casting from ${sourceType.toUpperCase()}; supported types are ${typeList(SUPPORTED_INPUT_TYPES)}`,
    );
  }
  let current: unknown = value;
  let currentSchema = schema;
  if (schema?.name !== undefined && target !== 'string') {
    current = encodeLogical(schema, value);
    // A date encoded as its int/long is an Integer or Long from here on.
    if (current !== value) currentSchema = null;
  }
  if (target === 'string') return castToString(current, currentSchema);
  const number = javaNumberOf(current, currentSchema);
  const fail = (): never => {
    throw new DataException(`Unexpected type in Cast transformation: ${javaClass(current, currentSchema)}`);
  };
  const outOfRange = (): never => {
    throw new DataException(`Value (${String(current)}) was out of range for requested data type`);
  };
  const numeric = (
    fromNumber: (n: JavaNumber) => unknown,
    fromString: (s: string) => unknown,
    one: unknown,
    zero: unknown,
  ): unknown => {
    if (number) return fromNumber(number);
    if (typeof current === 'boolean') return current ? one : zero;
    if (typeof current === 'string') {
      const parsed = fromString(current);
      return parsed === undefined ? outOfRange() : parsed;
    }
    return fail();
  };
  const parsedInteger = (bits: 8 | 16 | 32 | 64) => (s: string) => {
    const parsed = parseJavaInteger(s, bits);
    return parsed === undefined ? undefined : bits === 64 ? int64Of(parsed) : Number(parsed);
  };
  switch (target) {
    case 'int8':
      return numeric(byteValue, parsedInteger(8), 1, 0);
    case 'int16':
      return numeric(shortValue, parsedInteger(16), 1, 0);
    case 'int32':
      return numeric(intValue, parsedInteger(32), 1, 0);
    case 'int64':
      return numeric((n) => int64Of(longValue(n)), parsedInteger(64), 1, 0);
    case 'float32':
      return numeric(floatValue, parseJavaFloat, 1, 0);
    case 'float64':
      return numeric(doubleValue, parseJavaDouble, 1, 0);
    case 'boolean':
      if (number) return longValue(number) !== 0n;
      if (typeof current === 'boolean') return current;
      if (typeof current === 'string') return current.toLowerCase() === 'true';
      return fail();
    default:
      throw new DataException(`${target.toUpperCase()} is not supported in the Cast transformation.`);
  }
}
