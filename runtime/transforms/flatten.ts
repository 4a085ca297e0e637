// Flatten$Key / Flatten$Value: nested structs (with a schema) or maps (without) become one level,
// each field named by its path joined with `delimiter`. Arrays are kept as they are. A field inside
// an optional struct becomes optional, and takes its default from the enclosing struct's default.
import {
  ConfigDef,
  copySchemaBasics,
  DataException,
  PRIMITIVE_SCHEMA_TYPES,
  SchemaBuilder,
  SchemaCache,
  Struct,
} from '../api/index.ts';
import type { ConnectRecord, Schema, SchemaType, Transformation } from '../api/index.ts';
import { javaClass } from './support/java-types.ts';
import { javaHashMapEntries } from './support/java-hash-map.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireMap, requireStructOrNull } from './support/requirements.ts';
import type { SchemalessMap } from './support/requirements.ts';

const DELIMITER_CONFIG = 'delimiter';
const PURPOSE = 'flattening';

export const FLATTEN_CONFIG_DEF = new ConfigDef().define(DELIMITER_CONFIG, {
  type: 'STRING',
  defaultValue: '.',
  importance: 'MEDIUM',
  documentation:
    'Delimiter to insert between field names from the input record when generating field names for the output record',
});

/** Types copied as they are: every primitive and arrays. */
const KEPT_TYPES = new Set<SchemaType>([...PRIMITIVE_SCHEMA_TYPES, 'array']);

export class Flatten<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private delimiter = '.';
  private schemaCache = new SchemaCache<Schema>();
  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    this.delimiter = simpleConfig(FLATTEN_CONFIG_DEF, configs)[DELIMITER_CONFIG] as string;
    this.schemaCache = new SchemaCache();
  }

  apply(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (schema === null) {
      const flat: SchemalessMap = new Map();
      this.flattenMap(requireMap(value, PURPOSE), '', flat);
      return this.side.with(record, null, flat);
    }
    const struct = requireStructOrNull(value, PURPOSE, schema);
    const updatedSchema = this.schemaCache.getOrCompute(schema, (s) => {
      const builder = copySchemaBasics(s, SchemaBuilder.struct());
      this.flattenSchema(s, '', builder, s.optional, (s.defaultValue as Struct | undefined) ?? null);
      return builder.build();
    });
    if (struct === null) return this.side.with(record, updatedSchema, null);
    const flat = new Struct(updatedSchema);
    this.flattenStruct(struct, '', flat);
    return this.side.with(record, updatedSchema, flat);
  }

  private fieldName(prefix: string, name: string): string {
    return prefix === '' ? name : `${prefix}${this.delimiter}${name}`;
  }

  private flattenMap(map: SchemalessMap, prefix: string, flat: SchemalessMap): void {
    // Java iterates its HashMap: that order decides which of two keys flattened alike wins.
    for (const [key, value] of javaHashMapEntries(map)) {
      const name = this.fieldName(prefix, key);
      if (value === null || value === undefined) {
        flat.set(name, null);
      } else if (value instanceof Map) {
        this.flattenMap(requireMap(value, PURPOSE), name, flat);
      } else if (value instanceof Struct) {
        throw new DataException(
          `Flatten transformation does not support ${javaClass(value)} for record without schemas (for field ${name}).`,
        );
      } else if (
        typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'bigint' ||
        typeof value === 'boolean' ||
        value instanceof Uint8Array ||
        Array.isArray(value)
      ) {
        flat.set(name, value);
      } else {
        throw new DataException(
          `Flatten transformation was passed a value of type ${javaClass(value)} which is not supported by Connect's data API`,
        );
      }
    }
  }

  /**
   * Adds the flattened fields of `schema` to `builder`: optional when any enclosing struct is, with
   * the field's own default or else the one the enclosing struct's default holds.
   */
  private flattenSchema(
    schema: Schema,
    prefix: string,
    builder: SchemaBuilder,
    optional: boolean,
    defaultFromParent: Struct | null,
  ): void {
    for (const field of schema.fields ?? []) {
      const name = this.fieldName(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault =
        field.schema.defaultValue !== undefined && field.schema.defaultValue !== null
          ? field.schema.defaultValue
          : defaultFromParent !== null
            ? defaultFromParent.get(field.name)
            : null;
      if (KEPT_TYPES.has(field.schema.type)) {
        const fieldBuilder = copySchemaBasics(field.schema);
        if (fieldOptional) fieldBuilder.optional();
        if (fieldDefault !== null) fieldBuilder.defaultValue(fieldDefault);
        builder.field(name, fieldBuilder.build());
      } else if (field.schema.type === 'struct') {
        this.flattenSchema(field.schema, name, builder, fieldOptional, fieldDefault as Struct | null);
      } else {
        throw unsupported(field.schema.type, name);
      }
    }
  }

  private flattenStruct(struct: Struct, prefix: string, flat: Struct): void {
    for (const field of struct.schema.fields ?? []) {
      const name = this.fieldName(prefix, field.name);
      if (KEPT_TYPES.has(field.schema.type)) {
        flat.put(name, struct.get(field.name));
      } else if (field.schema.type === 'struct') {
        const nested = struct.get(field.name);
        if (nested !== null) this.flattenStruct(nested as Struct, name, flat);
      } else {
        throw unsupported(field.schema.type, name);
      }
    }
  }

  config(): ConfigDef {
    return FLATTEN_CONFIG_DEF;
  }

  close(): void {}
}

function unsupported(type: string, name: string): DataException {
  return new DataException(
    `Flatten transformation does not support ${type.toUpperCase()} for record with schemas (for field ${name}).`,
  );
}
