// Connect's data model: schemas and structs, equivalent to org.apache.kafka.connect.data, so that
// JSON with schemas round-trips between Weir and Apache Kafka Connect.
import { DataException, SchemaBuilderException } from './errors.ts';

/** Every Schema.Type, in Java's declaration order (the order Java prints an EnumSet of them in). */
export const SCHEMA_TYPES = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'array',
  'map',
  'struct',
] as const;

export type SchemaType = (typeof SCHEMA_TYPES)[number];

/** The types Schema.Type.isPrimitive() accepts: all but array, map and struct. */
export const PRIMITIVE_SCHEMA_TYPES: readonly SchemaType[] = SCHEMA_TYPES.filter(
  (type) => type !== 'array' && type !== 'map' && type !== 'struct',
);

export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

/** An immutable schema. Build one with SchemaBuilder or use the constants in `Schemas`. */
export interface Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue?: unknown;
  /** Logical type name, e.g. org.apache.kafka.connect.data.Decimal. */
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** struct only */
  readonly fields?: readonly Field[];
  /** array only */
  readonly valueSchema?: Schema;
  /** map only (valueSchema holds the values) */
  readonly keySchema?: Schema;
}

export class SchemaBuilder {
  private readonly spec: {
    type: SchemaType;
    optional: boolean;
    defaultValue?: unknown;
    name?: string;
    version?: number;
    doc?: string;
    parameters?: Record<string, string>;
    fields?: Field[];
    valueSchema?: Schema;
    keySchema?: Schema;
  };

  constructor(type: SchemaType) {
    this.spec = { type, optional: false };
    if (type === 'struct') this.spec.fields = [];
  }

  static int8 = (): SchemaBuilder => new SchemaBuilder('int8');
  static int16 = (): SchemaBuilder => new SchemaBuilder('int16');
  static int32 = (): SchemaBuilder => new SchemaBuilder('int32');
  static int64 = (): SchemaBuilder => new SchemaBuilder('int64');
  static float32 = (): SchemaBuilder => new SchemaBuilder('float32');
  static float64 = (): SchemaBuilder => new SchemaBuilder('float64');
  static bool = (): SchemaBuilder => new SchemaBuilder('boolean');
  static string = (): SchemaBuilder => new SchemaBuilder('string');
  static bytes = (): SchemaBuilder => new SchemaBuilder('bytes');
  static struct = (): SchemaBuilder => new SchemaBuilder('struct');
  static array(valueSchema: Schema): SchemaBuilder {
    const builder = new SchemaBuilder('array');
    builder.spec.valueSchema = valueSchema;
    return builder;
  }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    const builder = new SchemaBuilder('map');
    builder.spec.keySchema = keySchema;
    builder.spec.valueSchema = valueSchema;
    return builder;
  }

  optional(): this {
    this.spec.optional = true;
    return this;
  }
  required(): this {
    this.spec.optional = false;
    return this;
  }
  name(name: string): this {
    this.spec.name = name;
    return this;
  }
  version(version: number): this {
    this.spec.version = version;
    return this;
  }
  doc(doc: string): this {
    this.spec.doc = doc;
    return this;
  }
  parameter(key: string, value: string): this {
    this.spec.parameters = { ...this.spec.parameters, [key]: value };
    return this;
  }
  parameters(parameters: Record<string, string>): this {
    this.spec.parameters = { ...this.spec.parameters, ...parameters };
    return this;
  }
  defaultValue(value: unknown): this {
    try {
      validateValue(this.build(), value, 'default value');
    } catch (error) {
      throw new SchemaBuilderException('Invalid default value', { cause: error });
    }
    this.spec.defaultValue = value;
    return this;
  }
  field(name: string, schema: Schema): this {
    if (this.spec.type !== 'struct')
      throw new SchemaBuilderException(`Cannot create fields on type ${this.spec.type.toUpperCase()}`);
    if (name === '') throw new SchemaBuilderException('fieldName cannot be null.');
    const fields = this.spec.fields as Field[];
    if (fields.some((f) => f.name === name))
      throw new SchemaBuilderException(`Cannot create field because of field name duplication ${name}`);
    fields.push({ name, index: fields.length, schema });
    return this;
  }

  build(): Schema {
    const out: Record<string, unknown> = { type: this.spec.type, optional: this.spec.optional };
    for (const [key, value] of Object.entries(this.spec)) {
      if (value !== undefined && key !== 'type' && key !== 'optional') out[key] = value;
    }
    if (out.fields) out.fields = [...(out.fields as Field[])];
    return Object.freeze(out) as unknown as Schema;
  }
}

