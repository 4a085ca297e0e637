// Connect values to JSON text and JSON nodes back to Connect values, as JsonConverter's
// convertToJson / convertToConnect: logical types first (by schema name), then the schema's type,
// or the value's own type when there is no schema.
import { DataException, INT_RANGES, isDecimal, LogicalTypes, Struct, schemasEqual } from '../api/index.ts';
import type { Schema, SchemaType } from '../api/index.ts';
import {
  bigintToBytes,
  bytesToBigint,
  decimalScale,
  decimalToInt64,
  describeType,
  formatDecimal,
  formatDouble,
  formatFloat,
  fromBase64,
  int64Value,
  integerText,
  isPlainObject,
  MILLIS_PER_DAY,
  parseDecimal,
  toBase64,
} from './java-formats.ts';
import { JsonNumber, JsonObject, nodeType, quoteJson } from './json-text.ts';
import type { JsonNode } from './json-text.ts';

export interface JsonValueOptions {
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
  readonly replaceNullWithDefault: boolean;
}

const INT64_LIMIT = 2 ** 63;

const label = (schema: Schema): string => schema.type.toUpperCase();

// ---- Connect → JSON ----------------------------------------------------------------------------

/** The JSON text for `value` under `schema` (null: inferred from the value, as Java's schemaless path). */
export function writeJsonValue(schema: Schema | null, value: unknown, options: JsonValueOptions): string {
  if (value === null || value === undefined) {
    if (schema === null) return 'null';
    if (schema.defaultValue != null && options.replaceNullWithDefault)
      return writeJsonValue(schema, schema.defaultValue, options);
    if (schema.optional) return 'null';
    throw new DataException(
      'Conversion error: null value for field that is required and has no default value',
    );
  }
  if (schema?.name !== undefined) {
    const logical = LOGICAL_WRITERS[schema.name];
    if (logical) return logical(schema, value, options);
  }
  const type = schema ? schema.type : inferType(value);
  const invalid = (): never => {
    throw new DataException(
      `Invalid type for ${schema ? label(schema) : 'unknown schema'}: ${describeType(value)}`,
    );
  };
  switch (type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[type] as readonly [number, number];
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) invalid();
      return String(n);
    }
    case 'int64':
      if (typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n) return value.toString();
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) >= INT64_LIMIT) invalid();
      return integerText(value as number);
    case 'float32':
    case 'float64': {
      if (typeof value !== 'number') invalid();
      const text = type === 'float32' ? formatFloat(value as number) : formatDouble(value as number);
      return Number.isFinite(value) ? text : `"${text}"`;
    }
    case 'boolean':
      if (typeof value !== 'boolean') invalid();
      return String(value);
    case 'string':
      if (typeof value !== 'string') invalid();
      return quoteJson(value as string);
    case 'bytes':
      if (!(value instanceof Uint8Array)) invalid();
      return `"${toBase64(value as Uint8Array)}"`;
    case 'array': {
      if (!Array.isArray(value)) invalid();
      const items = schema?.valueSchema ?? null;
      return `[${(value as unknown[]).map((v) => writeJsonValue(items, v, options)).join(',')}]`;
    }
    case 'map':
      if (!(value instanceof Map) && !isPlainObject(value)) invalid();
      return writeMap(
        schema,
        value instanceof Map ? value : new Map(Object.entries(value as object)),
        options,
      );
    case 'struct':
      if (!(value instanceof Struct)) invalid();
      return writeStruct(schema, value as Struct, options);
  }
}

function inferType(value: unknown): SchemaType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'int64';
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT && !Object.is(value, -0)
        ? 'int64'
        : 'float64';
  }
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map || isPlainObject(value)) return 'map';
  if (value instanceof Struct) return 'struct';
  // Java prints the class of the value (java.util.Date for Date, Time and Timestamp values).
  const javaClass =
    value instanceof Date
      ? 'java.util.Date'
      : isDecimal(value)
        ? 'java.math.BigDecimal'
        : describeType(value);
  throw new DataException(`Java class class ${javaClass} does not have corresponding schema type.`);
}

