// SetSchemaMetadata$Key / SetSchemaMetadata$Value: sets the name and/or version of the key or value
// schema; a struct is copied onto the renamed schema.
import { ConfigDef, DataException, deriveStruct, Struct, withSchemaChanges } from '../api/index.ts';
import type { ConnectRecord, Schema, Transformation } from '../api/index.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireSchema } from './support/requirements.ts';
import {
  configError,
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from './support/transform-config.ts';

const SCHEMA_NAME = 'schema.name';
const SCHEMA_VERSION = 'schema.version';

export const SET_SCHEMA_METADATA_CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define(SCHEMA_NAME, {
      type: 'STRING',
      defaultValue: null,
      importance: 'HIGH',
      documentation: 'Schema name to set.',
    })
    .define(SCHEMA_VERSION, {
      type: 'INT',
      defaultValue: null,
      importance: 'HIGH',
      documentation: 'Schema version to set.',
    }),
);

export class SetSchemaMetadata<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private replaceNullWithDefault = true;

  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(SET_SCHEMA_METADATA_CONFIG_DEF, configs);
    this.schemaName = config[SCHEMA_NAME] as string | null;
    this.schemaVersion = config[SCHEMA_VERSION] as number | null;
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    if (this.schemaName === null && this.schemaVersion === null) {
      throw configError(SCHEMA_NAME, 'Neither schema name nor version configured');
    }
  }

  apply(record: R): R {
    const value = this.side.value(record);
    const schema = this.side.schema(record);
    if (value === null && schema === null) return record;
    requireSchema(schema, 'updating schema metadata');
    // Java builds the new schema from schema.fields(), which only a struct schema has.
    if (schema.type !== 'struct') throw new DataException('Cannot list fields on non-struct type');
    const updatedSchema = withSchemaChanges(schema, {
      name: this.schemaName ?? undefined,
      version: this.schemaVersion ?? undefined,
    });
    return this.side.with(record, updatedSchema, this.updateSchemaIn(value, updatedSchema));
  }

  /** A struct moved onto the renamed schema (its fields are the same); other values as they are. */
  private updateSchemaIn(value: unknown, updatedSchema: Schema): unknown {
    if (!(value instanceof Struct)) return value;
    return deriveStruct(updatedSchema, (field) =>
      this.replaceNullWithDefault ? value.get(field.name) : value.getWithoutDefault(field.name),
    );
  }

  config(): ConfigDef {
    return SET_SCHEMA_METADATA_CONFIG_DEF;
  }

  close(): void {}
}