/** The primitive schemas, as Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA, … in Java. */
export const Schemas = {
  INT8: SchemaBuilder.int8().build(),
  INT16: SchemaBuilder.int16().build(),
  INT32: SchemaBuilder.int32().build(),
  INT64: SchemaBuilder.int64().build(),
  FLOAT32: SchemaBuilder.float32().build(),
  FLOAT64: SchemaBuilder.float64().build(),
  BOOLEAN: SchemaBuilder.bool().build(),
  STRING: SchemaBuilder.string().build(),
  BYTES: SchemaBuilder.bytes().build(),
  OPTIONAL_INT8: SchemaBuilder.int8().optional().build(),
  OPTIONAL_INT16: SchemaBuilder.int16().optional().build(),
  OPTIONAL_INT32: SchemaBuilder.int32().optional().build(),
  OPTIONAL_INT64: SchemaBuilder.int64().optional().build(),
  OPTIONAL_FLOAT32: SchemaBuilder.float32().optional().build(),
  OPTIONAL_FLOAT64: SchemaBuilder.float64().optional().build(),
  OPTIONAL_BOOLEAN: SchemaBuilder.bool().optional().build(),
  OPTIONAL_STRING: SchemaBuilder.string().optional().build(),
  OPTIONAL_BYTES: SchemaBuilder.bytes().optional().build(),
} as const;

/** Logical types carried by name on top of a primitive schema, as in Java Connect. */
export const LogicalTypes = {
  DECIMAL: 'org.apache.kafka.connect.data.Decimal',
  DECIMAL_SCALE: 'scale',
  DATE: 'org.apache.kafka.connect.data.Date',
  TIME: 'org.apache.kafka.connect.data.Time',
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
} as const;

export function decimalSchema(scale: number): SchemaBuilder {
  return SchemaBuilder.bytes()
    .name(LogicalTypes.DECIMAL)
    .version(1)
    .parameter(LogicalTypes.DECIMAL_SCALE, String(scale));
}
export function dateSchema(): SchemaBuilder {
  return SchemaBuilder.int32().name(LogicalTypes.DATE).version(1);
}
export function timeSchema(): SchemaBuilder {
  return SchemaBuilder.int32().name(LogicalTypes.TIME).version(1);
}
export function timestampSchema(): SchemaBuilder {
  return SchemaBuilder.int64().name(LogicalTypes.TIMESTAMP).version(1);
}

/**
 * A decimal value for the Decimal logical type: `unscaled × 10^-scale`. Java serialises the unscaled
 * value as big-endian two's complement bytes.
 */
export interface Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

export function fieldOf(schema: Schema, name: string): Field | undefined {
  return schema.fields?.find((f) => f.name === name);
}

/** A record-like value whose shape a struct schema describes. */
export class Struct {
  readonly schema: Schema;
  private readonly values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== 'struct')
      throw new DataException(`a Struct needs a struct schema, not ${schema.type}`);
    this.schema = schema;
    this.values = new Array((schema.fields ?? []).length).fill(null);
  }

  private field(name: string): Field {
    const field = fieldOf(this.schema, name);
    if (!field) throw new DataException(`${name} is not a valid field name`);
    return field;
  }

  put(name: string, value: unknown): this {
    const field = this.field(name);
    // As Java's Struct.put: a required field takes no null, even one with a default.
    if ((value === null || value === undefined) && !field.schema.optional) {
      throw new DataException(
        `Invalid value: null used for required field: "${name}", schema type: ${field.schema.type.toUpperCase()}`,
      );
    }
    validateValue(field.schema, value, `field "${name}"`);
    this.values[field.index] = value;
    return this;
  }

  /** The field's value, or its schema default when unset. */
  get(name: string): unknown {
    const field = this.field(name);
    const value = this.values[field.index];
    return value === null || value === undefined ? (field.schema.defaultValue ?? null) : value;
  }

  getWithoutDefault(name: string): unknown {
    return this.values[this.field(name).index] ?? null;
  }

  /** Throws a DataException when a required field is missing. */
  validate(): void {
    for (const field of this.schema.fields ?? []) {
      const value = this.values[field.index];
      if (
        (value === null || value === undefined) &&
        !field.schema.optional &&
        field.schema.defaultValue === undefined
      ) {
        throw new DataException(
          `invalid value: null used for required field "${field.name}", schema type ${field.schema.type}`,
        );
      }
    }
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Struct &&
      schemasEqual(this.schema, other.schema) &&
      valuesEqual(this.values, other.values)
    );
  }

  toString(): string {
    const parts = (this.schema.fields ?? []).map((f) => `${f.name}=${String(this.values[f.index])}`);
    return `Struct{${parts.join(',')}}`;
  }
}

