// A source task's topic creation (AbstractWorkerSourceTask.maybeCreateTopic in Java): before the first
// record for a topic goes out, the task's own admin client looks the topic up and creates it, when
// missing, with the settings of its topic creation group. Topics found or created are remembered, so
// each is looked up once per task run.
import { Admin, findErrorBy } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { ConnectException } from '../api/index.ts';
import { groupFor, type TopicCreationPlan } from '../config/topic-creation.ts';
import type { ClientBase } from './kafka-clients.ts';

export class SourceTopicCreator {
  private readonly known = new Set<string>();
  private admin: Admin | undefined;
  private readonly plan: TopicCreationPlan;
  private readonly client: ClientBase;
  private readonly log: Logger;

  constructor(plan: TopicCreationPlan, client: ClientBase, log: Logger) {
    this.plan = plan;
    this.client = client;
    this.log = log;
  }

  /** Whether the topic still has to be looked up (and maybe created) before a record goes to it. */
  required(topic: string): boolean {
    return !this.known.has(topic);
  }

  async ensure(topic: string): Promise<void> {
    if (this.known.has(topic)) return;
    this.admin ??= new Admin(this.client);
    this.log.info(
      `The task will send records to topic '${topic}' for the first time. Checking whether topic exists`,
    );
    if (await this.exists(topic)) {
      this.log.info(`Topic '${topic}' already exists.`);
      this.known.add(topic);
      return;
    }
    const group = groupFor(this.plan, topic);
    const description =
      `{name=${topic}, numPartitions=${group.partitions}, replicationFactor=${group.replicationFactor}, ` +
      `configs=${JSON.stringify(group.configs)}}`;
    this.log.info(`Creating topic '${topic}'`);
    try {
      await this.admin.createTopics({
        topics: [topic],
        partitions: group.partitions,
        replicas: group.replicationFactor,
        configs: Object.entries(group.configs).map(([name, value]) => ({ name, value })),
      });
      this.log.info(`Created topic '${description}' using creation group ${group.name}`);
    } catch (error) {
      if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) {
        throw new ConnectException(
          `Task failed to create new topic ${description}. Ensure that the task is authorized to create ` +
            `topics or that the topic exists and restart the task: ${(error as Error).message}`,
          { cause: error },
        );
      }
      this.log.info(`Found existing topic '${topic}'`);
    }
    this.known.add(topic);
  }

  private async exists(topic: string): Promise<boolean> {
    try {
      const metadata = await (this.admin as Admin).metadata({
        topics: [topic],
        autocreateTopics: false,
        forceUpdate: true,
        // An unknown topic is an answer here, not a failure to retry.
        retries: 0,
      });
      return (metadata.topics.get(topic)?.partitionsCount ?? 0) > 0;
    } catch {
      // Unknown topic (or not allowed to describe it): creating it tells which.
      return false;
    }
  }

  async close(): Promise<void> {
    await this.admin?.close();
  }
}
