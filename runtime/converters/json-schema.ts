// Connect schemas to and from their JSON form in JsonConverter's envelope, as JsonConverter's
// asJsonSchema / asConnectSchema. Keys appear in Java's order: type, then items | keys, values |
// fields, then optional, name, version, doc, parameters, default; a struct field's "field" comes last.
import { DataException, SchemaBuilder } from '../api/index.ts';
import type { Schema, SchemaType } from '../api/index.ts';
import { JsonNumber, JsonObject, quoteJson } from './json-text.ts';
import type { JsonNode } from './json-text.ts';
import { readJsonValue, writeJsonValue } from './json-values.ts';
import type { JsonValueOptions } from './json-values.ts';

const JSON_TYPE_NAMES: Record<SchemaType, string> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
};
const SCHEMA_TYPES = new Map(
  Object.entries(JSON_TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]),
);

/** A least-recently-used cache, as Kafka's LRUCache: a size of 0 or less caches nothing. */
class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  private readonly maxSize: number;

  constructor(maxSize: number) {
    this.maxSize = maxSize;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.maxSize <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value as K);
  }

  get size(): number {
    return this.entries.size;
  }
}

export class JsonSchemaCodec {
  private readonly options: JsonValueOptions;
  /** Schema object → its JSON text. */
  private readonly toJsonCache: LruCache<Schema, string>;
  /** A schema's JSON source text → the Schema built from it. */
  private readonly fromJsonCache: LruCache<string, Schema>;

  constructor(options: JsonValueOptions, cacheSize: number) {
    this.options = options;
    this.toJsonCache = new LruCache(cacheSize);
    this.fromJsonCache = new LruCache(cacheSize);
  }

  /** How many schemas each cache holds (for tests). */
  cacheSizes(): { toJson: number; fromJson: number } {
    return { toJson: this.toJsonCache.size, fromJson: this.fromJsonCache.size };
  }

  toJson(schema: Schema): string {
    const cached = this.toJsonCache.get(schema);
    if (cached !== undefined) return cached;
    let json = `{"type":"${JSON_TYPE_NAMES[schema.type]}"`;
    switch (schema.type) {
      case 'array':
        json += `,"items":${this.element(schema.valueSchema)}`;
        break;
      case 'map':
        json += `,"keys":${this.element(schema.keySchema)},"values":${this.element(schema.valueSchema)}`;
        break;
      case 'struct': {
        const fields = (schema.fields ?? []).map(
          (field) => `${this.toJson(field.schema).slice(0, -1)},"field":${quoteJson(field.name)}}`,
        );
        json += `,"fields":[${fields.join(',')}]`;
        break;
      }
    }
    json += `,"optional":${schema.optional}`;
    if (schema.name !== undefined) json += `,"name":${quoteJson(schema.name)}`;
    if (schema.version !== undefined) json += `,"version":${schema.version}`;
    if (schema.doc !== undefined) json += `,"doc":${quoteJson(schema.doc)}`;
    if (schema.parameters !== undefined) {
      const parameters = Object.entries(schema.parameters).map(([k, v]) => `${quoteJson(k)}:${quoteJson(v)}`);
      json += `,"parameters":{${parameters.join(',')}}`;
    }
    if (schema.defaultValue != null) {
      json += `,"default":${writeJsonValue(schema, schema.defaultValue, this.options)}`;
    }
    json += '}';
    this.toJsonCache.set(schema, json);
    return json;
  }

  /** An element schema; none (an array or map schema Values.parseString made) is null, as in Java. */
  private element(schema: Schema | undefined): string {
    return schema ? this.toJson(schema) : 'null';
  }

  /** The Schema for a JSON schema node; `text` is the document the node was parsed from. */
  fromJson(node: JsonNode | undefined, text: string): Schema | null {
    if (node === null || node === undefined) return null;
    const key = node instanceof JsonObject ? text.slice(node.start, node.end) : undefined;
    const cached = key === undefined ? undefined : this.fromJsonCache.get(key);
    if (cached) return cached;
    const schema = this.build(node, text);
    if (key !== undefined) this.fromJsonCache.set(key, schema);
    return schema;
  }

  private build(node: JsonNode, text: string): Schema {
    const fields = node instanceof JsonObject ? node.fields : new Map<string, JsonNode>();
    const typeName = fields.get('type');
    if (typeof typeName !== 'string') throw new DataException("Schema must contain 'type' field");
    const type = SCHEMA_TYPES.get(typeName);
    if (type === undefined) throw new DataException(`Unknown schema type: ${typeName}`);
    let builder: SchemaBuilder;
    switch (type) {
      case 'array': {
        const items = this.fromJson(fields.get('items'), text);
        if (!items) throw new DataException('Array schema did not specify the element type');
        builder = SchemaBuilder.array(items);
        break;
      }
      case 'map': {
        const keys = this.fromJson(fields.get('keys'), text);
        if (!keys) throw new DataException('Map schema did not specify the key type');
        const values = this.fromJson(fields.get('values'), text);
        if (!values) throw new DataException('Map schema did not specify the value type');
        builder = SchemaBuilder.map(keys, values);
        break;
      }
      case 'struct': {
        builder = SchemaBuilder.struct();
        const structFields = fields.get('fields');
        if (!Array.isArray(structFields)) {
          throw new DataException('Struct schema\'s "fields" argument is not an array.');
        }
        for (const field of structFields) {
          const name = field instanceof JsonObject ? field.fields.get('field') : undefined;
          if (typeof name !== 'string')
            throw new DataException("Struct schema's field name not specified properly");
          builder.field(name, this.fromJson(field, text) as Schema);
        }
        break;
      }
      default:
        builder = new SchemaBuilder(type);
    }
    if (fields.get('optional') === true) builder.optional();
    const name = fields.get('name');
    if (typeof name === 'string') builder.name(name);
    const version = fields.get('version');
    if (version instanceof JsonNumber && version.integral) builder.version(Number(version.text));
    const doc = fields.get('doc');
    if (typeof doc === 'string') builder.doc(doc);
    const parameters = fields.get('parameters');
    if (parameters instanceof JsonObject) {
      for (const [key, value] of parameters.fields) {
        if (typeof value !== 'string') throw new DataException('Schema parameters must have string values.');
        builder.parameter(key, value);
      }
    }
    if (fields.has('default')) {
      const value = readJsonValue(builder.build(), fields.get('default'), this.options);
      if (value !== null) builder.defaultValue(value);
    }
    return builder.build();
  }
}
