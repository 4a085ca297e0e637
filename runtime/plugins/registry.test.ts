import { describe, expect, it } from 'vitest';
import { PluginRegistry, editDistance, namesOf } from './registry.ts';

const plugin = (className: string, type: 'source' | 'sink' | 'converter') => ({
  className,
  type,
  version: '1',
  create: () => ({}),
});

describe('PluginRegistry', () => {
  const registry = new PluginRegistry().register(
    plugin('org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'),
    plugin('org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'),
    plugin('org.apache.kafka.connect.json.JsonConverter', 'converter'),
  );

  it('resolves fully qualified names, simple names and aliases', () => {
    for (const name of [
      'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'FileStreamSourceConnector',
      'FileStreamSource',
    ]) {
      expect(registry.resolve(name, ['source', 'sink']).className).toBe(
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
      );
    }
    expect(namesOf(plugin('org.apache.kafka.connect.json.JsonConverter', 'converter'))).toContain('Json');
  });

  it('names the closest known plugins when a name is unknown', () => {
    expect(() => registry.resolve('FileStreamSorce', ['source', 'sink'], 'connector.class')).toThrow(
      /which name matches FileStreamSorce \(setting "connector.class"\)\. Did you mean: FileStreamSource/,
    );
  });

  it('says when a plugin exists but is of another type', () => {
    expect(() => registry.resolve('JsonConverter', ['source', 'sink'])).toThrow(
      /is a converter plugin, not a source or sink plugin/,
    );
  });

  it('measures edit distance case-insensitively', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('Json', 'json')).toBe(0);
  });
});
