import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../logging.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { KafkaOffsetStore } from '../storage/kafka-offset-store.ts';
import {
  ConnectorOffsetTopics,
  connectorOffsetsTopic,
  warnOffsetsTopicUnusedInStandalone,
} from './connector-offset-topics.ts';

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

  it("opens a connector's own topic once, shares it, and stops it once the connector is deleted and idle", async () => {
    const stopped: string[] = [];
    const opened: string[] = [];
    const fakeStore = (topic: string) =>
      ({
        topic,
        start: async () => void opened.push(topic),
        stop: async () => void stopped.push(topic),
        get: async (_c: string, partitions: readonly unknown[]) => partitions.map(() => null),
        forTopic: (own: string) => fakeStore(own),
      }) as unknown as KafkaOffsetStore;
    const worker = {
      originals: {},
      bootstrapServers: ['localhost:9092'],
      clientId: '',
    } as unknown as WorkerConfig;
    const topics = new ConnectorOffsetTopics(worker, fakeStore('connect-offsets'));
    expect(topics.storeFor('plain', {})).toHaveProperty('topic', 'connect-offsets');
    expect(topics.storeFor('same', { 'offsets.storage.topic': 'connect-offsets' })).toHaveProperty(
      'topic',
      'connect-offsets',
    );
    const own = topics.storeFor('a', { 'offsets.storage.topic': 'a-offsets' });
    await own.get('a', [{ p: 1 }]);
    await topics.storeFor('a', { 'offsets.storage.topic': 'a-offsets' }).get('a', [{ p: 1 }]);
    expect(opened).toEqual(['a-offsets']);
    await topics.releaseDeleted(() => true, new Set());
    await topics.releaseDeleted(() => false, new Set(['a']));
    expect(stopped).toEqual([]);
    await topics.releaseDeleted(() => false, new Set());
    expect(stopped).toEqual(['a-offsets']);
  });
});
