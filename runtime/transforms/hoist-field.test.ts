import { describe, expect, it } from 'vitest';
import type { Struct } from '../api/index.ts';
import { Schemas, sourceRecord } from '../api/index.ts';
import { HoistField } from './hoist-field.ts';
import { KEY, VALUE } from './support/record-side.ts';

function hoist(field: string, side = VALUE): HoistField {
  const transform = new HoistField(side);
  transform.configure({ field });
  return transform;
}

describe('HoistField', () => {
  it('wraps a schemaless value (even null) in a map', () => {
    expect(hoist('f').apply(sourceRecord({ topic: 't', value: 42 })).value).toEqual(new Map([['f', 42]]));
    expect(hoist('f').apply(sourceRecord({ topic: 't', value: null })).value).toEqual(new Map([['f', null]]));
  });

  it('wraps a key with a schema in a struct, reusing the derived schema', () => {
    const transform = hoist('id', KEY);
    const first = transform.apply(sourceRecord({ topic: 't', keySchema: Schemas.INT64, key: 7 }));
    const second = transform.apply(sourceRecord({ topic: 't', keySchema: Schemas.INT64, key: 8 }));
    expect(first.keySchema?.fields?.map((f) => [f.name, f.schema])).toEqual([['id', Schemas.INT64]]);
    expect((first.key as Struct).get('id')).toBe(7);
    expect(second.keySchema).toBe(first.keySchema);
  });

  it('requires its field setting', () => {
    expect(() => new HoistField(VALUE).configure({})).toThrow(
      'Missing required configuration "field" which has no default value.',
    );
  });
});
