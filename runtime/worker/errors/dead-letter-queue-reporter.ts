// A sink connector's dead letter queue (errors.deadletterqueue.topic.name): each failed record is
// produced, as it was consumed (key and value bytes, headers, timestamp), to the DLQ topic, with
// Java's __connect.errors.* context headers when errors.deadletterqueue.context.headers.enable. The
// topic is created when missing with 1 partition and errors.deadletterqueue.topic.replication.factor,
// as Java's DeadLetterQueueReporter does: a factor the cluster cannot meet fails the task at start.
import { Admin, findErrorBy, Producer } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { ConnectException } from '../../api/index.ts';
import type { WorkerConfig } from '../../config/worker-config.ts';
import type { Props } from '../../api/index.ts';
import type { ErrorMetrics } from '../../metrics/task-metrics.ts';
import type { TaskId } from '../../storage/status-store.ts';
import { baseClientOptions, producerOptions } from '../kafka-clients.ts';
import type { ErrorSettings } from './error-settings.ts';
import type { ConsumedRecord } from './log-reporter.ts';
import {
  exceptionClassName,
  exceptionMessage,
  javaStackTrace,
  type ProcessingContext,
} from './processing-context.ts';
import type { ErrorReporter } from './retry-with-tolerance.ts';

const PREFIX = '__connect.errors.';
export const DLQ_HEADERS = {
  topic: `${PREFIX}topic`,
  partition: `${PREFIX}partition`,
  offset: `${PREFIX}offset`,
  connectorName: `${PREFIX}connector.name`,
  taskId: `${PREFIX}task.id`,
  stage: `${PREFIX}stage`,
  className: `${PREFIX}class.name`,
  exceptionClassName: `${PREFIX}exception.class.name`,
  exceptionMessage: `${PREFIX}exception.message`,
  exceptionStacktrace: `${PREFIX}exception.stacktrace`,
} as const;

type DlqProducer = Producer<Buffer, Buffer, Buffer, Buffer>;

/** The message that goes to the DLQ for a failed record: the raw record, then the context headers. */
export function deadLetterMessage(
  topic: string,
  context: ProcessingContext<ConsumedRecord>,
  id: TaskId,
  contextHeaders: boolean,
): {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: [Buffer, Buffer | null][];
  timestamp?: bigint;
} {
  const original = context.original;
  const headers = [...original.headerEntries];
  const add = (name: string, value: string | null) =>
    headers.push([Buffer.from(name), value === null ? null : Buffer.from(value, 'utf8')]);
  if (contextHeaders) {
    add(DLQ_HEADERS.topic, original.topic);
    add(DLQ_HEADERS.partition, String(original.partition));
    add(DLQ_HEADERS.offset, String(original.offset));
    add(DLQ_HEADERS.connectorName, id.connector);
    add(DLQ_HEADERS.taskId, String(id.task));
    add(DLQ_HEADERS.stage, context.stage ?? 'null');
    add(DLQ_HEADERS.className, context.executingClass);
    if (context.error !== undefined) {
      add(DLQ_HEADERS.exceptionClassName, exceptionClassName(context.error));
      add(DLQ_HEADERS.exceptionMessage, exceptionMessage(context.error));
      add(DLQ_HEADERS.exceptionStacktrace, javaStackTrace(context.error));
    }
  }
  return {
    topic,
    key: original.key,
    value: original.value,
    headers,
    ...(original.timestamp >= 0n ? { timestamp: original.timestamp } : {}),
  };
}

export class DeadLetterQueueReporter implements ErrorReporter<ConsumedRecord> {
  private readonly id: TaskId;
  private readonly settings: ErrorSettings;
  private readonly metrics: ErrorMetrics;
  private readonly log: Logger;
  private readonly producer: DlqProducer;

  private constructor(
    id: TaskId,
    settings: ErrorSettings,
    metrics: ErrorMetrics,
    log: Logger,
    producer: DlqProducer,
  ) {
    this.id = id;
    this.settings = settings;
    this.metrics = metrics;
    this.log = log;
    this.producer = producer;
  }

  /** Creates the DLQ topic if it is missing, then the reporter with its own producer. */
  static async create(
    id: TaskId,
    settings: ErrorSettings,
    metrics: ErrorMetrics,
    log: Logger,
    worker: WorkerConfig,
    connectorProps: Props,
  ): Promise<DeadLetterQueueReporter> {
    const topic = settings.dlqTopic;
    const taskName = `${id.connector}-${id.task}`;
    const admin = new Admin(
      baseClientOptions(worker, `connector-dlq-adminclient-${taskName}`, 'admin', connectorProps),
    );
    try {
      if (!(await admin.listTopics()).includes(topic)) {
        log.error(`Topic ${topic} doesn't exist. Will attempt to create topic.`);
        await admin.createTopics({
          topics: [topic],
          partitions: 1,
          replicas: settings.dlqReplicationFactor,
        });
      }
    } catch (error) {
      if (!findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS'))
        throw new ConnectException(`Could not initialize dead letter queue with topic=${topic}`, {
          // The broker's answer (e.g. the replication factor is larger than the brokers), not the wrapper.
          cause: findErrorBy(error as Error, 'code', 'PLT_KFK_PROTOCOL') ?? error,
        });
    } finally {
      await admin.close();
    }
    const producer: DlqProducer = new Producer(
      producerOptions(worker, connectorProps, `connector-dlq-producer-${taskName}`),
    );
    return new DeadLetterQueueReporter(id, settings, metrics, log, producer);
  }

  report(context: ProcessingContext<ConsumedRecord>): Promise<void> {
    this.metrics.dlqProduceRequests++;
    // Built now: the context moves on to later stages while the write is in flight.
    const message = deadLetterMessage(
      this.settings.dlqTopic,
      context,
      this.id,
      this.settings.dlqContextHeaders,
    );
    return this.producer
      .send({ messages: [{ ...message, headers: new Map(message.headers) } as never] })
      .then(
        () => undefined,
        (error: unknown) => {
          this.log.error(
            { err: error },
            `Could not produce message to dead letter queue. topic=${this.settings.dlqTopic}`,
          );
          this.metrics.dlqProduceFailures++;
          throw error;
        },
      );
  }

  async close(): Promise<void> {
    await this.producer.close(true);
  }
}
