// ReplaceField$Key / ReplaceField$Value: keeps only some fields (exclude wins over include) and
// renames others (renames=old:new,…).
import {
  ConfigDef,
  copySchemaBasics,
  deriveStruct,
  SchemaBuilder,
  SchemaCache,
  Validators,
} from '../api/index.ts';
import type { ConnectRecord, Schema, Struct, Transformation } from '../api/index.ts';
import { javaHashMapEntries } from './support/java-hash-map.ts';
import { javaSplit } from './support/java-strings.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireMap, requireStruct } from './support/requirements.ts';
import {
  defineReplaceNullWithDefault,
  invalidConfig,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  validator,
} from './support/transform-config.ts';

const EXCLUDE = 'exclude';
const INCLUDE = 'include';
const RENAMES = 'renames';
const PURPOSE = 'field replacement';

/** old:new pairs, with Java's error for any entry that is not exactly one pair. */
export function parseRenameMappings(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length !== 2) throw invalidConfig(RENAMES, mappings, `Invalid rename mapping: ${mapping}`);
    renames.set(parts[0] as string, parts[1] as string);
  }
  return renames;
}

export const REPLACE_FIELD_CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define(EXCLUDE, {
      type: 'LIST',
      defaultValue: [],
      validator: Validators.anyNonDuplicateValues(true, false),
      importance: 'MEDIUM',
      documentation: 'Fields to exclude. This takes precedence over the fields to include.',
    })
    .define(INCLUDE, {
      type: 'LIST',
      defaultValue: [],
      validator: Validators.anyNonDuplicateValues(true, false),
      importance: 'MEDIUM',
      documentation: 'Fields to include. If specified, only these fields will be used.',
    })
    .define(RENAMES, {
      type: 'LIST',
      defaultValue: [],
      validator: validator(
        'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
        (_name, value) => {
          parseRenameMappings(value as string[]);
        },
      ),
      importance: 'MEDIUM',
      documentation: 'Field rename mappings.',
    }),
);

export class ReplaceField<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private exclude = new Set<string>();
  private include = new Set<string>();
  private renames = new Map<string, string>();
  private reverseRenames = new Map<string, string>();
  private replaceNullWithDefault = true;
  private schemaCache = new SchemaCache<Schema>();
  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(REPLACE_FIELD_CONFIG_DEF, configs);
    this.exclude = new Set(config[EXCLUDE] as string[]);
    this.include = new Set(config[INCLUDE] as string[]);
    this.renames = parseRenameMappings(config[RENAMES] as string[]);
    this.reverseRenames = new Map([...this.renames].map(([from, to]) => [to, from]));
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.schemaCache = new SchemaCache();
  }

  private kept(name: string): boolean {
    return !this.exclude.has(name) && (this.include.size === 0 || this.include.has(name));
  }

  private renamed(name: string): string {
    return this.renames.get(name) ?? name;
  }

  apply(record: R): R {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (schema === null) {
      const updated = new Map<string, unknown>();
      // Java iterates its HashMap: that order decides which of two keys renamed alike wins.
      for (const [name, fieldValue] of javaHashMapEntries(requireMap(value, PURPOSE))) {
        if (this.kept(name)) updated.set(this.renamed(name), fieldValue);
      }
      return this.side.with(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE, schema);
    const updatedSchema = this.schemaCache.getOrCompute(struct.schema, (s) => this.updatedSchema(s));
    return this.side.with(record, updatedSchema, this.updatedStruct(struct, updatedSchema));
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields ?? []) {
      if (this.kept(field.name)) builder.field(this.renamed(field.name), field.schema);
    }
    return builder.build();
  }

  private updatedStruct(struct: Struct, updatedSchema: Schema): Struct {
    return deriveStruct(updatedSchema, (field) => {
      const original = this.reverseRenames.get(field.name) ?? field.name;
      return this.replaceNullWithDefault ? struct.get(original) : struct.getWithoutDefault(original);
    });
  }

  config(): ConfigDef {
    return REPLACE_FIELD_CONFIG_DEF;
  }

  close(): void {}
}
