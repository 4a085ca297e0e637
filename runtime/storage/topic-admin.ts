// The internal topics of distributed mode: created with the configured partitions, replication and
// `cleanup.policy=compact` when missing, validated when present (Apache Kafka Connect's TopicAdmin
// and KafkaTopicBasedBackingStore). Two workers creating one topic at once is fine: the loser finds
// the topic already there and validates it like any existing topic.
import { Admin, findErrorBy } from '@platformatic/kafka';
import { WeirError } from '../errors.ts';
import { logger } from '../logging.ts';
import { ADMIN_API_RETRIES, type ClientBase } from '../worker/kafka-clients.ts';

export interface TopicSpec {
  readonly name: string;
  /** -1: the broker's default. */
  readonly partitions: number;
  /** -1: the broker's default. */
  readonly replicationFactor: number;
  /** Topic settings for a new topic; cleanup.policy is always compact. */
  readonly configs?: Readonly<Record<string, string>>;
  /** The worker setting that names the topic, for messages (e.g. "config.storage.topic"). */
  readonly property: string;
  /** The worker settings that became `configs` (default: `property` without "topic", e.g. "config.storage."). */
  readonly settingsPrefix?: string;
  /** What the topic holds, for messages (e.g. "connector configurations"). */
  readonly purpose: string;
  /** The config topic: refuse a topic with more than one partition. */
  readonly exactlyOnePartition?: boolean;
}

export interface EnsuredTopic {
  readonly created: boolean;
  readonly partitions: number;
}

const CONFIG_RESOURCE_TOPIC = 2;

/** Creates the topic if it is missing; otherwise checks it can hold what it must (see TopicSpec). */
export async function ensureTopic(client: ClientBase, spec: TopicSpec): Promise<EnsuredTopic> {
  // A worker waits for its internal topics about as long as Java's (default.api.timeout.ms), then exits.
  const admin = new Admin({ ...client, clientId: client.clientId, retries: ADMIN_API_RETRIES });
  try {
    const created = await createTopic(admin, spec);
    const partitions = await partitionCount(admin, spec.name);
    if (created) {
      logger('org.apache.kafka.connect.util.TopicAdmin').info(
        `Created topic ${spec.name} (${partitions} partitions) for ${spec.purpose}`,
      );
    } else {
      checkCleanupPolicy(spec, await cleanupPolicy(admin, spec.name));
    }
    checkPartitions(spec, partitions);
    return { created, partitions };
  } finally {
    await admin.close();
  }
}

async function createTopic(admin: Admin, spec: TopicSpec): Promise<boolean> {
  const configs = Object.entries({ ...spec.configs, 'cleanup.policy': 'compact' }).map(([name, value]) => ({
    name,
    value,
  }));
  try {
    await admin.createTopics({
      topics: [spec.name],
      partitions: spec.exactlyOnePartition ? 1 : spec.partitions,
      replicas: spec.replicationFactor,
      configs,
    });
    return true;
  } catch (error) {
    if (findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) return false;
    const reason = brokerReason(error) ?? (error as Error).message;
    throw new WeirError(
      'WEIR_NOT_READY',
      `Unable to create topic '${spec.name}' supplied via the '${spec.property}' property: ${reason}${settingHint(spec, reason)}`,
      { cause: error },
    );
  }
}

/** The broker's own words for a failed CreateTopics (its errorMessage), as Java reports them. */
function brokerReason(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const walk = (e: unknown): string | undefined => {
    if (typeof e !== 'object' || e === null || seen.has(e)) return undefined;
    seen.add(e);
    const { response, errors, cause } = e as { response?: unknown; errors?: unknown[]; cause?: unknown };
    const topics = (response as { topics?: { errorMessage?: string | null }[] } | undefined)?.topics ?? [];
    const message = topics.find((t) => t.errorMessage)?.errorMessage;
    if (message) return message;
    for (const inner of [...(errors ?? []), cause]) {
      const found = walk(inner);
      if (found) return found;
    }
    return undefined;
  };
  return walk(error);
}

/**
 * Worker settings under the topic's prefix (offset.storage.…) become its topic configs, as in Java: when
 * the broker names one it does not know, say which setting it came from.
 */
function settingHint(spec: TopicSpec, reason: string): string {
  const prefix = spec.settingsPrefix ?? spec.property.replace(/topic$/, '');
  const unknown = /Unknown topic config name: (\S+)/.exec(reason)?.[1];
  if (!unknown || spec.configs?.[unknown] === undefined) return '';
  const hint =
    `${prefix}${unknown}` === 'offset.storage.file.filename'
      ? ' (a standalone-mode setting: remove it from a distributed worker)'
      : '';
  return `. The worker setting '${prefix}${unknown}' became that topic config, as settings starting with '${prefix}' do${hint}.`;
}

async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
      const count = metadata.topics.get(topic)?.partitionsCount;
      if (count !== undefined && count > 0) return count;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new WeirError('WEIR_NOT_READY', `topic ${topic} has no partitions`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The topic's cleanup policies, lower-cased; empty when the broker would not say. */
export async function cleanupPolicy(admin: Admin, topic: string): Promise<Set<string>> {
  const [description] = await admin.describeConfigs({
    resources: [
      { resourceType: CONFIG_RESOURCE_TOPIC, resourceName: topic, configurationKeys: ['cleanup.policy'] },
    ],
  });
  const value = description?.configs.find((c) => c.name === 'cleanup.policy')?.value ?? '';
  return parsePolicy(value);
}

export function parsePolicy(value: string): Set<string> {
  return new Set(
    value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== ''),
  );
}

/** Java's rule: the policy must be exactly compact (compact,delete would lose data in time). */
export function checkCleanupPolicy(spec: TopicSpec, policies: Set<string>): void {
  if (policies.size === 0) return; // Not allowed to describe configs: Java proceeds, so do we.
  if (policies.size === 1 && policies.has('compact')) return;
  const found = [...policies].join(',');
  throw new WeirError(
    'WEIR_INVALID_CONFIG',
    `Topic '${spec.name}' supplied via the '${spec.property}' property is required to have ` +
      `'cleanup.policy=compact' to guarantee consistency and durability of ${spec.purpose}, but found ` +
      `the topic currently has 'cleanup.policy=${found}'. Continuing would likely result in eventually ` +
      `losing ${spec.purpose} and problems restarting this Connect cluster in the future. Change the ` +
      `'${spec.property}' property in the Connect worker configurations to use a topic with ` +
      `'cleanup.policy=compact' (or change the topic: kafka-configs --alter --entity-type topics ` +
      `--entity-name ${spec.name} --add-config cleanup.policy=compact).`,
  );
}

export function checkPartitions(spec: TopicSpec, partitions: number): void {
  if (!spec.exactlyOnePartition || partitions <= 1) return;
  throw new WeirError(
    'WEIR_INVALID_CONFIG',
    `Topic '${spec.name}' supplied via the '${spec.property}' property is required to have a single ` +
      `partition in order to guarantee consistency of ${spec.purpose}, but found ${partitions} partitions. ` +
      `Change the '${spec.property}' property to name a new topic (Weir creates it with one partition).`,
  );
}
