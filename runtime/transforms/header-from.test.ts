import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import { HeaderFrom } from './header-from.ts';
import { KEY, VALUE } from './support/record-side.ts';

function headerFrom(configs: Record<string, string>, side = VALUE): HeaderFrom {
  const transform = new HeaderFrom(side);
  transform.configure(configs);
  return transform;
}

describe('HeaderFrom', () => {
  const schema = SchemaBuilder.struct()
    .name('v')
    .field('a', Schemas.STRING)
    .field('b', SchemaBuilder.int32().optional().defaultValue(7).build())
    .field('c', Schemas.BOOLEAN)
    .build();
  const record = () =>
    sourceRecord({
      topic: 't',
      valueSchema: schema,
      value: new Struct(schema).put('a', 'x').put('c', true),
      headers: [{ key: 'h0', schema: null, value: 'old' }],
    });

  it('moves struct fields into headers, with their schemas', () => {
    const out = headerFrom({ fields: 'a,b', headers: 'ha,hb', operation: 'move' }).apply(record());
    expect(out.valueSchema?.name).toBe('v');
    expect(out.valueSchema?.fields?.map((f) => f.name)).toEqual(['c']);
    expect((out.value as Struct).get('c')).toBe(true);
    expect(out.headers).toEqual([
      { key: 'h0', schema: null, value: 'old' },
      { key: 'ha', schema: Schemas.STRING, value: 'x' },
      { key: 'hb', schema: schema.fields?.[1]?.schema, value: 7 },
    ]);
  });

  it('copies struct fields, keeping the value as it is', () => {
    const input = record();
    const out = headerFrom({
      fields: 'b',
      headers: 'hb',
      operation: 'copy',
      'replace.null.with.default': 'false',
    }).apply(input);
    expect(out.value).toBe(input.value);
    expect(out.headers[1]).toEqual({ key: 'hb', schema: schema.fields?.[1]?.schema, value: null });
    expect(input.headers).toHaveLength(1);
  });

  it('moves and copies schemaless key fields', () => {
    const key = new Map<string, unknown>([
      ['id', 1],
      ['k', 'v'],
    ]);
    const moved = headerFrom({ fields: 'id,absent', headers: 'h1,h2', operation: 'move' }, KEY).apply(
      sourceRecord({ topic: 't', key }),
    );
    expect(moved.key).toEqual(new Map([['k', 'v']]));
    expect(moved.headers).toEqual([
      { key: 'h1', schema: null, value: 1 },
      { key: 'h2', schema: null, value: null },
    ]);
    const copied = headerFrom({ fields: 'id', headers: 'h1', operation: 'copy' }, KEY).apply(
      sourceRecord({ topic: 't', key }),
    );
    expect(copied.key).toEqual(key);
  });

  it('refuses a null for a header whose schema is required, as ConnectHeaders.add does', () => {
    const required = SchemaBuilder.struct().field('r', SchemaBuilder.int32().defaultValue(1).build()).build();
    const transform = headerFrom({
      fields: 'r',
      headers: 'h',
      operation: 'copy',
      'replace.null.with.default': 'false',
    });
    expect(() =>
      transform.apply(sourceRecord({ topic: 't', valueSchema: required, value: new Struct(required) })),
    ).toThrow('A null value requires an optional schema but was Schema{INT32}');
  });

  it('fails as Java does', () => {
    expect(() => headerFrom({ fields: 'a,b', headers: 'h', operation: 'move' })).toThrow(
      "'fields' config must have the same number of elements as 'headers' config.",
    );
    expect(() => headerFrom({ fields: 'a', headers: 'h', operation: 'steal' })).toThrow(
      'Invalid value steal for configuration operation: String must be one of: move, copy',
    );
    expect(() => headerFrom({ fields: '', headers: 'h', operation: 'move' })).toThrow(
      'Invalid value [] for configuration fields: Empty list',
    );
    expect(() =>
      headerFrom({ fields: 'a', headers: 'h', operation: 'copy' }).apply(sourceRecord({ topic: 't' })),
    ).toThrow('Only Map objects supported in absence of schema for [header copy], found: null');
    expect(() => headerFrom({ fields: 'zz', headers: 'h', operation: 'copy' }).apply(record())).toThrow(
      'Cannot invoke "org.apache.kafka.connect.data.Field.schema()"',
    );
  });
});
