// The primitive converters of org.apache.kafka.connect.converters: IntegerConverter, LongConverter,
// ShortConverter, FloatConverter, DoubleConverter and BooleanConverter. Each writes its value the way
// Kafka's serializer of that type does (big-endian, fixed width; a boolean as one byte 0 or 1) and
// reads it back with an optional schema of that type.
import { DataException, Schemas } from '../api/index.ts';
import type {
  ConfigDef,
  Converter,
  ConverterConfig,
  HeaderConverter,
  Headers,
  Schema,
  SchemaAndValue,
} from '../api/index.ts';
import { converterConfigDef, parseConverterConfig } from './converter-config.ts';
import { describeType, int64Value, INT64_MAX, INT64_MIN } from './java-formats.ts';

interface NumberSpec {
  /** As Java names it in messages: integer, long, short, float, double. */
  readonly typeName: string;
  readonly schema: Schema;
  readonly size: number;
  /** Kafka's size-mismatch message names the deserializer. */
  readonly deserializer: string;
  /** Writes `value` at offset 0, or returns false when it is not of this type. */
  write(view: DataView, value: unknown): boolean;
  read(view: DataView): unknown;
}

function integerIn(value: unknown, min: number, max: number): number | undefined {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

abstract class PrimitiveConverter implements Converter, HeaderConverter {
  protected readonly spec: NumberSpec;

  protected constructor(spec: NumberSpec) {
    this.spec = spec;
  }

  config(): ConfigDef {
    return converterConfigDef();
  }

  configure(configs: ConverterConfig, isKey?: boolean): void {
    parseConverterConfig(this.config(), configs, isKey);
  }

  fromConnectData(
    _topic: string,
    _headers: Headers,
    _schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (value === null || value === undefined) return null;
    const bytes = Buffer.alloc(this.spec.size);
    if (!this.spec.write(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), value)) {
      throw new DataException(`Failed to serialize to ${this.spec.typeName} (was ${describeType(value)}): `);
    }
    return bytes;
  }

  toConnectData(_topic: string, _headers: Headers, value: Uint8Array | null): SchemaAndValue {
    if (value === null) return { schema: this.spec.schema, value: null };
    if (value.length !== this.spec.size) {
      throw new DataException(
        `Failed to deserialize ${this.spec.typeName}: Size of data received by ${this.spec.deserializer} is not ${this.spec.size}`,
      );
    }
    return {
      schema: this.spec.schema,
      value: this.spec.read(new DataView(value.buffer, value.byteOffset, value.byteLength)),
    };
  }

  fromConnectHeader(
    topic: string,
    _headerKey: string,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], value);
  }

  close(): void {}
}

export class IntegerConverter extends PrimitiveConverter {
  constructor() {
    super({
      typeName: 'integer',
      schema: Schemas.OPTIONAL_INT32,
      size: 4,
      deserializer: 'IntegerDeserializer',
      write: (view, value) => {
        const n = integerIn(value, -2147483648, 2147483647);
        if (n !== undefined) view.setInt32(0, n);
        return n !== undefined;
      },
      read: (view) => view.getInt32(0),
    });
  }
}

export class ShortConverter extends PrimitiveConverter {
  constructor() {
    super({
      typeName: 'short',
      schema: Schemas.OPTIONAL_INT16,
      size: 2,
      deserializer: 'ShortDeserializer',
      write: (view, value) => {
        const n = integerIn(value, -32768, 32767);
        if (n !== undefined) view.setInt16(0, n);
        return n !== undefined;
      },
      read: (view) => view.getInt16(0),
    });
  }
}

/** Int64 values are numbers when exactly representable, else bigints, as everywhere in Weir. */
export class LongConverter extends PrimitiveConverter {
  constructor() {
    super({
      typeName: 'long',
      schema: Schemas.OPTIONAL_INT64,
      size: 8,
      deserializer: 'LongDeserializer',
      write: (view, value) => {
        let n: bigint | undefined;
        if (typeof value === 'bigint') n = value;
        else if (typeof value === 'number' && Number.isInteger(value)) n = BigInt(value);
        if (n === undefined || n < INT64_MIN || n > INT64_MAX) return false;
        view.setBigInt64(0, n);
        return true;
      },
      read: (view) => int64Value(view.getBigInt64(0)),
    });
  }
}

export class FloatConverter extends PrimitiveConverter {
  constructor() {
    super({
      typeName: 'float',
      schema: Schemas.OPTIONAL_FLOAT32,
      size: 4,
      deserializer: 'Deserializer',
      write: (view, value) => {
        if (typeof value === 'number') view.setFloat32(0, value);
        return typeof value === 'number';
      },
      read: (view) => view.getFloat32(0),
    });
  }
}

export class DoubleConverter extends PrimitiveConverter {
  constructor() {
    super({
      typeName: 'double',
      schema: Schemas.OPTIONAL_FLOAT64,
      size: 8,
      deserializer: 'Deserializer',
      write: (view, value) => {
        if (typeof value === 'number') view.setFloat64(0, value);
        return typeof value === 'number';
      },
      read: (view) => view.getFloat64(0),
    });
  }
}

/** Unlike the number converters, BooleanConverter checks the schema and the byte it reads. */
export class BooleanConverter extends PrimitiveConverter {
  constructor() {
    super({
      typeName: 'boolean',
      schema: Schemas.OPTIONAL_BOOLEAN,
      size: 1,
      deserializer: 'BooleanDeserializer',
      write: (view, value) => {
        if (typeof value === 'boolean') view.setUint8(0, value ? 1 : 0);
        return typeof value === 'boolean';
      },
      read: (view) => {
        const byte = view.getInt8(0);
        if (byte !== 0 && byte !== 1) {
          throw new DataException(
            `Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${byte}`,
          );
        }
        return byte === 1;
      },
    });
  }

  override fromConnectData(
    topic: string,
    headers: Headers,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (schema !== null && schema.type !== 'boolean') {
      throw new DataException(`Invalid schema type for BooleanConverter: ${schema.type.toUpperCase()}`);
    }
    if (value !== null && value !== undefined && typeof value !== 'boolean') {
      throw new DataException(
        `BooleanConverter is not compatible with objects of type ${describeType(value)}`,
      );
    }
    return super.fromConnectData(topic, headers, schema, value);
  }
}
