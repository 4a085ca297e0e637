// Values.convertToString and Values.parseString from org.apache.kafka.connect.data: the text form of
// header values that SimpleHeaderConverter writes, and the inference that reads it back — "42" is an
// int8, "1.5" a float32, "true" a boolean, `[1,2]` an array, `{"a":1}` a map, "2024-01-15" a Date,
// anything else a string.
//
// Where Weir differs: a list or map whose elements share no common schema (`[1,"a"]`, `[]`, `{}`,
// a map whose values are all null, or a list holding such lists) comes back with a null schema, where
// Java returns an array or map schema whose element schema is null (parseStringWithPartialSchemas
// keeps those, for values that go straight to a converter, as InsertHeader's). Dates are read and
// written in UTC (Java uses the JVM's time zone, UTC on a usual worker).
import { DataException } from './errors.ts';
import {
  dateSchema,
  decimalSchema,
  isDecimal,
  LogicalTypes,
  Schemas,
  SchemaBuilder,
  Struct,
  timeSchema,
  timestampSchema,
} from './schema.ts';
import type { Schema, SchemaAndValue, SchemaType } from './schema.ts';
import {
  decimalToInt64,
  formatDecimal,
  formatDouble,
  formatFloat,
  int64Value,
  integerText,
  isPlainObject,
  MILLIS_PER_DAY,
  parseDecimal,
  toBase64,
} from './java-formats.ts';
import { isBlank, javaTrim, Tokenizer } from './values-tokenizer.ts';

// ---- convertToString ---------------------------------------------------------------------------

/** The string form of a value (null for null); nested strings are quoted, bytes base64. */
export function convertToString(schema: Schema | null, value: unknown): string | null {
  return value === null || value === undefined ? null : append(schema, value, false);
}

