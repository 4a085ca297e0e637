// JsonConverter (org.apache.kafka.connect.json.JsonConverter): Connect data as JSON. With
// schemas.enable (the default) every message is an envelope {"schema": …, "payload": …} that Java
// Connect reads and writes byte for byte alike; without it the payload alone, read back schemaless
// (objects become Maps, integers int64, other numbers float64).
//
// Where Weir differs from Java: a payload that does not fit its schema (a string for an int32, 300
// for an int8, 1.7 for an int32, a number for a string) is refused with a DataException, where Java
// silently reads 0, 44, 1 or null; schemaless JSON objects keep their key order (Java's HashMap does
// not); a whole double read without a schema (1.0) is written back as 1, JavaScript having one number
// type; floats print as JDK 19+ does (shortest digits), where JDK 17 sometimes prints more; error
// messages carry the underlying cause after Java's text.
import { DataException, NULL_SCHEMA_AND_VALUE, Validators } from '../api/index.ts';
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
import type { ConverterType } from './converter-config.ts';
import { JsonSchemaCodec } from './json-schema.ts';
import { JsonObject, parseJson } from './json-text.ts';
import type { JsonNode } from './json-text.ts';
import { readJsonValue, writeJsonValue } from './json-values.ts';
import type { JsonValueOptions } from './json-values.ts';

export const SCHEMAS_ENABLE_CONFIG = 'schemas.enable';
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.size';
export const DECIMAL_FORMAT_CONFIG = 'decimal.format';
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';

export const ENVELOPE_ERROR =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.' +
  ' If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

export function jsonConverterConfigDef(): ConfigDef {
  return converterConfigDef()
    .define(SCHEMAS_ENABLE_CONFIG, {
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'HIGH',
      documentation: 'Include schemas within each of the serialized values and keys.',
      group: 'Schemas',
      orderInGroup: 0,
      width: 'MEDIUM',
      displayName: 'Enable Schemas',
    })
    .define(SCHEMAS_CACHE_SIZE_CONFIG, {
      type: 'INT',
      defaultValue: 1000,
      importance: 'HIGH',
      documentation: 'The maximum number of schemas that can be cached in this converter instance.',
      group: 'Schemas',
      orderInGroup: 1,
      width: 'MEDIUM',
      displayName: 'Schema Cache Size',
    })
    .define(DECIMAL_FORMAT_CONFIG, {
      type: 'STRING',
      defaultValue: 'BASE64',
      // Java keeps the choices in a HashSet, so its error message lists NUMERIC first.
      validator: Validators.inIgnoreCase('NUMERIC', 'BASE64'),
      importance: 'LOW',
      documentation:
        'Controls which format this converter will serialize decimals in. This value is case insensitive ' +
        "and can be either 'BASE64' (default) or 'NUMERIC'",
      group: 'Serialization',
      orderInGroup: 0,
      width: 'MEDIUM',
      displayName: 'Decimal Format',
    })
    .define(REPLACE_NULL_WITH_DEFAULT_CONFIG, {
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      documentation:
        'Whether to replace fields that have a default value and that are null to the default value. ' +
        'When set to true, the default value is used, otherwise null is used.',
      group: 'Serialization',
      orderInGroup: 1,
      width: 'MEDIUM',
      displayName: 'Replace null with default',
    });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class JsonConverter implements Converter, HeaderConverter {
  private schemasEnabled = true;
  private converterType: ConverterType = 'value';
  private options: JsonValueOptions = { decimalFormat: 'BASE64', replaceNullWithDefault: true };
  private schemas = new JsonSchemaCodec(this.options, 1000);

  config(): ConfigDef {
    return jsonConverterConfigDef();
  }

  configure(configs: ConverterConfig, isKey?: boolean): void {
    const settings = parseConverterConfig(this.config(), configs, isKey);
    this.converterType = settings['converter.type'] as ConverterType;
    this.schemasEnabled = settings[SCHEMAS_ENABLE_CONFIG] as boolean;
    this.options = {
      decimalFormat: String(settings[DECIMAL_FORMAT_CONFIG]).toUpperCase() as 'BASE64' | 'NUMERIC',
      replaceNullWithDefault: settings[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean,
    };
    this.schemas = new JsonSchemaCodec(this.options, settings[SCHEMAS_CACHE_SIZE_CONFIG] as number);
  }

  /** key, value or header: how this instance was configured. */
  type(): ConverterType {
    return this.converterType;
  }

  fromConnectData(
    _topic: string,
    _headers: Headers,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const payload = writeJsonValue(schema, value, this.options);
    if (!this.schemasEnabled) return Buffer.from(payload, 'utf8');
    const schemaJson = schema === null ? 'null' : this.schemas.toJson(schema);
    return Buffer.from(`{"schema":${schemaJson},"payload":${payload}}`, 'utf8');
  }

  toConnectData(_topic: string, _headers: Headers, value: Uint8Array | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    let text: string;
    let node: JsonNode | undefined;
    try {
      text = UTF8.decode(value);
      node = parseJson(text);
    } catch (error) {
      throw new DataException(
        `Converting byte[] to Kafka Connect data failed due to serialization error: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (!this.schemasEnabled) return { schema: null, value: readJsonValue(null, node, this.options) };
    if (
      !(node instanceof JsonObject) ||
      node.fields.size !== 2 ||
      !node.fields.has('schema') ||
      !node.fields.has('payload')
    ) {
      throw new DataException(ENVELOPE_ERROR);
    }
    const schema = this.schemas.fromJson(node.fields.get('schema'), text);
    return { schema, value: readJsonValue(schema, node.fields.get('payload'), this.options) };
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

  /** The schema caches' sizes, schema → JSON and JSON → schema. */
  cacheSizes(): { toJson: number; fromJson: number } {
    return this.schemas.cacheSizes();
  }

  close(): void {}
}
