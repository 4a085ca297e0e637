import { describe, expect, it } from 'vitest';
import { DataException, SchemaBuilderException } from './errors.ts';
import { SchemaBuilder, Schemas, Struct } from './schema.ts';
import {
  copySchemaBasics,
  deriveStruct,
  lookUpField,
  SchemaCache,
  withOptionality,
  withSchemaChanges,
} from './schema-util.ts';

const named = SchemaBuilder.struct()
  .name('com.example.A')
  .version(3)
  .doc('a doc')
  .parameter('p', 'v')
  .field('x', Schemas.INT32)
  .optional()
  .build();

describe('schema derivation', () => {
  it('copySchemaBasics copies name, version, doc and parameters only', () => {
    const copy = copySchemaBasics(named).build();
    expect(copy).toMatchObject({
      type: 'struct',
      name: 'com.example.A',
      version: 3,
      doc: 'a doc',
      optional: false,
    });
    expect(copy.parameters).toEqual({ p: 'v' });
    expect(copy.fields).toEqual([]);
    const array = copySchemaBasics(SchemaBuilder.array(Schemas.STRING).name('list').build()).build();
    expect(array.valueSchema).toBe(Schemas.STRING);
    expect(copySchemaBasics(named, SchemaBuilder.string()).build().type).toBe('string');
  });

  it('withSchemaChanges replaces or removes parts and keeps the rest', () => {
    const renamed = withSchemaChanges(named, { name: 'B', version: null });
    expect(renamed).toMatchObject({ name: 'B', doc: 'a doc', optional: true });
    expect(renamed.version).toBeUndefined();
    expect(renamed.fields).toBe(named.fields);
    expect(Object.isFrozen(renamed)).toBe(true);
    expect(withOptionality(named, true)).toBe(named);
    expect(withOptionality(named, false).optional).toBe(false);
  });

  it('deriveStruct puts each field its value, leaving undefined ones unset', () => {
    const schema = SchemaBuilder.struct()
      .field('a', Schemas.STRING)
      .field('b', Schemas.OPTIONAL_INT32)
      .build();
    const struct = deriveStruct(schema, (f) => (f.name === 'a' ? 'x' : undefined));
    expect(struct.equals(new Struct(schema).put('a', 'x'))).toBe(true);
    expect(() => deriveStruct(schema, () => 5)).toThrow(DataException);
  });

  it('lookUpField fails on a non-struct schema as Java does', () => {
    expect(lookUpField(named, 'x')?.schema).toBe(Schemas.INT32);
    expect(lookUpField(named, 'y')).toBeUndefined();
    expect(() => lookUpField(Schemas.STRING, 'x')).toThrow('Cannot look up fields on non-struct type');
  });

  it('SchemaBuilder refuses bad fields and defaults with Java messages', () => {
    expect(() => SchemaBuilder.struct().field('', Schemas.STRING)).toThrow(
      new SchemaBuilderException('fieldName cannot be null.'),
    );
    expect(() => SchemaBuilder.struct().field('a', Schemas.STRING).field('a', Schemas.STRING)).toThrow(
      'Cannot create field because of field name duplication a',
    );
    expect(() => SchemaBuilder.int32().field('a', Schemas.STRING)).toThrow(
      'Cannot create fields on type INT32',
    );
    expect(() => SchemaBuilder.int32().defaultValue('x')).toThrow('Invalid default value');
  });
});

describe('Struct.put', () => {
  it('refuses null for a required field, even one with a default, as Java does', () => {
    const schema = SchemaBuilder.struct().field('n', SchemaBuilder.int32().defaultValue(5).build()).build();
    expect(() => new Struct(schema).put('n', null)).toThrow(
      'Invalid value: null used for required field: "n", schema type: INT32',
    );
    expect(new Struct(schema).get('n')).toBe(5);
    expect(() => new Struct(schema).get('zz')).toThrow('zz is not a valid field name');
  });
});

describe('SchemaCache', () => {
  it('finds equal schemas and evicts the least recently used beyond its capacity', () => {
    const cache = new SchemaCache<string>(2);
    const a = SchemaBuilder.string().name('a').build();
    const b = SchemaBuilder.string().name('b').build();
    const c = SchemaBuilder.string().name('c').build();
    cache.put(a, 'A');
    cache.put(b, 'B');
    expect(cache.get(SchemaBuilder.string().name('a').build())).toBe('A');
    cache.put(c, 'C');
    expect(cache.get(b)).toBeUndefined();
    expect(cache.get(a)).toBe('A');
    expect(cache.size).toBe(2);
    let computed = 0;
    expect(cache.getOrCompute(c, () => `${++computed}`)).toBe('C');
    expect(cache.getOrCompute(b, () => `${++computed}`)).toBe('1');
    expect(new SchemaCache().getOrCompute(a, () => 'x')).toBe('x');
  });
});
