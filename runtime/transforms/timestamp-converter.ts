// org.apache.kafka.connect.transforms.TimestampConverter$Key / $Value: converts a timestamp (the
// whole key or value, or one field of it) between Unix time, a SimpleDateFormat string and Connect's
// Date, Time and Timestamp types, in UTC.
import {
  ConfigDef,
  ConfigException,
  ConnectException,
  copySchemaBasics,
  DataException,
  dateSchema,
  LogicalTypes,
  SchemaBuilder,
  Schemas,
  Struct,
  timeSchema,
  timestampSchema,
  Validators,
  type ConnectRecord,
  type Schema,
  type Transformation,
} from '../api/index.ts';
import { int64Value } from '../api/java-formats.ts';
import { javaClass, javaClassName, javaSchemaString } from './support/java-types.ts';
import { NullPointerException } from './support/java-exceptions.ts';
import { KEY, VALUE, type RecordSide } from './support/record-side.ts';
import { requireMap, requireStructOrNull } from './support/requirements.ts';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from './support/transform-config.ts';
import { simpleConfig } from './support/simple-config.ts';
import { MILLIS_PER_DAY } from './support/calendar.ts';
import { SimpleDateFormat } from './support/simple-date-format.ts';

type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
type Precision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

const PURPOSE = 'converting timestamp formats';
const OPTIONAL_DATE = dateSchema().optional().build();
const OPTIONAL_TIME = timeSchema().optional().build();
const OPTIONAL_TIMESTAMP = timestampSchema().optional().build();
const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

function typeSchema(type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string':
      return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
    case 'unix':
      return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
    case 'Date':
      return optional ? OPTIONAL_DATE : dateSchema().build();
    case 'Time':
      return optional ? OPTIONAL_TIME : timeSchema().build();
    case 'Timestamp':
      return optional ? OPTIONAL_TIMESTAMP : timestampSchema().build();
  }
}

/** TimeUnit's conversions: truncation toward zero, saturating at Long's bounds. */
function saturate(value: bigint): bigint {
  return value > LONG_MAX ? LONG_MAX : value < LONG_MIN ? LONG_MIN : value;
}

function typeFromSchema(schema: Schema): TimestampType {
  if (schema.name === LogicalTypes.TIMESTAMP) return 'Timestamp';
  if (schema.name === LogicalTypes.DATE) return 'Date';
  if (schema.name === LogicalTypes.TIME) return 'Time';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'int64') return 'unix';
  throw new ConnectException(
    `Schema ${javaSchemaString(schema)} does not correspond to a known timestamp type format`,
  );
}

function inferType(timestamp: unknown): TimestampType {
  if (timestamp instanceof Date) return 'Timestamp';
  if (javaClassName(timestamp) === 'java.lang.Long') return 'unix';
  if (typeof timestamp === 'string') return 'string';
  throw new DataException(
    `TimestampConverter does not support ${javaClass(timestamp)} objects as timestamps`,
  );
}

export abstract class TimestampConverter<
  R extends ConnectRecord = ConnectRecord,
