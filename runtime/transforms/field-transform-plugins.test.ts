import { describe, expect, it } from 'vitest';
import { sourceRecord } from '../api/index.ts';
import type { Transformation } from '../api/index.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import { fieldTransformPlugins } from './field-transform-plugins.ts';

describe('fieldTransformPlugins', () => {
  it('registers each transform under Kafka’s class name and simple name, at Kafka’s version', () => {
    const plugins = builtinPlugins();
    for (const name of ['org.apache.kafka.connect.transforms.Cast$Value', 'Cast$Value']) {
      const descriptor = plugins.resolve(name, ['transformation'], 'transforms.c.type');
      expect(descriptor.className).toBe('org.apache.kafka.connect.transforms.Cast$Value');
      expect(descriptor.version).toBe('4.3.1');
    }
    expect(
      fieldTransformPlugins.map((p) => p.className.replace('org.apache.kafka.connect.transforms.', '')),
    ).toEqual([
      'Cast$Key',
      'Cast$Value',
      'ExtractField$Key',
      'ExtractField$Value',
      'Flatten$Key',
      'Flatten$Value',
      'HeaderFrom$Key',
      'HeaderFrom$Value',
      'HoistField$Key',
      'HoistField$Value',
      'InsertField$Key',
      'InsertField$Value',
      'MaskField$Key',
      'MaskField$Value',
      'ReplaceField$Key',
      'ReplaceField$Value',
      'SetSchemaMetadata$Key',
      'SetSchemaMetadata$Value',
      'ValueToKey',
    ]);
  });

  it('makes $Key variants work on the key and $Value ones on the value', () => {
    const make = (name: string) => {
      const plugin = fieldTransformPlugins.find((p) => p.className.endsWith(name));
      const transform = plugin?.create() as Transformation;
      transform.configure({ field: 'f' });
      return transform;
    };
    const record = sourceRecord({ topic: 't', key: 1, value: 2 });
    expect(make('HoistField$Key').apply(record)).toMatchObject({ key: new Map([['f', 1]]), value: 2 });
    expect(make('HoistField$Value').apply(record)).toMatchObject({ key: 1, value: new Map([['f', 2]]) });
  });
});
