import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../plugins/builtin.ts';
import { checkWorkerPlugins, parseWorkerConfig, standaloneWorkerConfigDef } from './worker-config.ts';

const worker = (props: Record<string, string>) =>
  parseWorkerConfig(
    {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'StringConverter',
      'offset.storage.file.filename': '/tmp/offsets',
      ...props,
    },
    standaloneWorkerConfigDef(),
  );

describe('checkWorkerPlugins', () => {
  it('accepts the converters the worker has, by any of their names', () => {
    expect(() => checkWorkerPlugins(worker({}), builtinPlugins())).not.toThrow();
  });

  it("refuses one it does not have with Java's message and the closest names, each setting once", () => {
    const bad = 'org.apache.kafka.connect.json.json.JsonConverter';
    expect(() =>
      checkWorkerPlugins(
        worker({
          'key.converter': bad,
          'header.converter': 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
          'value.converter': 'StringConvertr',
        }),
        builtinPlugins(),
      ),
    ).toThrow(
      expect.objectContaining({
        problems: [
          {
            name: 'key.converter',
            message: `Invalid value ${bad} for configuration key.converter: Class ${bad} could not be found. Did you mean org.apache.kafka.connect.json.JsonConverter?`,
          },
          {
            name: 'value.converter',
            message:
              'Invalid value StringConvertr for configuration value.converter: Class StringConvertr could not be found. Did you mean StringConverter?',
          },
        ],
      }),
    );
  });

  it('refuses a plugin of another kind, saying which kind it is', () => {
    expect(() =>
      checkWorkerPlugins(
        worker({ 'value.converter': 'org.apache.kafka.connect.storage.SimpleHeaderConverter' }),
        builtinPlugins(),
      ),
    ).toThrow(/SimpleHeaderConverter is a header converter, not a converter/);
  });
});
