import { describe, expect, it } from 'vitest';
import { checkCleanupPolicy, checkPartitions, parsePolicy, type TopicSpec } from './topic-admin.ts';

const spec: TopicSpec = {
  name: 'connect-configs',
  partitions: 1,
  replicationFactor: 3,
  property: 'config.storage.topic',
  purpose: 'connector configurations',
  exactlyOnePartition: true,
};

describe('internal topic checks', () => {
  it('reads cleanup.policy lists as Kafka does', () => {
    expect(parsePolicy(' Compact , delete')).toEqual(new Set(['compact', 'delete']));
    expect(parsePolicy('')).toEqual(new Set());
  });

  it('accepts compact only, and an unknown policy (no permission to describe configs), as Java does', () => {
    expect(() => checkCleanupPolicy(spec, new Set(['compact']))).not.toThrow();
    expect(() => checkCleanupPolicy(spec, new Set())).not.toThrow();
  });

  it('refuses delete and compact,delete with Java’s message, naming the topic and the setting', () => {
    expect(() => checkCleanupPolicy(spec, new Set(['delete']))).toThrow(
      "Topic 'connect-configs' supplied via the 'config.storage.topic' property is required to have " +
        "'cleanup.policy=compact' to guarantee consistency and durability of connector configurations, " +
        "but found the topic currently has 'cleanup.policy=delete'.",
    );
    expect(() => checkCleanupPolicy(spec, new Set(['compact', 'delete']))).toThrow(
      /cleanup.policy=compact,delete/,
    );
  });

  it('refuses a config topic with more than one partition', () => {
    expect(() => checkPartitions(spec, 1)).not.toThrow();
    expect(() => checkPartitions({ ...spec, exactlyOnePartition: false }, 25)).not.toThrow();
    expect(() => checkPartitions(spec, 2)).toThrow(
      "Topic 'connect-configs' supplied via the 'config.storage.topic' property is required to have a single " +
        'partition in order to guarantee consistency of connector configurations, but found 2 partitions.',
    );
  });
});
