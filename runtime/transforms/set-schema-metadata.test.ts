import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import { SetSchemaMetadata } from './set-schema-metadata.ts';
import { KEY, VALUE } from './support/record-side.ts';

function setMetadata(configs: Record<string, string>, side = VALUE): SetSchemaMetadata {
  const transform = new SetSchemaMetadata(side);
  transform.configure(configs);
  return transform;
}

describe('SetSchemaMetadata', () => {
  const schema = SchemaBuilder.struct()
    .name('old')
    .version(1)
    .doc('doc')
    .field('a', SchemaBuilder.int32().optional().defaultValue(3).build())
    .build();

  it('renames and versions a struct schema and moves the struct onto it', () => {
    const out = setMetadata({ 'schema.name': 'new', 'schema.version': '4' }).apply(
      sourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema) }),
    );
    expect(out.valueSchema).toMatchObject({ name: 'new', version: 4, doc: 'doc', type: 'struct' });
    expect((out.value as Struct).schema).toBe(out.valueSchema);
    expect((out.value as Struct).getWithoutDefault('a')).toBe(3);
    const keepNull = setMetadata({ 'schema.name': 'new', 'replace.null.with.default': 'false' }).apply(
      sourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema) }),
    );
    expect((keepNull.value as Struct).getWithoutDefault('a')).toBeNull();
    expect(keepNull.valueSchema?.version).toBe(1);
  });

  it('sets a key schema and refuses a primitive one, as Java 4.3 does', () => {
    const out = setMetadata({ 'schema.version': '2' }, KEY).apply(
      sourceRecord({ topic: 't', keySchema: schema, key: null }),
    );
    expect(out.keySchema).toMatchObject({ type: 'struct', version: 2, name: 'old' });
    expect(out.key).toBeNull();
    expect(() =>
      setMetadata({ 'schema.version': '2' }, KEY).apply(
        sourceRecord({ topic: 't', keySchema: Schemas.STRING, key: 'k' }),
      ),
    ).toThrow('Cannot list fields on non-struct type');
  });

  it('passes a schemaless null through and needs a schema otherwise', () => {
    const tombstone = sourceRecord({ topic: 't' });
    expect(setMetadata({ 'schema.name': 'x' }).apply(tombstone)).toBe(tombstone);
    expect(() => setMetadata({ 'schema.name': 'x' }).apply(sourceRecord({ topic: 't', value: 1 }))).toThrow(
      'Schema required for [updating schema metadata]',
    );
  });

  it('needs a name or a version', () => {
    expect(() => setMetadata({})).toThrow('Neither schema name nor version configured');
    expect(() => setMetadata({ 'schema.version': 'x' })).toThrow(/schema\.version/);
  });
});