/** [min, max] of int8, int16 and int32 values; int64 has none, its values may be bigints. */
export const INT_RANGES: Partial<Record<SchemaType, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};

/** Throws a DataException naming `where` when `value` does not fit `schema`. */
export function validateValue(schema: Schema, value: unknown, where = 'value'): void {
  if (value === null || value === undefined) {
    if (schema.optional || schema.defaultValue !== undefined) return;
    throw new DataException(`invalid ${where}: null used for required schema type ${schema.type}`);
  }
  const fail = (): never => {
    throw new DataException(`invalid ${where}: ${describe(value)} does not match schema type ${schema.type}`);
  };
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      if (schema.name === LogicalTypes.DATE || schema.name === LogicalTypes.TIME) {
        if (!(value instanceof Date)) fail();
        return;
      }
      const [min, max] = INT_RANGES[schema.type] as readonly [number, number];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail();
      return;
    }
    case 'int64':
      if (schema.name === LogicalTypes.TIMESTAMP) {
        if (!(value instanceof Date)) fail();
        return;
      }
      if (typeof value === 'bigint') return;
      if (typeof value !== 'number' || !Number.isInteger(value)) fail();
      return;
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') fail();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail();
      return;
    case 'string':
      if (typeof value !== 'string') fail();
      return;
    case 'bytes':
      if (schema.name === LogicalTypes.DECIMAL) {
        if (!isDecimal(value)) fail();
        return;
      }
      if (!(value instanceof Uint8Array)) fail();
      return;
    case 'array':
      if (!Array.isArray(value)) fail();
      (value as unknown[]).forEach((v, i) =>
        validateValue(schema.valueSchema as Schema, v, `${where}[${i}]`),
      );
      return;
    case 'map':
      if (!(value instanceof Map)) fail();
      for (const [k, v] of value as Map<unknown, unknown>) {
        validateValue(schema.keySchema as Schema, k, `${where} key`);
        validateValue(schema.valueSchema as Schema, v, `${where}[${String(k)}]`);
      }
      return;
    case 'struct':
      if (!(value instanceof Struct)) fail();
      if (!schemasEqual((value as Struct).schema, schema)) {
        throw new DataException(`invalid ${where}: struct schemas do not match`);
      }
      (value as Struct).validate();
      return;
  }
}

export function isDecimal(value: unknown): value is Decimal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Decimal).unscaled === 'bigint' &&
    typeof (value as Decimal).scale === 'number'
  );
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Map) return 'a map';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Struct) return 'a struct';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function schemasEqual(a: Schema | undefined | null, b: Schema | undefined | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.type === b.type &&
    a.optional === b.optional &&
    a.name === b.name &&
    a.version === b.version &&
    a.doc === b.doc &&
    valuesEqual(a.defaultValue, b.defaultValue) &&
    valuesEqual(a.parameters ?? null, b.parameters ?? null) &&
    schemasEqual(a.keySchema, b.keySchema) &&
    schemasEqual(a.valueSchema, b.valueSchema) &&
    (a.fields ?? []).length === (b.fields ?? []).length &&
    (a.fields ?? []).every((f, i) => {
      const g = (b.fields ?? [])[i];
      return g !== undefined && f.name === g.name && f.index === g.index && schemasEqual(f.schema, g.schema);
    })
  );
}

/** Deep equality over Connect values: structs, maps, arrays, bytes, decimals, dates. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (a instanceof Struct) return a.equals(b);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return (
      ka.length === kb.length &&
      ka.every((k) => valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** A schema paired with a value, as converters return it. */
export interface SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}

export const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
