import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import { ValueToKey } from './value-to-key.ts';

function valueToKey(configs: Record<string, string>): ValueToKey {
  const transform = new ValueToKey();
  transform.configure(configs);
  return transform;
}

describe('ValueToKey', () => {
  it('makes a schemaless key of value fields (null when absent)', () => {
    const value = new Map<string, unknown>([
      ['id', 1],
      ['name', 'n'],
    ]);
    const out = valueToKey({ fields: 'id,other' }).apply(sourceRecord({ topic: 't', key: 'old', value }));
    expect(out.key).toEqual(
      new Map<string, unknown>([
        ['id', 1],
        ['other', null],
      ]),
    );
    expect(out.keySchema).toBeNull();
    expect(out.value).toBe(value);
  });

  it('makes a struct key with the value fields’ schemas', () => {
    const schema = SchemaBuilder.struct()
      .field('id', Schemas.INT64)
      .field('region', SchemaBuilder.string().optional().defaultValue('eu').build())
      .build();
    const value = new Struct(schema).put('id', 9);
    const out = valueToKey({ fields: 'region,id' }).apply(
      sourceRecord({ topic: 't', valueSchema: schema, value }),
    );
    expect(out.keySchema?.fields?.map((f) => [f.name, f.schema])).toEqual([
      ['region', schema.fields?.[1]?.schema],
      ['id', Schemas.INT64],
    ]);
    expect([(out.key as Struct).get('region'), (out.key as Struct).get('id')]).toEqual(['eu', 9]);
    const keepNull = valueToKey({ fields: 'region', 'replace.null.with.default': 'false' }).apply(
      sourceRecord({ topic: 't', valueSchema: schema, value }),
    );
    expect((keepNull.key as Struct).getWithoutDefault('region')).toBeNull();
  });

  it('fails as Java does', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT64).build();
    expect(() =>
      valueToKey({ fields: 'nope' }).apply(
        sourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('id', 1) }),
      ),
    ).toThrow('Field does not exist: nope');
    expect(() => valueToKey({ fields: 'id' }).apply(sourceRecord({ topic: 't' }))).toThrow(
      'Only Map objects supported in absence of schema for [copying fields from value to key], found: null',
    );
    expect(() => valueToKey({})).toThrow(
      'Missing required configuration "fields" which has no default value.',
    );
    expect(() => valueToKey({ fields: '' })).toThrow("Configuration 'fields' must not be empty.");
  });
});