> implements Transformation<R> {
  static readonly OVERVIEW_DOC =
    'Convert timestamps between different formats such as Unix epoch, strings, and Connect Date/Timestamp types.' +
    'Applies to individual fields or to the entire value.' +
    '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.TimestampConverter$Key</code>) ' +
    'or value (<code>org.apache.kafka.connect.transforms.TimestampConverter$Value</code>).';

  protected abstract readonly side: RecordSide;
  private field = '';
  private type: TimestampType = 'unix';
  private format: SimpleDateFormat | null = null;
  private precision: Precision = 'milliseconds';
  private replaceNullWithDefault = true;

  config(): ConfigDef {
    return defineReplaceNullWithDefault(
      new ConfigDef()
        .define('field', {
          type: 'STRING',
          defaultValue: '',
          importance: 'HIGH',
          documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp',
        })
        .define('target.type', {
          type: 'STRING',
          validator: Validators.in('string', 'unix', 'Date', 'Time', 'Timestamp'),
          importance: 'HIGH',
          documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
        })
        .define('format', {
          type: 'STRING',
          defaultValue: '',
          importance: 'MEDIUM',
          documentation:
            'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string ' +
            'or used to parse the input if the input is a string.',
        })
        .define('unix.precision', {
          type: 'STRING',
          defaultValue: 'milliseconds',
          validator: Validators.in('nanoseconds', 'microseconds', 'milliseconds', 'seconds'),
          importance: 'LOW',
          documentation:
            'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. ' +
            'Used to generate the output when type=unix or used to parse the input if the input is a Long.' +
            'Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
        }),
    );
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(this.config(), configs);
    this.field = config['field'] as string;
    this.type = config['target.type'] as TimestampType;
    this.precision = config['unix.precision'] as Precision;
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    const pattern = config['format'] as string;
    const blank = pattern.trim() === '';
    if (this.type === 'string' && blank) {
      throw new ConfigException(
        'TimestampConverter requires format option to be specified when using string timestamps',
      );
    }
    this.format = null;
    if (!blank) {
      try {
        this.format = new SimpleDateFormat(pattern);
      } catch (error) {
        // Kafka passes (message, exception) to ConfigException(name, value): the message reads inside out.
        const message = `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`;
        throw new ConfigException(
          message,
          `java.lang.IllegalArgumentException: ${(error as Error).message}`,
          '',
        );
      }
    }
  }

  apply(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) {
      if (value === null || value === undefined || this.field === '') {
        return this.side.with(record, null, this.convert(value ?? null, null));
      }
      const updated = new Map(requireMap(value, PURPOSE));
      updated.set(this.field, this.convert(updated.get(this.field) ?? null, null));
      return this.side.with(record, null, updated);
    }
    if (this.field === '') {
      return this.side.with(
        record,
        typeSchema(this.type, schema.optional),
        this.convert(value ?? null, typeFromSchema(schema)),
      );
    }
    const struct = requireStructOrNull(value, PURPOSE, schema);
    const updatedSchema = this.updatedSchema(schema);
    return this.side.with(record, updatedSchema, this.convertStruct(struct, updatedSchema));
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields ?? []) {
      builder.field(
        field.name,
        field.name === this.field ? typeSchema(this.type, field.schema.optional) : field.schema,
      );
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
      builder.defaultValue(this.convertStruct(schema.defaultValue as Struct, builder.build()));
    }
    return builder.build();
  }

  private convertStruct(value: Struct | null, updatedSchema: Schema): Struct | null {
    if (value === null) return null;
    const updated = new Struct(updatedSchema);
    for (const field of value.schema.fields ?? []) {
      const fieldValue = this.replaceNullWithDefault
        ? value.get(field.name)
        : value.getWithoutDefault(field.name);
      updated.put(
        field.name,
        field.name === this.field ? this.convert(fieldValue, typeFromSchema(field.schema)) : fieldValue,
      );
    }
    return updated;
  }

  /** The timestamp in the target type; its own type from the schema, or inferred without one. */
  private convert(timestamp: unknown, from: TimestampType | null): unknown {
    if (timestamp === null || timestamp === undefined) return null;
    return this.fromMillis(this.toMillis(timestamp, from ?? inferType(timestamp)));
  }

  private toMillis(timestamp: unknown, type: TimestampType): number {
    switch (type) {
      case 'string': {
        if (typeof timestamp !== 'string') {
          throw new DataException(
            `Expected string timestamp to be a String, but found ${javaClass(timestamp)}`,
          );
        }
        const format = this.format;
        if (format === null) {
          // Kafka has no format to parse with either (format is optional unless target.type=string).
          throw new NullPointerException(
            'Cannot invoke "java.text.SimpleDateFormat.parse(String)" because "config.format" is null',
          );
        }
        const millis = format.parse(timestamp);
        if (millis === null) {
          throw new DataException(
            `Could not parse timestamp: value (${timestamp}) does not match pattern (${format.toPattern()})`,
          );
        }
        return millis;
      }
      case 'unix': {
        if (javaClassName(timestamp) !== 'java.lang.Long') {
          throw new DataException(`Expected Unix timestamp to be a Long, but found ${javaClass(timestamp)}`);
        }
        const unix = BigInt(timestamp as number | bigint);
        const perMilli = { seconds: 0n, milliseconds: 1n, microseconds: 1000n, nanoseconds: 1_000_000n }[
          this.precision
        ];
        return Number(perMilli === 0n ? saturate(unix * 1000n) : unix / perMilli);
      }
      default:
        if (!(timestamp instanceof Date)) {
          throw new DataException(
            `Expected ${type} to be a java.util.Date, but found ${javaClass(timestamp)}`,
          );
        }
        return timestamp.getTime();
    }
  }

  private fromMillis(millis: number): unknown {
    switch (this.type) {
      case 'string':
        return (this.format as SimpleDateFormat).format(millis);
      case 'unix': {
        const ms = BigInt(millis);
        const unix = {
          seconds: ms / 1000n,
          milliseconds: ms,
          microseconds: saturate(ms * 1000n),
          nanoseconds: saturate(ms * 1_000_000n),
        }[this.precision];
        return int64Value(unix);
      }
      case 'Date':
        return new Date(Math.floor(millis / MILLIS_PER_DAY) * MILLIS_PER_DAY);
      case 'Time':
        return new Date(((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
      case 'Timestamp':
        return new Date(millis);
    }
  }

  close(): void {}
}

export class TimestampConverterKey<R extends ConnectRecord = ConnectRecord> extends TimestampConverter<R> {
  protected readonly side = KEY;
}

export class TimestampConverterValue<R extends ConnectRecord = ConnectRecord> extends TimestampConverter<R> {
  protected readonly side = VALUE;
}
