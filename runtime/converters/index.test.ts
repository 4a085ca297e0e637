import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../plugins/registry.ts';
import { converterPlugins, JsonConverter, SimpleHeaderConverter, StringConverter } from './index.ts';

describe('converterPlugins', () => {
  const registry = new PluginRegistry().register(...converterPlugins);

  it('registers converters under Apache class names, and all but SimpleHeaderConverter as header converters too', () => {
    const names = (type: 'converter' | 'header_converter') =>
      registry
        .list([type])
        .map((p) => p.className)
        .sort();
    const converters = [
      'org.apache.kafka.connect.converters.BooleanConverter',
      'org.apache.kafka.connect.converters.ByteArrayConverter',
      'org.apache.kafka.connect.converters.DoubleConverter',
      'org.apache.kafka.connect.converters.FloatConverter',
      'org.apache.kafka.connect.converters.IntegerConverter',
      'org.apache.kafka.connect.converters.LongConverter',
      'org.apache.kafka.connect.converters.ShortConverter',
      'org.apache.kafka.connect.json.JsonConverter',
      'org.apache.kafka.connect.storage.StringConverter',
    ];
    expect(names('converter')).toEqual(converters);
    expect(names('header_converter')).toEqual(
      [...converters, 'org.apache.kafka.connect.storage.SimpleHeaderConverter'].sort(),
    );
    expect(converterPlugins.every((p) => p.version === '4.3.1')).toBe(true);
  });

  it('resolves the names users type to fresh instances', () => {
    const json = registry.resolve('org.apache.kafka.connect.json.JsonConverter', ['converter']);
    expect(json.create()).toBeInstanceOf(JsonConverter);
    expect(json.create()).not.toBe(json.create());
    expect(registry.resolve('StringConverter', ['header_converter']).create()).toBeInstanceOf(
      StringConverter,
    );
    expect(registry.resolve('SimpleHeaderConverter', ['header_converter']).create()).toBeInstanceOf(
      SimpleHeaderConverter,
    );
    expect(() => registry.resolve('SimpleHeaderConverter', ['converter'])).toThrow(
      'is a header_converter plugin, not a converter plugin',
    );
  });
});
