// SimpleHeaderConverter (org.apache.kafka.connect.storage.SimpleHeaderConverter), the default header
// converter: a header value is written as its string form (Values.convertToString) in UTF-8 and read
// back with its type inferred (Values.parseString); text that cannot be read comes back as bytes.
import { ConfigDef, NULL_SCHEMA_AND_VALUE, Schemas } from '../api/index.ts';
import type { ConverterConfig, HeaderConverter, Schema, SchemaAndValue } from '../api/index.ts';
import { convertToString, parseString } from './values.ts';

export class SimpleHeaderConverter implements HeaderConverter {
  config(): ConfigDef {
    return new ConfigDef();
  }

  configure(_configs: ConverterConfig): void {}

  fromConnectHeader(
    _topic: string,
    _headerKey: string,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (value === null || value === undefined) return null;
    return Buffer.from(convertToString(schema, value) as string, 'utf8');
  }

  toConnectHeader(_topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    try {
      const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
      return parseString(text) ?? NULL_SCHEMA_AND_VALUE;
    } catch {
      // Java logs a warning and keeps the raw bytes.
      return { schema: Schemas.BYTES, value };
    }
  }

  close(): void {}
}
