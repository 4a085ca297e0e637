// Converters turn Connect data into bytes for Kafka and back; header converters do the same for
// header values. Each connector has a key, a value and a header converter.
import type { ConfigDef } from './config.ts';
import type { Headers } from './records.ts';
import type { Schema, SchemaAndValue } from './schema.ts';

/** Settings for a converter: its prefix removed (`value.converter.schemas.enable` → `schemas.enable`). */
export type ConverterConfig = Readonly<Record<string, string>>;

export interface Converter {
  configure(configs: ConverterConfig, isKey: boolean): void;
  fromConnectData(topic: string, headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null;
  toConnectData(topic: string, headers: Headers, value: Uint8Array | null): SchemaAndValue;
  config(): ConfigDef;
  close?(): void;
}

export interface HeaderConverter {
  configure(configs: ConverterConfig): void;
  fromConnectHeader(
    topic: string,
    headerKey: string,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null;
  toConnectHeader(topic: string, headerKey: string, value: Uint8Array | null): SchemaAndValue;
  config(): ConfigDef;
  close?(): void;
}
