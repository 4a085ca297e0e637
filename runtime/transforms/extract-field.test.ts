import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, sourceRecord, Struct } from '../api/index.ts';
import type { Schema } from '../api/index.ts';
import { ExtractField } from './extract-field.ts';
import { KEY, VALUE } from './support/record-side.ts';
import { SingleFieldPath } from './support/single-field-path.ts';

function extract(field: string, extra: Record<string, string> = {}, side = VALUE): ExtractField {
  const transform = new ExtractField(side);
  transform.configure({ field, ...extra });
  return transform;
}

const inner = SchemaBuilder.struct()
  .field('c', SchemaBuilder.int32().optional().defaultValue(9).build())
  .build();
const outer = SchemaBuilder.struct()
  .field('a.b', Schemas.STRING)
  .field('inner', SchemaBuilder.struct().field('c', inner.fields![0]!.schema).optional().build())
  .build();

describe('ExtractField', () => {
  it('takes a top-level field of a struct, with its schema', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT64).build();
    const out = extract('id').apply(
      sourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('id', 3) }),
    );
    expect(out.valueSchema).toBe(Schemas.INT64);
    expect(out.value).toBe(3);
  });

  it('takes a field of a schemaless key (null when absent) and passes null through', () => {
    const record = sourceRecord({ topic: 't', key: new Map([['id', 'x']]), value: 'v' });
    expect(extract('id', {}, KEY).apply(record).key).toBe('x');
    expect(extract('nope', {}, KEY).apply(record).key).toBeNull();
    expect(extract('id', {}, KEY).apply(sourceRecord({ topic: 't', key: null })).key).toBeNull();
  });

  it('walks nested fields with V2, backticks around dotted names; V1 reads the name as is', () => {
    const innerStruct = new Struct(outer.fields![1]!.schema);
    const value = new Struct(outer).put('a.b', 'dotted').put('inner', innerStruct);
    const record = sourceRecord({ topic: 't', valueSchema: outer, value });
    expect(extract('a.b').apply(record).value).toBe('dotted');
    expect(extract('`a.b`', { 'field.syntax.version': 'v2' }).apply(record).value).toBe('dotted');
    const nested = extract('inner.c', { 'field.syntax.version': 'V2' }).apply(record);
    expect(nested.value).toBe(9);
    expect(nested.valueSchema?.type).toBe('int32');
    const noDefault = extract('inner.c', {
      'field.syntax.version': 'V2',
      'replace.null.with.default': 'false',
    });
    expect(noDefault.apply(record).value).toBeNull();
    const map = new Map<string, unknown>([
      ['x', new Map([['y', 1]])],
      ['s', 'str'],
    ]);
    expect(
      extract('x.y', { 'field.syntax.version': 'V2' }).apply(sourceRecord({ topic: 't', value: map })).value,
    ).toBe(1);
    expect(() =>
      extract('s.y', { 'field.syntax.version': 'V2' }).apply(sourceRecord({ topic: 't', value: map })),
    ).toThrow(
      'Only Map objects supported in absence of schema for [nested field access], found: java.lang.String',
    );
  });

  it('fails as Java does', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT64).build();
    expect(() =>
      extract('nope').apply(
        sourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('id', 1) }),
      ),
    ).toThrow('Unknown field: nope');
    expect(() => extract('id').apply(sourceRecord({ topic: 't', value: 'text' }))).toThrow(
      'Only Map objects supported in absence of schema for [field extraction], found: java.lang.String',
    );
    expect(() =>
      extract('id').apply(sourceRecord({ topic: 't', valueSchema: Schemas.INT32, value: 1 })),
    ).toThrow('Only Struct objects supported for [field extraction], found: java.lang.Integer');
    expect(() => extract('x', { 'field.syntax.version': 'V3' })).toThrow(
      'Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2',
    );
    expect(() => new ExtractField(VALUE).configure({})).toThrow(
      'Missing required configuration "field" which has no default value.',
    );
  });

  it('defines field, replace.null.with.default and field.syntax.version', () => {
    expect(new ExtractField(VALUE).config().names()).toEqual([
      'field',
      'replace.null.with.default',
      'field.syntax.version',
    ]);
  });
});

describe('SingleFieldPath V2', () => {
  const steps = (path: string) => new SingleFieldPath(path, 'V2').steps;
  it('splits paths as Kafka does', () => {
    expect(steps('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(steps('`a.b`.c')).toEqual(['a.b', 'c']);
    expect(steps('a.')).toEqual(['a', '']);
    expect(steps('`a`b`.c')).toEqual(['a`b', 'c']);
    expect(steps('`a\\`.b`.c')).toEqual(['a`.b', 'c']);
    expect(steps('`x.y`')).toEqual(['x.y']);
    expect(new SingleFieldPath('a.b', 'V1').steps).toEqual(['a.b']);
  });
  it('refuses an unclosed backtick', () => {
    expect(() => steps('`a.b')).toThrow(
      'Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it',
    );
  });
  it('finds no field in a missing nested struct', () => {
    expect(
      new SingleFieldPath('a.b', 'V2').fieldFrom(SchemaBuilder.struct().build() as Schema),
    ).toBeUndefined();
  });
});
