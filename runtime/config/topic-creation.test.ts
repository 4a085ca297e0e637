import { describe, expect, it } from 'vitest';
import { ConfigException } from '../api/index.ts';
import { groupFor, topicCreationPlan } from './topic-creation.ts';

const base = { name: 'src', 'connector.class': 'VerifiableSource' };
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigException) return error.problems.map((p) => p.message);
    throw error;
  }
  return [];
};

describe('topicCreationPlan', () => {
  it('is off without topic.creation.* keys or with the worker switch off', () => {
    expect(topicCreationPlan(base, true)).toBeNull();
    expect(
      topicCreationPlan(
        {
          ...base,
          'topic.creation.default.partitions': '3',
          'topic.creation.default.replication.factor': '1',
        },
        false,
      ),
    ).toBeNull();
  });

  it("requires the default group's replication factor and partitions once any key is set", () => {
    expect(problemsOf(() => topicCreationPlan({ ...base, 'topic.creation.groups': 'a' }, true))).toEqual([
      'Missing required configuration "topic.creation.default.replication.factor" which has no default value.',
      'Missing required configuration "topic.creation.default.partitions" which has no default value.',
    ]);
  });

  it("refuses what Java's validators refuse", () => {
    expect(
      problemsOf(() =>
        topicCreationPlan(
          {
            ...base,
            'topic.creation.default.replication.factor': '0',
            'topic.creation.default.partitions': '-2',
          },
          true,
        ),
      ),
    ).toEqual([
      "Invalid value 0 for configuration topic.creation.default.replication.factor: Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default",
      "Invalid value -2 for configuration topic.creation.default.partitions: Number of partitions must be positive, or -1 to use the broker's default",
    ]);
    const ok = {
      'topic.creation.default.replication.factor': '-1',
      'topic.creation.default.partitions': '-1',
    };
    expect(
      problemsOf(() => topicCreationPlan({ ...base, ...ok, 'topic.creation.groups': 'a,a' }, true)),
    ).toEqual(['Invalid value a,a for configuration topic.creation.groups: Duplicate alias provided.']);
    const [regex] = problemsOf(() =>
      topicCreationPlan(
        { ...base, ...ok, 'topic.creation.groups': 'a', 'topic.creation.a.include': 'x(' },
        true,
      ),
    );
    expect(regex).toMatch(
      /^Invalid value x\( for configuration topic.creation.a.include: Syntax error in regular expression: /,
    );
  });

  it('matches groups in the listed order on whole names, exclusions first, else default', () => {
    const plan = topicCreationPlan(
      {
        ...base,
        'topic.creation.groups': 'compacted, default, logs',
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '2',
        'topic.creation.default.include': 'ignored',
        'topic.creation.default.retention.ms': '1000',
        'topic.creation.compacted.include': 'state-.*, .*-table',
        'topic.creation.compacted.exclude': 'state-tmp',
        'topic.creation.compacted.partitions': '1',
        'topic.creation.compacted.cleanup.policy': 'compact',
        'topic.creation.logs.include': '.*',
        'topic.creation.logs.replication.factor': '-1',
      },
      true,
    );
    if (!plan) throw new Error('no plan');
    expect(plan.groups.map((g) => g.name)).toEqual(['compacted', 'logs']);
    const compacted = groupFor(plan, 'state-a');
    expect(compacted).toMatchObject({
      name: 'compacted',
      partitions: 1,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact' },
    });
    expect(groupFor(plan, 'orders-table').name).toBe('compacted');
    expect(groupFor(plan, 'state-tmp').name).toBe('logs');
    expect(groupFor(plan, 'xstate-a').name).toBe('logs');
    expect(groupFor(plan, 'other')).toMatchObject({
      name: 'logs',
      partitions: 2,
      replicationFactor: -1,
      configs: {},
    });
    const onlyCompacted = topicCreationPlan(
      {
        ...base,
        'topic.creation.groups': 'compacted',
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '2',
        'topic.creation.default.retention.ms': '1000',
        'topic.creation.compacted.include': 'state-.*',
      },
      true,
    );
    if (!onlyCompacted) throw new Error('no plan');
    expect(groupFor(onlyCompacted, 'plain')).toMatchObject({
      name: 'default',
      partitions: 2,
      replicationFactor: 1,
      configs: { 'retention.ms': '1000' },
    });
  });
});