function writeMap(schema: Schema | null, map: Map<unknown, unknown>, options: JsonValueOptions): string {
  const keySchema = schema?.keySchema ?? null;
  const valueSchema = schema?.valueSchema ?? null;
  // String keys make a JSON object; any other key type makes an array of [key, value] pairs.
  const objectMode = schema
    ? keySchema?.type === 'string'
    : [...map.keys()].every((k) => typeof k === 'string');
  const parts: string[] = [];
  for (const [key, value] of map) {
    const keyJson = writeJsonValue(keySchema, key, options);
    const valueJson = writeJsonValue(valueSchema, value, options);
    if (!objectMode) parts.push(`[${keyJson},${valueJson}]`);
    else parts.push(`${keyJson.startsWith('"') ? keyJson : quoteJson(keyJson)}:${valueJson}`);
  }
  return objectMode ? `{${parts.join(',')}}` : `[${parts.join(',')}]`;
}

function writeStruct(schema: Schema | null, struct: Struct, options: JsonValueOptions): string {
  if (!schema || !schemasEqual(struct.schema, schema)) throw new DataException('Mismatching schema.');
  const parts = (schema.fields ?? []).map(
    (field) =>
      `${quoteJson(field.name)}:${writeJsonValue(field.schema, struct.getWithoutDefault(field.name), options)}`,
  );
  return `{${parts.join(',')}}`;
}

type LogicalWriter = (schema: Schema, value: unknown, options: JsonValueOptions) => string;

function dateMillis(kind: string, value: unknown): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new DataException(`Invalid type for ${kind}, expected Date but was ${describeType(value)}`);
  }
  return value.getTime();
}

const LOGICAL_WRITERS: Record<string, LogicalWriter> = {
  [LogicalTypes.DECIMAL]: (schema, value, options) => {
    if (!isDecimal(value)) {
      throw new DataException(`Invalid type for Decimal, expected BigDecimal but was ${describeType(value)}`);
    }
    if (options.decimalFormat === 'NUMERIC') return formatDecimal(value);
    const scale = decimalScale(schema);
    if (value.scale !== scale) {
      throw new DataException(
        `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${scale}, value has scale ${value.scale}.`,
      );
    }
    return `"${toBase64(bigintToBytes(value.unscaled))}"`;
  },
  [LogicalTypes.DATE]: (_schema, value) => {
    const millis = dateMillis('Date', value);
    if (millis % MILLIS_PER_DAY !== 0) {
      throw new DataException(
        'Kafka Connect Date type should not have any time fields set to non-zero values.',
      );
    }
    return String(millis / MILLIS_PER_DAY);
  },
  [LogicalTypes.TIME]: (_schema, value) => {
    const millis = dateMillis('Time', value);
    if (millis < 0 || millis > MILLIS_PER_DAY) {
      throw new DataException(
        'Kafka Connect Time type should not have any date fields set to non-zero values.',
      );
    }
    return String(millis);
  },
  [LogicalTypes.TIMESTAMP]: (_schema, value) => String(dateMillis('Timestamp', value)),
};

// ---- JSON → Connect ----------------------------------------------------------------------------

/** The Connect value for a JSON node under `schema`; null schema infers types as Java does. */
export function readJsonValue(
  schema: Schema | null,
  node: JsonNode | undefined,
  options: JsonValueOptions,
): unknown {
  if (schema === null) return inferValue(node);
  if (node === null || node === undefined) {
    if (schema.defaultValue != null && options.replaceNullWithDefault) return schema.defaultValue;
    if (schema.optional) return null;
    throw new DataException(`Invalid null value for required ${label(schema)} field`);
  }
  if (schema.name !== undefined) {
    const logical = LOGICAL_READERS[schema.name];
    if (logical) return logical(schema, node);
  }
  const mismatch = (expected: string): never => {
    throw new DataException(
      `Expected a JSON ${expected} for ${label(schema)} schema, but found ${nodeType(node)}`,
    );
  };
  switch (schema.type) {
    case 'boolean':
      return typeof node === 'boolean' ? node : mismatch('boolean');
    case 'string':
      return typeof node === 'string' ? node : mismatch('string');
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64': {
      if (!(node instanceof JsonNumber)) return mismatch('number');
      const integer = exactInteger(node);
      const range = INT_RANGES[schema.type];
      if (integer === undefined || (range && (integer < range[0] || integer > range[1]))) {
        throw new DataException(`Value ${node.text} does not fit ${label(schema)} schema`);
      }
      return range ? Number(integer) : int64Value(integer);
    }
    case 'float32':
      return node instanceof JsonNumber ? Math.fround(Number(node.text)) : mismatch('number');
    case 'float64':
      return node instanceof JsonNumber ? Number(node.text) : mismatch('number');
    case 'bytes':
      if (typeof node !== 'string') return mismatch('string (base64)');
      try {
        return fromBase64(node);
      } catch (error) {
        throw new DataException(`Invalid bytes field: ${(error as Error).message}`, { cause: error });
      }
    case 'array':
      if (!Array.isArray(node)) return mismatch('array');
      return node.map((item) => readJsonValue(schema.valueSchema ?? null, item, options));
    case 'map':
      return readMap(schema, node, options);
    case 'struct':
      return readStruct(schema, node, options);
  }
}

