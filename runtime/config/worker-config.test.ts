import { describe, expect, it } from 'vitest';
import { parseDistributedConfig, parseWorkerConfig, standaloneWorkerConfigDef } from './worker-config.ts';

const base = { 'key.converter': 'StringConverter', 'value.converter': 'StringConverter' };

describe('exactly.once.source.support', () => {
  it('is disabled by default in distributed mode', () => {
    expect(parseDistributedConfig({ ...base, 'group.id': 'g' }).distributed.exactlyOnceSourceSupport).toBe(
      'disabled',
    );
  });

  it('is refused, not ignored, in standalone mode', () => {
    const props = {
      ...base,
      'offset.storage.file.filename': '/tmp/o',
      'exactly.once.source.support': 'enabled',
    };
    expect(() => parseWorkerConfig(props, standaloneWorkerConfigDef())).toThrow(
      /standalone mode does not support exactly-once source connectors/,
    );
  });
});
