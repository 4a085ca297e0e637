// Topic creation for source connectors (KIP-158), as Apache Kafka Connect's SourceConnectorConfig,
// TopicCreationConfig and TopicCreationGroup: with the worker's topic.creation.enable on and any
// topic.creation.* key in the connector config, the `default` group's replication factor and partitions
// are required, and each topic a task sends to is created with the settings of the first group of
// topic.creation.groups that matches its name (else `default`) before its first record goes out.
import { ConfigDef, ConfigException, Validators, invalid, type Props } from '../api/index.ts';
import { logger } from '../logging.ts';

export const TOPIC_CREATION_PREFIX = 'topic.creation.';
export const DEFAULT_GROUP = 'default';
const GROUP_SETTINGS = new Set(['include', 'exclude', 'replication.factor', 'partitions']);

export interface TopicCreationGroup {
  readonly name: string;
  /** Whole-name matches, as Java's Pattern.matcher().matches() on the patterns joined with `|`. */
  readonly include: RegExp;
  readonly exclude: RegExp;
  /** -1: the broker's default. */
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
  /** Any other topic.creation.<group>.<setting>: topic configs of the new topic. */
  readonly configs: Readonly<Record<string, string>>;
}

export interface TopicCreationPlan {
  /** The groups of topic.creation.groups, in the listed order, without `default`. */
  readonly groups: readonly TopicCreationGroup[];
  readonly defaultGroup: TopicCreationGroup;
}

/** Whether a connector config asks for topic creation (any topic.creation.* key), as Java's usesTopicCreation. */
export function usesTopicCreation(props: Props): boolean {
  return Object.keys(props).some((k) => k.startsWith(TOPIC_CREATION_PREFIX));
}

const replicationFactorValidator = (name: string, value: unknown) => {
  if (value !== -1 && (value as number) < 1)
    invalid(
      name,
      value,
      "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default",
    );
};

const partitionsValidator = (name: string, value: unknown) => {
  if (value !== -1 && (value as number) < 1)
    invalid(name, value, "Number of partitions must be positive, or -1 to use the broker's default");
};

const regexValidator = (name: string, value: unknown) => {
  for (const pattern of (value as string[] | null) ?? []) {
    try {
      new RegExp(pattern);
    } catch (error) {
      invalid(name, value, `Syntax error in regular expression: ${(error as Error).message}`);
    }
  }
};

/** The settings of one group under topic.creation.<group>., as TopicCreationConfig.configDef. */
function groupConfigDef(group: string, defaults: { rf: number; partitions: number } | null): ConfigDef {
  const prefix = `${TOPIC_CREATION_PREFIX}${group}.`;
  // Java names the default group's settings' group `default`, the others' `Topic Creation: <group>`.
  const display = group === DEFAULT_GROUP ? group : `Topic Creation: ${group}`;
  let order = 0;
  const common = { importance: 'LOW' as const, group: display, width: 'LONG' as const };
  return new ConfigDef()
    .define(`${prefix}include`, {
      ...common,
      type: 'LIST',
      defaultValue: defaults ? '' : '.*',
      validator: defaults ? regexValidator : Validators.nonNull(),
      documentation:
        'A list of regular expression literals used to match the topic names used by the source connector. This list is used to include topics that should be created using the topic settings defined by this group.',
      orderInGroup: ++order,
      displayName: `Inclusion Topic Pattern for ${display}`,
    })
    .define(`${prefix}exclude`, {
      ...common,
      type: 'LIST',
      defaultValue: '',
      validator: defaults ? regexValidator : Validators.nonNull(),
      documentation:
        'A list of regular expression literals used to match the topic names used by the source connector. This list is used to exclude topics from being created with the topic settings defined by this group. Note that exclusion rules have precedent and override any inclusion rules for the topics.',
      orderInGroup: ++order,
      displayName: `Exclusion Topic Pattern for ${display}`,
    })
    .define(`${prefix}replication.factor`, {
      ...common,
      type: 'SHORT',
      ...(defaults ? { defaultValue: defaults.rf } : {}),
      validator: replicationFactorValidator,
      documentation:
        "The replication factor for new topics created for this connector using this group. -1 uses the broker's default. Required for the default group; other groups default to the default group's value.",
      orderInGroup: ++order,
      displayName: `Replication Factor for Topics in ${display}`,
    })
    .define(`${prefix}partitions`, {
      ...common,
      type: 'INT',
      ...(defaults ? { defaultValue: defaults.partitions } : {}),
      validator: partitionsValidator,
      documentation:
        "The number of partitions of new topics created for this connector using this group. -1 uses the broker's default. Required for the default group; other groups default to the default group's value.",
      orderInGroup: order + 1,
      displayName: `Partition Count for Topics in ${display}`,
    });
}