function exactInteger(node: JsonNumber): bigint | undefined {
  if (node.integral && node.text.length < 16) return BigInt(Number(node.text));
  const decimal = parseDecimal(node.text);
  return decimal && decimalToInt64(decimal);
}

function inferValue(node: JsonNode | undefined): unknown {
  if (node === null || node === undefined || typeof node !== 'object') return node ?? null;
  if (node instanceof JsonNumber) {
    if (!node.integral) return Number(node.text);
    // Java reads integers as long: beyond 64 bits it keeps the low 64 bits (BigInteger.longValue).
    return int64Value(BigInt.asIntN(64, BigInt(node.text)));
  }
  if (Array.isArray(node)) return node.map(inferValue);
  const map = new Map<string, unknown>();
  for (const [key, value] of node.fields) map.set(key, inferValue(value));
  return map;
}

function readMap(schema: Schema, node: JsonNode, options: JsonValueOptions): Map<unknown, unknown> {
  const keySchema = schema.keySchema ?? null;
  const valueSchema = schema.valueSchema ?? null;
  const result = new Map<unknown, unknown>();
  if (keySchema === null || keySchema.type === 'string') {
    if (!(node instanceof JsonObject)) {
      throw new DataException(
        `Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`,
      );
    }
    for (const [key, value] of node.fields) result.set(key, readJsonValue(valueSchema, value, options));
    return result;
  }
  if (!Array.isArray(node)) {
    throw new DataException(
      `Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`,
    );
  }
  for (const entry of node) {
    if (!Array.isArray(entry)) {
      throw new DataException(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`);
    }
    if (entry.length !== 2) {
      throw new DataException(`Found invalid map entry, expected length 2 but found :${entry.length}`);
    }
    result.set(readJsonValue(keySchema, entry[0], options), readJsonValue(valueSchema, entry[1], options));
  }
  return result;
}

function readStruct(schema: Schema, node: JsonNode, options: JsonValueOptions): Struct {
  if (!(node instanceof JsonObject)) {
    throw new DataException(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`);
  }
  const struct = new Struct(schema);
  for (const field of schema.fields ?? []) {
    struct.put(field.name, readJsonValue(field.schema, node.fields.get(field.name), options));
  }
  return struct;
}

type LogicalReader = (schema: Schema, node: JsonNode) => unknown;

/** Jackson's isInt(): an integer literal that fits 32 bits. */
function int32Of(node: JsonNode): number | undefined {
  if (!(node instanceof JsonNumber) || !node.integral) return undefined;
  const value = Number(node.text);
  return value >= -2147483648 && value <= 2147483647 ? value : undefined;
}

const LOGICAL_READERS: Record<string, LogicalReader> = {
  [LogicalTypes.DECIMAL]: (schema, node) => {
    if (node instanceof JsonNumber) return parseDecimal(node.text);
    if (typeof node === 'string') {
      try {
        return { unscaled: bytesToBigint(fromBase64(node)), scale: decimalScale(schema) };
      } catch (error) {
        throw new DataException(`Invalid bytes for Decimal field: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    throw new DataException(
      `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`,
    );
  },
  [LogicalTypes.DATE]: (_schema, node) => {
    const days = int32Of(node);
    if (days === undefined) {
      throw new DataException(
        `Invalid type for Date, underlying representation should be integer but was ${nodeType(node)}`,
      );
    }
    return new Date(days * MILLIS_PER_DAY);
  },
  [LogicalTypes.TIME]: (_schema, node) => {
    const millis = int32Of(node);
    if (millis === undefined) {
      throw new DataException(
        `Invalid type for Time, underlying representation should be integer but was ${nodeType(node)}`,
      );
    }
    if (millis < 0 || millis > MILLIS_PER_DAY) {
      throw new DataException(
        'Time values must use number of milliseconds greater than 0 and less than 86400000',
      );
    }
    return new Date(millis);
  },
  [LogicalTypes.TIMESTAMP]: (_schema, node) => {
    if (!(node instanceof JsonNumber) || !node.integral) {
      throw new DataException(
        `Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`,
      );
    }
    return new Date(Number(BigInt.asIntN(64, BigInt(node.text))));
  },
};
