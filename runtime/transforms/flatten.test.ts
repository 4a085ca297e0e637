import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import type { Schema } from '../api/index.ts';
import { Flatten } from './flatten.ts';
import { KEY, VALUE } from './support/record-side.ts';

function flatten(extra: Record<string, string> = {}, side = VALUE): Flatten {
  const transform = new Flatten(side);
  transform.configure(extra);
  return transform;
}

describe('Flatten', () => {
  it('flattens nested schemaless maps, keeping arrays and nulls', () => {
    const value = new Map<string, unknown>([
      ['a', 1],
      [
        'b',
        new Map<string, unknown>([
          ['c', 'x'],
          ['d', new Map([['e', true]])],
        ]),
      ],
      ['arr', [new Map([['z', 1]])]],
      ['n', null],
    ]);
    expect(flatten().apply(sourceRecord({ topic: 't', value })).value).toEqual(
      new Map<string, unknown>([
        ['a', 1],
        ['b.c', 'x'],
        ['b.d.e', true],
        ['arr', [new Map([['z', 1]])]],
        ['n', null],
      ]),
    );
    expect(flatten({ delimiter: '_' }).apply(sourceRecord({ topic: 't', value })).value).toEqual(
      new Map<string, unknown>([
        ['a', 1],
        ['b_c', 'x'],
        ['b_d_e', true],
        ['arr', [new Map([['z', 1]])]],
        ['n', null],
      ]),
    );
  });

  const inner = SchemaBuilder.struct()
    .field('x', Schemas.INT32)
    .field('y', SchemaBuilder.string().optional().defaultValue('dy').build())
    .optional()
    .build();
  const schema = SchemaBuilder.struct()
    .name('outer')
    .field('id', Schemas.INT64)
    .field('inner', inner)
    .field('tags', SchemaBuilder.array(Schemas.STRING).build())
    .build();

  it('flattens a struct: inner fields become optional when their struct is, defaults kept', () => {
    const value = new Struct(schema)
      .put('id', 1)
      .put('inner', new Struct(inner).put('x', 5))
      .put('tags', ['a']);
    const out = flatten().apply(sourceRecord({ topic: 't', valueSchema: schema, value }));
    const outSchema = out.valueSchema as Schema;
    expect(outSchema.name).toBe('outer');
    expect(
      outSchema.fields?.map((f) => [f.name, f.schema.type, f.schema.optional, f.schema.defaultValue]),
    ).toEqual([
      ['id', 'int64', false, undefined],
      ['inner.x', 'int32', true, undefined],
      ['inner.y', 'string', true, 'dy'],
      ['tags', 'array', false, undefined],
    ]);
    const flat = out.value as Struct;
    expect([flat.get('id'), flat.get('inner.x'), flat.get('inner.y'), flat.get('tags')]).toEqual([
      1,
      5,
      'dy',
      ['a'],
    ]);
  });

  it('leaves the fields of a null nested struct null', () => {
    const value = new Struct(schema).put('id', 1).put('tags', []);
    const flat = flatten().apply(sourceRecord({ topic: 't', valueSchema: schema, value })).value as Struct;
    expect(flat.getWithoutDefault('inner.x')).toBeNull();
  });

  it('takes defaults of flattened fields from the enclosing struct default', () => {
    const plain = SchemaBuilder.struct().field('p', Schemas.INT32).optional().build();
    const nested = SchemaBuilder.struct()
      .field('p', Schemas.INT32)
      .optional()
      .defaultValue(new Struct(plain).put('p', 4))
      .build();
    const keySchema = SchemaBuilder.struct().field('n', nested).build();
    const out = flatten({}, KEY).apply(sourceRecord({ topic: 't', keySchema, key: new Struct(keySchema) }));
    expect((out.key as Struct).get('n.p')).toBe(4);
    expect(out.keySchema?.fields?.map((f) => [f.name, f.schema.optional, f.schema.defaultValue])).toEqual([
      ['n.p', true, 4],
    ]);
  });

  it('passes null through and refuses maps in structs, structs in maps, non-maps', () => {
    const tombstone = sourceRecord({ topic: 't' });
    expect(flatten().apply(tombstone)).toBe(tombstone);
    const mapSchema = SchemaBuilder.struct()
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())
      .build();
    expect(() =>
      flatten().apply(
        sourceRecord({
          topic: 't',
          valueSchema: mapSchema,
          value: new Struct(mapSchema).put('m', new Map()),
        }),
      ),
    ).toThrow('Flatten transformation does not support MAP for record with schemas (for field m).');
    expect(() => flatten().apply(sourceRecord({ topic: 't', value: 'x' }))).toThrow(
      'Only Map objects supported in absence of schema for [flattening], found: java.lang.String',
    );
    expect(() => flatten().apply(sourceRecord({ topic: 't', value: new Map([['d', new Date(0)]]) }))).toThrow(
      "Flatten transformation was passed a value of type class java.util.Date which is not supported by Connect's data API",
    );
    expect(() =>
      flatten().apply(sourceRecord({ topic: 't', valueSchema: Schemas.STRING, value: 'x' })),
    ).toThrow('Only Struct objects supported for [flattening], found: java.lang.String');
  });

  it('defines delimiter with default "."', () => {
    expect(new Flatten(VALUE).config().key('delimiter')?.defaultValue).toBe('.');
  });
});