/** topic.creation.groups without `default` (always there, never to be listed) and duplicates. */
function listedGroups(props: Props): string[] {
  const raw = props[`${TOPIC_CREATION_PREFIX}groups`]?.trim() ?? '';
  const aliases = raw === '' ? [] : raw.split(/\s*,\s*/);
  if (aliases.includes(DEFAULT_GROUP)) {
    logger('org.apache.kafka.connect.runtime.SourceConnectorConfig').warn(
      "'default' topic creation group always exists and does not need to be listed explicitly",
    );
  }
  return [...new Set(aliases.filter((a) => a !== DEFAULT_GROUP))];
}

/** Java's Pattern.compile(String.join("|", patterns)) used with matches(): the whole name must match. */
function wholeName(patterns: readonly string[]): RegExp {
  return new RegExp(`^(?:${patterns.join('|')})$`);
}

function otherConfigs(props: Props, group: string): Record<string, string> {
  const prefix = `${TOPIC_CREATION_PREFIX}${group}.`;
  const configs: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (!key.startsWith(prefix)) continue;
    const setting = key.slice(prefix.length);
    if (!GROUP_SETTINGS.has(setting)) configs[setting] = value;
  }
  return configs;
}

/**
 * The topic creation groups of a source connector config, or null when topic creation is off (the
 * worker's topic.creation.enable is false, or the config has no topic.creation.* key). Throws a
 * ConfigException naming every invalid setting, as Java's SourceConnectorConfig does when the connector
 * or its tasks start.
 */
export function topicCreationPlan(props: Props, workerEnabled: boolean): TopicCreationPlan | null {
  if (!workerEnabled || !usesTopicCreation(props)) return null;
  const groupsKey = `${TOPIC_CREATION_PREFIX}groups`;
  const raw = props[groupsKey]?.trim() ?? '';
  const aliases = raw === '' ? [] : raw.split(/\s*,\s*/);
  if (aliases.length > new Set(aliases).size) {
    throw new ConfigException(groupsKey, raw, 'Duplicate alias provided.');
  }
  // The default group's include and exclude are fixed: what the config says for them is passed over.
  const defaultValues = groupConfigDef(DEFAULT_GROUP, null).parse(
    Object.fromEntries(
      Object.entries(props).filter(
        ([k]) =>
          k !== `${TOPIC_CREATION_PREFIX}default.include` && k !== `${TOPIC_CREATION_PREFIX}default.exclude`,
      ),
    ),
  );
  const defaults = {
    rf: defaultValues[`${TOPIC_CREATION_PREFIX}default.replication.factor`] as number,
    partitions: defaultValues[`${TOPIC_CREATION_PREFIX}default.partitions`] as number,
  };
  const defaultGroup: TopicCreationGroup = {
    name: DEFAULT_GROUP,
    include: wholeName(['.*']),
    exclude: wholeName([]),
    partitions: defaults.partitions,
    replicationFactor: defaults.rf,
    configs: otherConfigs(props, DEFAULT_GROUP),
  };
  const problems: { name: string; message: string }[] = [];
  const groups: TopicCreationGroup[] = [];
  for (const name of listedGroups(props)) {
    const prefix = `${TOPIC_CREATION_PREFIX}${name}.`;
    let values: Record<string, unknown>;
    try {
      values = groupConfigDef(name, defaults).parse(props);
    } catch (error) {
      if (!(error instanceof ConfigException)) throw error;
      problems.push(...error.problems);
      continue;
    }
    groups.push({
      name,
      include: wholeName(values[`${prefix}include`] as string[]),
      exclude: wholeName(values[`${prefix}exclude`] as string[]),
      partitions: values[`${prefix}partitions`] as number,
      replicationFactor: values[`${prefix}replication.factor`] as number,
      configs: otherConfigs(props, name),
    });
  }
  if (problems.length > 0) throw new ConfigException(problems);
  return { groups, defaultGroup };
}

/** The group a new topic is created with: the first listed group that matches, else `default`. */
export function groupFor(plan: TopicCreationPlan, topic: string): TopicCreationGroup {
  return plan.groups.find((g) => !g.exclude.test(topic) && g.include.test(topic)) ?? plan.defaultGroup;
}
