// HeaderFrom$Key / HeaderFrom$Value: copies or moves fields of the key or value into headers, each
// field to the header at the same position in `headers`.
import {
  ConfigDef,
  copySchemaBasics,
  DataException,
  deriveStruct,
  fieldOf,
  lookUpField,
  SchemaBuilder,
  SchemaCache,
  Validators,
} from '../api/index.ts';
import type { ConnectRecord, Header, Schema, Struct, Transformation } from '../api/index.ts';
import { NullPointerException } from './support/java-exceptions.ts';
import { javaSchemaString } from './support/java-types.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireMap, requireStruct } from './support/requirements.ts';
import {
  configError,
  defineReplaceNullWithDefault,
  nonEmptyList,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from './support/transform-config.ts';

const FIELDS = 'fields';
const HEADERS = 'headers';
const OPERATION = 'operation';

export const HEADER_FROM_CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define(FIELDS, {
      type: 'LIST',
      validator: nonEmptyList(),
      importance: 'HIGH',
      documentation: 'Field names in the record whose values are to be copied or moved to headers.',
    })
    .define(HEADERS, {
      type: 'LIST',
      validator: nonEmptyList(),
      importance: 'HIGH',
      documentation:
        'Header names, in the same order as the field names listed in the fields configuration property.',
    })
    .define(OPERATION, {
      type: 'STRING',
      validator: Validators.in('move', 'copy'),
      importance: 'HIGH',
      documentation:
        'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), ' +
        'or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
    }),
);

export class HeaderFrom<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private fields: string[] = [];
  private headers: string[] = [];
  private operation: 'move' | 'copy' = 'copy';
  private replaceNullWithDefault = true;
  private readonly moveSchemaCache = new SchemaCache<Schema>();
  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(HEADER_FROM_CONFIG_DEF, configs);
    this.fields = config[FIELDS] as string[];
    this.headers = config[HEADERS] as string[];
    if (this.headers.length !== this.fields.length) {
      throw configError(
        HEADERS,
        `'${FIELDS}' config must have the same number of elements as '${HEADERS}' config.`,
      );
    }
    this.operation = config[OPERATION] as 'move' | 'copy';
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    const purpose = `header ${this.operation}`;
    const headers: Header[] = [...record.headers];
    if (schema === null) {
      const map = requireMap(value, purpose);
      const updated = new Map(map);
      this.fields.forEach((field, i) => {
        if (this.operation === 'move') updated.delete(field);
        headers.push({ key: this.headers[i] as string, schema: null, value: map.get(field) ?? null });
      });
      return this.side.with(record, null, updated, headers);
    }
    const struct = requireStruct(value, purpose, schema);
    let updatedSchema = schema;
    let updatedValue: Struct = struct;
    if (this.operation === 'move') {
      updatedSchema = this.moveSchemaCache.getOrCompute(schema, (s) => this.moveSchema(s));
      updatedValue = deriveStruct(updatedSchema, (field) => this.fieldValue(struct, field.name));
    }
    this.fields.forEach((name, i) => {
      const valueField = fieldOf(struct.schema, name);
      const fieldValue = valueField ? this.fieldValue(struct, name) : null;
      const field = lookUpField(schema, name);
      if (!field) {
        throw new NullPointerException(
          'Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of ' +
            '"org.apache.kafka.connect.data.Schema.field(String)" is null',
        );
      }
      // ConnectHeaders.add checks the value against its schema.
      if (fieldValue === null && !field.schema.optional) {
        throw new DataException(
          `A null value requires an optional schema but was ${javaSchemaString(field.schema)}`,
        );
      }
      headers.push({ key: this.headers[i] as string, schema: field.schema, value: fieldValue });
    });
    return this.side.with(record, updatedSchema, updatedValue, headers);
  }

  private fieldValue(struct: Struct, name: string): unknown {
    return this.replaceNullWithDefault ? struct.get(name) : struct.getWithoutDefault(name);
  }

  private moveSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields ?? []) {
      if (!this.fields.includes(field.name)) builder.field(field.name, field.schema);
    }
    return builder.build();
  }

  config(): ConfigDef {
    return HEADER_FROM_CONFIG_DEF;
  }

  close(): void {}
}
