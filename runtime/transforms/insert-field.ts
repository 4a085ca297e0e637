// InsertField$Key / InsertField$Value: adds fields from the record's topic, partition, offset (sink
// records only) and timestamp, or a static string. A name ending in `!` makes a required field, `?`
// (the default) an optional one.
import {
  ConfigDef,
  deriveStruct,
  Schemas,
  SchemaCache,
  SchemaBuilder,
  copySchemaBasics,
  timestampSchema,
} from '../api/index.ts';
import type { ConnectRecord, Schema, Struct, Transformation } from '../api/index.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireMap, requireSinkRecord, requireStruct } from './support/requirements.ts';
import {
  configError,
  defineReplaceNullWithDefault,
  invalidConfig,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from './support/transform-config.ts';

const TOPIC_FIELD = 'topic.field';
const PARTITION_FIELD = 'partition.field';
const OFFSET_FIELD = 'offset.field';
const TIMESTAMP_FIELD = 'timestamp.field';
const STATIC_FIELD = 'static.field';
const STATIC_VALUE = 'static.value';
const PURPOSE = 'field insertion';

const OPTIONALITY_DOC =
  'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).';

const optionalString = (documentation: string) =>
  ({ type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation }) as const;

export const INSERT_FIELD_CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define(TOPIC_FIELD, optionalString(`Field name for Kafka topic. ${OPTIONALITY_DOC}`))
    .define(PARTITION_FIELD, optionalString(`Field name for Kafka partition. ${OPTIONALITY_DOC}`))
    .define(
      OFFSET_FIELD,
      optionalString(
        `Field name for Kafka offset - only applicable to sink connectors.<br/>${OPTIONALITY_DOC}`,
      ),
    )
    .define(TIMESTAMP_FIELD, optionalString(`Field name for record timestamp. ${OPTIONALITY_DOC}`))
    .define(STATIC_FIELD, optionalString(`Field name for static data field. ${OPTIONALITY_DOC}`))
    .define(STATIC_VALUE, optionalString('Static field value, if field name configured.')),
);

interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

export class InsertField<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private topicField: InsertionSpec | null = null;
  private partitionField: InsertionSpec | null = null;
  private offsetField: InsertionSpec | null = null;
  private timestampField: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private schemaCache = new SchemaCache<Schema>();

  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(INSERT_FIELD_CONFIG_DEF, configs);
    this.topicField = parseSpec(config[TOPIC_FIELD] as string | null);
    this.partitionField = parseSpec(config[PARTITION_FIELD] as string | null);
    this.offsetField = parseSpec(config[OFFSET_FIELD] as string | null);
    this.timestampField = parseSpec(config[TIMESTAMP_FIELD] as string | null);
    this.staticField = parseSpec(config[STATIC_FIELD] as string | null);
    this.staticValue = config[STATIC_VALUE] as string | null;
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    if (
      !this.topicField &&
      !this.partitionField &&
      !this.offsetField &&
      !this.timestampField &&
      !this.staticField
    ) {
      throw configError(TOPIC_FIELD, 'No field insertion configured');
    }
    if (this.staticField && this.staticValue === null) {
      throw invalidConfig(
        STATIC_VALUE,
        null, // Java prints the spec's identity hash here (InsertField$InsertionSpec@…); Weir names the field.
        `No value specified for static field: ${this.staticField.name}`,
      );
    }
    this.schemaCache = new SchemaCache();
  }

  apply(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (schema === null) return this.applySchemaless(record, requireMap(value, PURPOSE));
    return this.applyWithSchema(record, requireStruct(value, PURPOSE, schema));
  }

  private applySchemaless(record: R, value: Map<string, unknown>): R {
    const updated = new Map(value);
    if (this.topicField) updated.set(this.topicField.name, record.topic);
    if (this.partitionField && record.kafkaPartition !== null) {
      updated.set(this.partitionField.name, record.kafkaPartition);
    }
    if (this.offsetField) updated.set(this.offsetField.name, offsetOf(record));
    if (this.timestampField && record.timestamp !== null)
      updated.set(this.timestampField.name, record.timestamp);
    if (this.staticField && this.staticValue !== null) updated.set(this.staticField.name, this.staticValue);
    return this.side.with(record, null, updated);
  }

  private applyWithSchema(record: R, value: Struct): R {
    const updatedSchema = this.schemaCache.getOrCompute(value.schema, (schema) => this.updatedSchema(schema));
    const inserted = new Map<string, unknown>();
    if (this.topicField) inserted.set(this.topicField.name, record.topic);
    if (this.partitionField && record.kafkaPartition !== null) {
      inserted.set(this.partitionField.name, record.kafkaPartition);
    }
    if (this.offsetField) inserted.set(this.offsetField.name, offsetOf(record));
    if (this.timestampField && record.timestamp !== null) {
      inserted.set(this.timestampField.name, new Date(record.timestamp));
    }
    if (this.staticField && this.staticValue !== null) inserted.set(this.staticField.name, this.staticValue);
    const original = new Set((value.schema.fields ?? []).map((f) => f.name));
    const struct = deriveStruct(updatedSchema, (field) => {
      if (inserted.has(field.name)) return inserted.get(field.name);
      if (!original.has(field.name)) return undefined;
      return this.replaceNullWithDefault ? value.get(field.name) : value.getWithoutDefault(field.name);
    });
    return this.side.with(record, updatedSchema, struct);
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields ?? []) builder.field(field.name, field.schema);
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema) => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required);
    };
    add(this.topicField, Schemas.OPTIONAL_STRING, Schemas.STRING);
    add(this.partitionField, Schemas.OPTIONAL_INT32, Schemas.INT32);
    add(this.offsetField, Schemas.OPTIONAL_INT64, Schemas.INT64);
    add(this.timestampField, OPTIONAL_TIMESTAMP, TIMESTAMP);
    add(this.staticField, Schemas.OPTIONAL_STRING, Schemas.STRING);
    return builder.build();
  }

  config(): ConfigDef {
    return INSERT_FIELD_CONFIG_DEF;
  }

  close(): void {}
}

const TIMESTAMP = timestampSchema().build();
const OPTIONAL_TIMESTAMP = timestampSchema().optional().build();

/** A sink record's offset as a Connect int64 (a number when exact, as JsonConverter reads one). */
function offsetOf(record: ConnectRecord): number | bigint {
  const offset = requireSinkRecord(record, PURPOSE).kafkaOffset;
  return offset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(offset) : offset;
}
