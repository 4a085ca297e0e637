// Deriving schemas and structs from existing ones, as transforms do: Java's SchemaUtil.copySchemaBasics,
// ConnectSchema's constructor over another schema's parts, and the LRU schema caches of Kafka's
// transforms (SynchronizedCache(LRUCache(16))).
import { DataException } from './errors.ts';
import { fieldOf, SchemaBuilder, Struct, schemasEqual } from './schema.ts';
import type { Field, Schema } from './schema.ts';

/**
 * Copies name, version, doc and parameters of `source` onto `builder` (by default a new builder of
 * the same type; an array's value schema comes along), as SchemaUtil.copySchemaBasics. Optionality,
 * default value and fields are left to the caller.
 */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  const target =
    builder ??
    (source.type === 'array' && source.valueSchema
      ? SchemaBuilder.array(source.valueSchema)
      : new SchemaBuilder(source.type));
  if (source.name !== undefined) target.name(source.name);
  if (source.version !== undefined) target.version(source.version);
  if (source.doc !== undefined) target.doc(source.doc);
  if (source.parameters) target.parameters({ ...source.parameters });
  return target;
}

/** Settable parts of a schema; `undefined` leaves a part as it is, `null` removes it. */
export interface SchemaChanges {
  readonly optional?: boolean;
  readonly name?: string | null;
  readonly version?: number | null;
  readonly doc?: string | null;
  readonly defaultValue?: unknown;
}

/**
 * `schema` with some parts replaced and everything else (fields, key and value schemas, default)
 * kept, as `new ConnectSchema(type, optional, default, name, version, doc, params, fields, …)`.
 */
export function withSchemaChanges(schema: Schema, changes: SchemaChanges): Schema {
  const out: Record<string, unknown> = { ...schema };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return Object.freeze(out) as unknown as Schema;
}

/** The schema with the same parts but optional (or required): Weir's SchemaBuilder over an existing schema. */
export function withOptionality(schema: Schema, optional: boolean): Schema {
  return schema.optional === optional ? schema : withSchemaChanges(schema, { optional });
}

/** Schema.field(name) in Java: the field or undefined, and a DataException on a non-struct schema. */
export function lookUpField(schema: Schema, name: string): Field | undefined {
  if (schema.type !== 'struct') throw new DataException('Cannot look up fields on non-struct type');
  return fieldOf(schema, name);
}

/**
 * A new Struct of `schema` whose fields are `valueOf(field)`; puts validate as Struct.put does, and a
 * field for which `valueOf` returns undefined is left unset.
 */
export function deriveStruct(schema: Schema, valueOf: (field: Field) => unknown): Struct {
  const struct = new Struct(schema);
  for (const field of schema.fields ?? []) {
    const value = valueOf(field);
    if (value !== undefined) struct.put(field.name, value);
  }
  return struct;
}

/**
 * A least-recently-used map from schemas to what a transform derived from them, 16 entries as in
 * Kafka's transforms. Schemas match by identity first, then structurally (as Java's equals): a
 * converter may build an equal schema for every record.
 */
export class SchemaCache<V> {
  private readonly entries = new Map<Schema, V>();
  private readonly capacity: number;

  constructor(capacity = 16) {
    this.capacity = capacity;
  }

  get(schema: Schema): V | undefined {
    let key: Schema | undefined = this.entries.has(schema) ? schema : undefined;
    if (key === undefined) {
      for (const candidate of this.entries.keys()) {
        if (schemasEqual(candidate, schema)) {
          key = candidate;
          break;
        }
      }
    }
    if (key === undefined) return undefined;
    const value = this.entries.get(key) as V;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  put(schema: Schema, value: V): void {
    this.entries.delete(schema);
    this.entries.set(schema, value);
    if (this.entries.size > this.capacity) {
      const eldest = this.entries.keys().next().value as Schema;
      this.entries.delete(eldest);
    }
  }

  /** The cached value for `schema`, computed and stored on a miss. */
  getOrCompute(schema: Schema, compute: (schema: Schema) => V): V {
    const cached = this.get(schema);
    if (cached !== undefined) return cached;
    const value = compute(schema);
    this.put(schema, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
