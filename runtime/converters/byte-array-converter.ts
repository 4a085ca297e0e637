// ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass through
// untouched both ways; the schema, when there is one, must be bytes.
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
import { converterConfigDef } from './converter-config.ts';
import { describeType } from './java-formats.ts';

export class ByteArrayConverter implements Converter, HeaderConverter {
  config(): ConfigDef {
    return converterConfigDef();
  }

  /** Nothing to configure, as in Java (which does not even check `converter.type`). */
  configure(_configs: ConverterConfig, _isKey?: boolean): void {}

  fromConnectData(
    _topic: string,
    _headers: Headers,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (schema !== null && schema.type !== 'bytes') {
      throw new DataException(`Invalid schema type for ByteArrayConverter: ${schema.type.toUpperCase()}`);
    }
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) {
      throw new DataException(
        `ByteArrayConverter is not compatible with objects of type ${describeType(value)}`,
      );
    }
    return value;
  }

  toConnectData(_topic: string, _headers: Headers, value: Uint8Array | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value };
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
