import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import { ReplaceField } from './replace-field.ts';
import { KEY, VALUE } from './support/record-side.ts';

function replace(configs: Record<string, string>, side = VALUE): ReplaceField {
  const transform = new ReplaceField(side);
  transform.configure(configs);
  return transform;
}

describe('ReplaceField', () => {
  const schema = SchemaBuilder.struct()
    .name('r')
    .field('a', Schemas.STRING)
    .field('b', SchemaBuilder.int32().optional().defaultValue(2).build())
    .field('c', Schemas.BOOLEAN)
    .build();
  const record = () =>
    sourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('a', 'x').put('c', true) });

  it('includes, excludes (excludes win) and renames struct fields', () => {
    const out = replace({ include: 'a,b,c', exclude: 'c', renames: 'a:alpha,b:beta' }).apply(record());
    expect(out.valueSchema?.name).toBe('r');
    expect(out.valueSchema?.fields?.map((f) => f.name)).toEqual(['alpha', 'beta']);
    const value = out.value as Struct;
    expect([value.get('alpha'), value.getWithoutDefault('beta')]).toEqual(['x', 2]);
    const keepNull = replace({ renames: 'b:beta', 'replace.null.with.default': 'false' }).apply(record());
    expect((keepNull.value as Struct).getWithoutDefault('beta')).toBeNull();
  });

  it('filters and renames schemaless keys', () => {
    const key = new Map<string, unknown>([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const out = replace({ exclude: 'b', renames: 'c:see' }, KEY).apply(sourceRecord({ topic: 't', key }));
    expect(out.key).toEqual(
      new Map([
        ['a', 1],
        ['see', 3],
      ]),
    );
  });

  it('passes null through and refuses other values', () => {
    const tombstone = sourceRecord({ topic: 't' });
    expect(replace({}).apply(tombstone)).toBe(tombstone);
    expect(() => replace({}).apply(sourceRecord({ topic: 't', value: [1] }))).toThrow(
      'Only Map objects supported in absence of schema for [field replacement], found: java.util.ArrayList',
    );
  });

  it('refuses rename mappings that are not one pair', () => {
    expect(() => replace({ renames: 'a:b,c' })).toThrow(
      'Invalid value [a:b, c] for configuration renames: Invalid rename mapping: c',
    );
    expect(() => replace({ renames: 'a:b:c' })).toThrow('Invalid rename mapping: a:b:c');
    expect(() => replace({ renames: 'a:' })).toThrow('Invalid rename mapping: a:');
    expect(() => replace({ include: 'a,,b' })).toThrow("Configuration 'include' values must not be empty.");
  });

  it('has no whitelist or blacklist (removed in Kafka 4.0)', () => {
    expect(new ReplaceField(VALUE).config().names()).toEqual([
      'exclude',
      'include',
      'renames',
      'replace.null.with.default',
    ]);
  });
});
