import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../logging.ts';
import { connectorOffsetsTopic, warnOffsetsTopicUnusedInStandalone } from './connector-offset-topics.ts';

afterEach(() => vi.restoreAllMocks());

describe('offsets.storage.topic', () => {
  it('is trimmed, as Java trims string settings; unset or blank is none', () => {
    expect(connectorOffsetsTopic({ 'offsets.storage.topic': ' own ' })).toBe('own');
    expect(connectorOffsetsTopic({ 'offsets.storage.topic': ' ' })).toBeNull();
    expect(connectorOffsetsTopic({})).toBeNull();
  });

  it('gets a warning in standalone mode, where it has no effect', () => {
    const warn = vi.spyOn(logger('org.apache.kafka.connect.storage.ConnectorOffsetBackingStore'), 'warn');
    warnOffsetsTopicUnusedInStandalone('src', {});
    expect(warn).not.toHaveBeenCalled();
    warnOffsetsTopicUnusedInStandalone('src', { 'offsets.storage.topic': 'own' });
    expect(warn).toHaveBeenCalledWith(
      { connector: 'src' },
      expect.stringContaining('offsets.storage.topic has no effect in standalone mode'),
    );
  });
});
