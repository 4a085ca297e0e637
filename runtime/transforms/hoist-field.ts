// HoistField$Key / HoistField$Value: wraps the key or value in a struct (with a schema) or a map
// (without) of one field.
import { ConfigDef, SchemaBuilder, SchemaCache, Struct } from '../api/index.ts';
import type { ConnectRecord, Schema, Transformation } from '../api/index.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';

const FIELD_CONFIG = 'field';

export const HOIST_FIELD_CONFIG_DEF = new ConfigDef().define(FIELD_CONFIG, {
  type: 'STRING',
  importance: 'MEDIUM',
  documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
});

export class HoistField<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private fieldName = '';
  private schemaCache = new SchemaCache<Schema>();

  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    this.fieldName = simpleConfig(HOIST_FIELD_CONFIG_DEF, configs)[FIELD_CONFIG] as string;
    this.schemaCache = new SchemaCache();
  }

  apply(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) return this.side.with(record, null, new Map([[this.fieldName, value]]));
    const updatedSchema = this.schemaCache.getOrCompute(schema, () =>
      SchemaBuilder.struct().field(this.fieldName, schema).build(),
    );
    return this.side.with(record, updatedSchema, new Struct(updatedSchema).put(this.fieldName, value));
  }

  config(): ConfigDef {
    return HOIST_FIELD_CONFIG_DEF;
  }

  close(): void {}
}
