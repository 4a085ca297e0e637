// ValueToKey: the key becomes a struct (with a schema) or map (without) of some of the value's fields.
import {
  ConfigDef,
  DataException,
  deriveStruct,
  fieldOf,
  SchemaBuilder,
  SchemaCache,
  withChanges,
  Validators,
} from '../api/index.ts';
import type { ConnectRecord, Schema, Transformation } from '../api/index.ts';
import { simpleConfig } from './support/simple-config.ts';
import { requireMap, requireStruct } from './support/requirements.ts';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from './support/transform-config.ts';

const FIELDS_CONFIG = 'fields';
const PURPOSE = 'copying fields from value to key';

export const VALUE_TO_KEY_CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef().define(FIELDS_CONFIG, {
    type: 'LIST',
    validator: Validators.anyNonDuplicateValues(false, false),
    importance: 'HIGH',
    documentation: 'Field names on the record value to extract as the record key.',
  }),
);

export class ValueToKey<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private fields: string[] = [];
  private replaceNullWithDefault = true;
  private keySchemaCache = new SchemaCache<Schema>();

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(VALUE_TO_KEY_CONFIG_DEF, configs);
    this.fields = config[FIELDS_CONFIG] as string[];
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.keySchemaCache = new SchemaCache();
  }

  apply(record: R): R {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key = new Map(this.fields.map((field) => [field, value.get(field) ?? null]));
      return withChanges(record, { keySchema: null, key });
    }
    const value = requireStruct(record.value, PURPOSE, record.valueSchema);
    const keySchema = this.keySchemaCache.getOrCompute(value.schema, (valueSchema) => {
      const builder = SchemaBuilder.struct();
      for (const name of this.fields) {
        const field = fieldOf(valueSchema, name);
        if (!field) throw new DataException(`Field does not exist: ${name}`);
        builder.field(name, field.schema);
      }
      return builder.build();
    });
    const key = deriveStruct(keySchema, (field) =>
      this.replaceNullWithDefault ? value.get(field.name) : value.getWithoutDefault(field.name),
    );
    // Java writes the struct's own schema back as the value schema.
    return withChanges(record, { keySchema, key, valueSchema: value.schema, value });
  }

  config(): ConfigDef {
    return VALUE_TO_KEY_CONFIG_DEF;
  }

  close(): void {}
}
