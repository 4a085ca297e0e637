import { describe, expect, it } from 'vitest';
import { dateSchema, decimalSchema, SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import { MaskField } from './mask-field.ts';
import { KEY, VALUE } from './support/record-side.ts';

function mask(configs: Record<string, string>, side = VALUE): MaskField {
  const transform = new MaskField(side);
  transform.configure(configs);
  return transform;
}

describe('MaskField', () => {
  const schema = SchemaBuilder.struct()
    .field('i8', Schemas.INT8)
    .field('i64', Schemas.INT64)
    .field('f', Schemas.FLOAT32)
    .field('b', Schemas.BOOLEAN)
    .field('s', Schemas.STRING)
    .field('d', dateSchema().build())
    .field('dec', decimalSchema(2).build())
    .field('arr', SchemaBuilder.array(Schemas.INT32).build())
    .field('opt', SchemaBuilder.string().optional().defaultValue('dflt').build())
    .field('keep', Schemas.STRING)
    .build();
  const struct = () =>
    new Struct(schema)
      .put('i8', 5)
      .put('i64', 99)
      .put('f', 1.5)
      .put('b', true)
      .put('s', 'secret')
      .put('d', new Date(86_400_000))
      .put('dec', { unscaled: 123n, scale: 2 })
      .put('arr', [1, 2])
      .put('keep', 'k');

  it('masks struct fields with their type’s empty value', () => {
    const out = mask({ fields: 'i8,i64,f,b,s,d,dec,arr,opt' }).apply(
      sourceRecord({ topic: 't', valueSchema: schema, value: struct() }),
    );
    const value = out.value as Struct;
    expect(out.valueSchema).toBe(schema);
    expect(['i8', 'i64', 'f', 'b', 's', 'd', 'dec', 'arr', 'opt', 'keep'].map((f) => value.get(f))).toEqual([
      0,
      0,
      0,
      false,
      '',
      new Date(0),
      { unscaled: 0n, scale: 0 },
      [],
      '',
      'k',
    ]);
    const keepNull = mask({ fields: 'opt', 'replace.null.with.default': 'false' }).apply(
      sourceRecord({ topic: 't', valueSchema: schema, value: struct() }),
    );
    expect((keepNull.value as Struct).getWithoutDefault('opt')).toBeNull();
  });

  it('masks with a replacement converted to each number type', () => {
    const out = mask({ fields: 'i8,i64,f,s,dec', replacement: '300.7' }).apply(
      sourceRecord({ topic: 't', valueSchema: schema, value: struct() }),
    );
    const value = out.value as Struct;
    expect(['i8', 'i64', 'f', 's', 'dec'].map((f) => value.get(f))).toEqual([
      44,
      300,
      Math.fround(300.7),
      '300.7',
      { unscaled: 3007n, scale: 1 },
    ]);
  });

  it('masks schemaless keys, adding missing fields as null', () => {
    const key = new Map<string, unknown>([
      ['n', 7],
      ['x', 1.5],
      ['m', new Map([['a', 1]])],
      ['keep', 'k'],
    ]);
    const out = mask({ fields: 'n,x,m,absent' }, KEY).apply(sourceRecord({ topic: 't', key }));
    expect(out.key).toEqual(
      new Map<string, unknown>([
        ['n', 0],
        ['x', 0],
        ['m', new Map()],
        ['keep', 'k'],
        ['absent', null],
      ]),
    );
  });

  it('fails as Java does', () => {
    const record = sourceRecord({ topic: 't', valueSchema: schema, value: struct() });
    expect(() => mask({ fields: 'b', replacement: 'x' }).apply(record)).toThrow(
      'Cannot mask value of type class java.lang.Boolean with custom replacement.',
    );
    expect(() => mask({ fields: 'i8', replacement: 'abc' }).apply(record)).toThrow(
      'Unable to convert abc (class java.lang.String) to a number',
    );
    expect(() => mask({ fields: 'dec', replacement: 'abc' }).apply(record)).toThrow(
      'Unable to convert abc (class java.lang.String) to number',
    );
    expect(() =>
      mask({ fields: 'b' }).apply(sourceRecord({ topic: 't', value: new Map([['b', new Uint8Array(1)]]) })),
    ).toThrow('Cannot mask value of type: class [B');
    expect(() => mask({ fields: 'a' }).apply(sourceRecord({ topic: 't' }))).toThrow(
      'Only Map objects supported in absence of schema for [mask fields], found: null',
    );
    expect(() => mask({ fields: '' })).toThrow(
      "Configuration 'fields' must not be empty. Valid values include: any non-empty value",
    );
    expect(() => mask({ fields: 'a', replacement: '' })).toThrow(
      'Invalid value  for configuration replacement: String must be non-empty',
    );
    expect(() => mask({ fields: 'a,a' })).not.toThrow();
  });
});
