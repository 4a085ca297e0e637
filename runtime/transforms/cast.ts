// Cast$Key / Cast$Value: casts top-level fields, or the whole key or value, to another primitive type
// (spec=field:type,… or spec=type). Binary can only be cast to a (base64) string.
import {
  ConfigDef,
  copySchemaBasics,
  deriveStruct,
  fieldOf,
  SCHEMA_TYPES,
  SchemaBuilder,
  SchemaCache,
} from '../api/index.ts';
import type { ConnectRecord, Schema, SchemaType, Transformation } from '../api/index.ts';
import { castValueToType, SUPPORTED_OUTPUT_TYPES, typeList } from './support/cast-values.ts';
import { javaSplit } from './support/java-strings.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireMap, requireStruct } from './support/requirements.ts';
import {
  configError,
  defineReplaceNullWithDefault,
  invalidConfig,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  validator,
} from './support/transform-config.ts';

const SPEC_CONFIG = 'spec';
const PURPOSE = 'cast types';

/** What a spec asks for: one type for the whole key or value, or a type per top-level field. */
export interface CastSpec {
  readonly wholeValue: SchemaType | null;
  readonly fields: ReadonlyMap<string, SchemaType>;
}

function outputType(text: string): SchemaType {
  const type = SCHEMA_TYPES.find((t) => t.toUpperCase() === text.toUpperCase());
  if (!type) {
    // Java passes the enum lookup's exception as the "value" of ConfigException(name, value).
    throw invalidConfig(
      `Invalid type found in casting spec: ${text}`,
      `java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.${text.toUpperCase()}`,
    );
  }
  if (!SUPPORTED_OUTPUT_TYPES.includes(type)) {
    throw configError(
      SPEC_CONFIG,
      `Cast transformation does not support casting to ${type.toUpperCase()}; supported types are ${typeList(SUPPORTED_OUTPUT_TYPES)}`,
    );
  }
  return type;
}

/** Parses `spec` as Cast.parseFieldTypes, with its errors (a bad pair names `renames`, as in Java). */
export function parseCastSpec(mappings: readonly string[]): CastSpec {
  let wholeValue: SchemaType | null = null;
  const fields = new Map<string, SchemaType>();
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length > 2) throw invalidConfig('renames', mappings, `Invalid rename mapping: ${mapping}`);
    if (parts.length === 1) {
      wholeValue = outputType((parts[0] as string).trim());
    } else if (parts.length === 2) {
      fields.set((parts[0] as string).trim(), outputType((parts[1] as string).trim()));
    } else {
      // Java fails here with an ArrayIndexOutOfBoundsException.
      throw configError(SPEC_CONFIG, `Invalid cast mapping: ${mapping}`);
    }
  }
  if (wholeValue !== null && mappings.length > 1) {
    throw configError(
      SPEC_CONFIG,
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    );
  }
  return { wholeValue, fields };
}

export const CAST_CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef().define(SPEC_CONFIG, {
    type: 'LIST',
    validator: validator(
      'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
      (name, value) => {
        const list = value as string[] | null;
        if (list === null || list.length === 0)
          throw configError(name, 'Must specify at least one field to cast.');
        parseCastSpec(list);
      },
    ),
    importance: 'HIGH',
    documentation:
      'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of ' +
      'Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, ' +
      'int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
  }),
);

export class Cast<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private spec: CastSpec = { wholeValue: null, fields: new Map() };
  private replaceNullWithDefault = true;
  private schemaCache = new SchemaCache<Schema>();
  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(CAST_CONFIG_DEF, configs);
    this.spec = parseCastSpec(config[SPEC_CONFIG] as string[]);
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.schemaCache = new SchemaCache();
  }

  apply(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    const { wholeValue, fields } = this.spec;
    if (schema === null) {
      if (wholeValue !== null) return this.side.with(record, null, castValueToType(null, value, wholeValue));
      const map = requireMap(value, PURPOSE);
      const updated = new Map(map);
      for (const [field, type] of fields)
        updated.set(field, castValueToType(null, map.get(field) ?? null, type));
      return this.side.with(record, null, updated);
    }
    const updatedSchema = this.schemaCache.getOrCompute(schema, (s) => this.updatedSchema(s));
    if (wholeValue !== null) {
      return this.side.with(record, updatedSchema, castValueToType(schema, value, wholeValue));
    }
    const struct = requireStruct(value, PURPOSE, schema);
    const updated = deriveStruct(updatedSchema, (field) => {
      const original = fieldOf(struct.schema, field.name);
      if (!original) return undefined;
      const fieldValue = this.replaceNullWithDefault
        ? struct.get(field.name)
        : struct.getWithoutDefault(field.name);
      const type = fields.get(field.name);
      return type === undefined ? fieldValue : castValueToType(original.schema, fieldValue, type);
    });
    return this.side.with(record, updatedSchema, updated);
  }

  private updatedSchema(schema: Schema): Schema {
    const { wholeValue, fields } = this.spec;
    let builder: SchemaBuilder;
    if (wholeValue !== null) {
      builder = copySchemaBasics(schema, new SchemaBuilder(wholeValue));
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields ?? []) {
        const type = fields.get(field.name);
        if (type === undefined) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fieldBuilder = new SchemaBuilder(type);
        if (field.schema.optional) fieldBuilder.optional();
        if (field.schema.defaultValue !== undefined && field.schema.defaultValue !== null) {
          fieldBuilder.defaultValue(castValueToType(field.schema, field.schema.defaultValue, type));
        }
        builder.field(field.name, fieldBuilder.build());
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
      builder.defaultValue(castValueToType(schema, schema.defaultValue, builder.build().type));
    }
    return builder.build();
  }

  config(): ConfigDef {
    return CAST_CONFIG_DEF;
  }

  close(): void {}
}