function append(schema: Schema | null, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return embedded ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value;
  if (typeof value === 'number') {
    if (schema?.type === 'float32') return formatFloat(value);
    if (schema?.type === 'float64' || !Number.isInteger(value)) return formatDouble(value);
    return integerText(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return embedded ? `"${toBase64(value)}"` : toBase64(value);
  if (value instanceof Date) return formatDate(value);
  if (isDecimal(value)) return formatDecimal(value);
  if (Array.isArray(value))
    return `[${value.map((v) => append(schema?.valueSchema ?? null, v, true)).join(',')}]`;
  if (value instanceof Struct) {
    const fields = (value.schema.fields ?? []).map(
      (f) => `${append(null, f.name, true)}:${append(f.schema, value.get(f.name), true)}`,
    );
    return `{${fields.join(',')}}`;
  }
  const entries = value instanceof Map ? [...value] : isPlainObject(value) ? Object.entries(value) : null;
  if (entries) {
    const parts = entries.map(
      ([k, v]) =>
        `${append(schema?.keySchema ?? null, k, true)}:${append(schema?.valueSchema ?? null, v, true)}`,
    );
    return `{${parts.join(',')}}`;
  }
  throw new DataException(`Failed to serialize unexpected value type ${typeof value}: ${String(value)}`);
}

/** Time of day before the first day's end, a date at midnight, else a full timestamp (ISO 8601). */
function formatDate(date: Date): string {
  const iso = date.toISOString();
  if (date.getTime() < MILLIS_PER_DAY) return iso.slice(11);
  return date.getTime() % MILLIS_PER_DAY === 0 ? iso.slice(0, 10) : iso;
}

// ---- parseString -------------------------------------------------------------------------------

/** Parses the string form of a value; null for "null". */
export function parseString(text: string): SchemaAndValue | null {
  const parsed = parseStringWithPartialSchemas(text);
  return parsed?.schema && !isComplete(parsed.schema) ? { schema: null, value: parsed.value } : parsed;
}

/**
 * parseString exactly as Java's: a list or map whose elements share no schema keeps an array or map
 * schema without its element schema (JsonConverter writes that schema as null), as InsertHeader's
 * header does in Kafka. Only for values that go straight to a converter: other code expects complete
 * schemas.
 */
export function parseStringWithPartialSchemas(text: string): SchemaAndValue | null {
  if (text === '') return { schema: Schemas.STRING, value: text };
  return new ValueParser(text).parse(false);
}

/** How numeric types widen when a list mixes them (logical types count as their base type). */
const NUMERIC_RANK: Partial<Record<SchemaType, number>> = {
  int8: 0,
  int16: 1,
  int32: 2,
  int64: 3,
  float32: 4,
  float64: 5,
};

/** The schema both values fit: the later one for equal types, the wider number, else null. */
function mergeSchemas(previous: Schema, next: Schema): Schema | null {
  if (previous.type === next.type) return next;
  const a = NUMERIC_RANK[previous.type];
  const b = NUMERIC_RANK[next.type];
  if (a === undefined || b === undefined) return null;
  return a >= b ? previous : next;
}

class SchemaMerger {
  private common: Schema | null = null;
  private compatible = true;

  merge(latest: SchemaAndValue | null): void {
    if (!latest?.schema || !this.compatible) return;
    this.common = this.common === null ? latest.schema : mergeSchemas(this.common, latest.schema);
    this.compatible = this.common !== null;
  }

  schema(): Schema | null {
    return this.common;
  }
}

/**
 * Java's array and map schemas without an element schema (SchemaBuilder.arrayOfNull, mapOfNull,
 * mapWithNullValues): they take part in merging as arrays and maps, and make the result schemaless.
 */
const ARRAY_OF_NULL = Object.freeze({ type: 'array', optional: false }) as Schema;
const mapOf = (keySchema: Schema | null): Schema =>
  Object.freeze(
    keySchema ? { type: 'map', optional: false, keySchema } : { type: 'map', optional: false },
  ) as Schema;

function isComplete(schema: Schema): boolean {
  if (schema.type === 'array') return schema.valueSchema !== undefined && isComplete(schema.valueSchema);
  if (schema.type !== 'map') return true;
  return (
    schema.keySchema !== undefined &&
    schema.valueSchema !== undefined &&
    isComplete(schema.keySchema) &&
    isComplete(schema.valueSchema)
  );
}

/** Values.convertTo(schema, null, value) for parsed values: numbers widen, numbers become dates. */
function align(schema: Schema, value: unknown): unknown {
  if (value === null) {
    if (schema.optional) return null;
    throw new DataException('Unable to convert a null value to a schema that requires a value');
  }
  const numeric = typeof value === 'number' || typeof value === 'bigint';
  const unable = (): never => {
    throw new DataException(`Unable to convert ${String(value)} to ${schema.type.toUpperCase()}`);
  };
  if (schema.name === LogicalTypes.DATE || schema.name === LogicalTypes.TIME) {
    if (value instanceof Date) return value;
    if (!numeric) return unable();
    const n = Number(BigInt.asIntN(32, BigInt(value)));
    if (schema.name === LogicalTypes.DATE) return new Date(n * MILLIS_PER_DAY);
    if (n < 0 || n > MILLIS_PER_DAY) {
      throw new DataException(
        'Time values must use number of milliseconds greater than 0 and less than 86400000',
      );
    }
    return new Date(n);
  }
  if (schema.name === LogicalTypes.TIMESTAMP) {
    if (value instanceof Date) return value;
    return numeric ? new Date(Number(value)) : unable();
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return numeric ? value : unable();
    case 'float32':
      return numeric ? Math.fround(Number(value)) : unable();
    case 'float64':
      return numeric ? Number(value) : unable();
    case 'array':
      return Array.isArray(value) ? value : unable();
    case 'map':
      return value instanceof Map ? value : unable();
    default:
      return value;
  }
}

const TIME = /^(\d+):(\d+):(\d+)\.(\d+)Z/;
const DATE = /^(\d+)-(\d+)-(\d+)/;
const TIMESTAMP = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z/;

/** A Date from lenient fields (out-of-range fields roll over, as SimpleDateFormat allows). */
function utcDate(fields: readonly string[]): Date {
  const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0] = fields.map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date;
}

/** ISO 8601 time (HH:mm:ss.SSS'Z'), timestamp or date, recognised by length as in Java. */
function parseTemporal(token: string): SchemaAndValue | null {
  const text = token.replaceAll('\\:', ':');
  let match: RegExpExecArray | null;
  if (text.length === 13 && (match = TIME.exec(text))) {
    return { schema: timeSchema().build(), value: utcDate(['1970', '1', '1', ...match.slice(1)]) };
  }
  if (text.length === 24 && (match = TIMESTAMP.exec(text))) {
    return { schema: timestampSchema().build(), value: utcDate(match.slice(1)) };
  }
  if (text.length === 10 && (match = DATE.exec(text))) {
    return { schema: dateSchema().build(), value: utcDate(match.slice(1)) };
  }
  return null;
}

/** The narrowest integer type for whole numbers in int64, else float32, float64 or Decimal. */
function parseNumber(token: string): SchemaAndValue | null {
  const decimal = parseDecimal(token);
  if (!decimal) return null;
  const integer = decimalToInt64(decimal);
  if (integer !== undefined) {
    const n = Number(integer);
    if (n >= -128 && n <= 127) return { schema: Schemas.INT8, value: n };
    if (n >= -32768 && n <= 32767) return { schema: Schemas.INT16, value: n };
    if (n >= -2147483648 && n <= 2147483647) return { schema: Schemas.INT32, value: n };
    return { schema: Schemas.INT64, value: int64Value(integer) };
  }
  const double = Number(token);
  if (decimal.scale !== 0 && Number.isFinite(Math.fround(double))) {
    return { schema: Schemas.FLOAT32, value: Math.fround(double) };
  }
  if (decimal.scale !== 0 && Number.isFinite(double)) return { schema: Schemas.FLOAT64, value: double };
  return { schema: decimalSchema(decimal.scale).build(), value: decimal };
}

class ValueParser {
  private readonly tokens: Tokenizer;

  constructor(text: string) {
    this.tokens = new Tokenizer(text);
  }

  parse(embedded: boolean): SchemaAndValue | null {
    const t = this.tokens;
    if (!t.hasNext()) return null;
    if (embedded && t.canConsume('"')) return this.parseQuoted();
    if (this.literal(embedded, 'null')) return null;
    if (this.literal(embedded, 'true')) return { schema: Schemas.BOOLEAN, value: true };
    if (this.literal(embedded, 'false')) return { schema: Schemas.BOOLEAN, value: false };
    const start = t.mark();
    try {
      if (t.canConsume('[')) return this.parseArray();
      if (t.canConsume('{')) return this.parseMap();
    } catch (error) {
      if (!(error instanceof DataException)) throw error;
      t.rewindTo(start); // not a well-formed list or map: read it as a string
    }
    const token = t.next();
    if (isBlank(token)) return { schema: Schemas.STRING, value: token };
    return this.parseToken(embedded, javaTrim(token));
  }

  /** A single-token literal; at top level only when nothing follows ("true}" is a string). */
  private literal(embedded: boolean, word: string): boolean {
    const start = this.tokens.mark();
    if (this.tokens.canConsume(word) && (embedded || !this.tokens.hasNext())) return true;
    this.tokens.rewindTo(start);
    return false;
  }

  private parseToken(embedded: boolean, token: string): SchemaAndValue {
    const first = token[0] as string;
    const digit = first >= '0' && first <= '9';
    if (digit) {
      // An unquoted time or timestamp spans five tokens, as ':' is a delimiter.
      const position = this.tokens.mark();
      const rest = this.tokens.nextTokens(4);
      const spanning = rest === null ? null : parseTemporal(token + rest);
      if (spanning) return spanning;
      this.tokens.rewindTo(position);
      const temporal = parseTemporal(token);
      if (temporal) return temporal;
    }
    if (digit || first === '+' || first === '-') {
      const number = parseNumber(token);
      if (number) return number;
    }
    if (embedded) throw new DataException('Failed to parse embedded value');
    return { schema: Schemas.STRING, value: this.tokens.original };
  }

  private parseQuoted(): SchemaAndValue {
    let content = '';
    while (this.tokens.hasNext() && !this.tokens.canConsume('"')) content += this.tokens.next();
    return parseTemporal(content) ?? { schema: Schemas.STRING, value: content };
  }

  private parseArray(): SchemaAndValue {
    const t = this.tokens;
    const values: unknown[] = [];
    const merger = new SchemaMerger();
    while (t.hasNext()) {
      if (t.canConsume(']')) {
        const common = merger.schema();
        if (common === null) return { schema: ARRAY_OF_NULL, value: values };
        return { schema: SchemaBuilder.array(common).build(), value: values.map((v) => align(common, v)) };
      }
      if (t.canConsume(',')) throw new DataException(`Unable to parse an empty array element: ${t.original}`);
      const element = this.parse(true);
      merger.merge(element);
      values.push(element?.value ?? null);
      const position = t.mark();
      if (t.canConsume(']')) t.rewindTo(position);
      else if (!t.canConsume(',')) throw new DataException("Array elements missing ',' delimiter");
    }
    if (t.previous() === ',') throw new DataException(`Array is missing element after ',': ${t.original}`);
    throw new DataException(`Array is missing terminating ']': ${t.original}`);
  }

  private parseMap(): SchemaAndValue {
    const t = this.tokens;
    const map = new Map<unknown, unknown>(); // a repeated key keeps its place and takes the last value
    const keys = new SchemaMerger();
    const values = new SchemaMerger();
    while (t.hasNext()) {
      if (t.canConsume('}')) {
        const keySchema = keys.schema();
        const valueSchema = values.schema();
        if (keySchema === null) return { schema: mapOf(null), value: map };
        const aligned = new Map<unknown, unknown>();
        for (const [k, v] of map) aligned.set(align(keySchema, k), valueSchema ? align(valueSchema, v) : v);
        const schema = valueSchema ? SchemaBuilder.map(keySchema, valueSchema).build() : mapOf(keySchema);
        return { schema, value: aligned };
      }
      if (t.canConsume(','))
        throw new DataException(`Unable to parse a map entry with no key or value: ${t.original}`);
      const key = this.parse(true);
      if (key === null || key.value === null)
        throw new DataException(`Map entry may not have a null key: ${t.original}`);
      if (!t.canConsume(':')) {
        throw new DataException(`Map entry is missing ':' at ${t.position()} in ${t.original}`);
      }
      const value = this.parse(true);
      map.set(key.value, value?.value ?? null);
      t.canConsume(',');
      keys.merge(key);
      values.merge(value);
    }
    if (t.previous() === ',') throw new DataException(`Map is missing element after ',': ${t.original}`);
    throw new DataException(`Map is missing terminating '}': ${t.original}`);
  }
}
