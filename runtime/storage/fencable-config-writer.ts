// The leader's transactional writer of the config topic (KafkaConfigBackingStore's fencable producer in
// Java), used with exactly.once.source.support=preparing or enabled: transactional.id
// connect-cluster-<group.id>, so a new leader's InitProducerId fences a zombie former leader, whose
// config writes then fail instead of landing after the new leader's. Every privileged write (connector
// and task configs, commits, tasks-fencing, session key, restart requests) is its own transaction.
import { Producer } from '@platformatic/kafka';
import { WeirError } from '../errors.ts';
import { logger } from '../logging.ts';
import type { ClientBase } from '../worker/kafka-clients.ts';

export const leaderTransactionalId = (groupId: string): string => `connect-cluster-${groupId}`;

export class FencableConfigWriter {
  private readonly client: ClientBase;
  private readonly topic: string;
  private readonly transactionalId: string;
  private producer: Producer<Buffer, Buffer, Buffer, Buffer> | undefined;
  private claiming: Promise<Producer<Buffer, Buffer, Buffer, Buffer>> | undefined;
  private readonly log = logger('org.apache.kafka.connect.storage.KafkaConfigBackingStore');
  /** One transaction at a time: writes queue behind each other, in the order they were made. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(client: ClientBase, topic: string, transactionalId: string) {
    this.client = client;
    this.topic = topic;
    this.transactionalId = transactionalId;
  }

  /** Initialises the transactional producer (fencing any earlier holder of the id); idempotent. */
  claim(): Promise<Producer<Buffer, Buffer, Buffer, Buffer>> {
    if (this.producer) return Promise.resolve(this.producer);
    this.claiming ??= (async () => {
      const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
        ...this.client,
        clientId: `${this.client.clientId}-leader`,
        acks: -1,
        idempotent: true,
        transactionalId: this.transactionalId,
      });
      try {
        const first = await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
        await first.cancel();
      } catch (error) {
        await producer.close().catch(() => undefined);
        throw new WeirError(
          'WEIR_NOT_READY',
          `Failed to create and initialize fencable producer for config topic: ${(error as Error).message}`,
          { cause: error },
        );
      }
      this.producer = producer;
      return producer;
    })().finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  /** Closes the producer: the next claim() initialises the id again. */
  async relinquish(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.close().catch(() => undefined);
  }

  /** The records in one transaction, on the config topic's only partition. */
  send(records: readonly [key: string, value: Buffer | null][]): Promise<void> {
    const sent = this.queue.then(() => this.sendNow(records));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  private async sendNow(records: readonly [key: string, value: Buffer | null][]): Promise<void> {
    const producer = await this.claim();
    try {
      const transaction = await producer.beginTransaction();
      // A fenced client drops its transaction and would send without one: refuse instead.
      if (producer.transaction !== transaction) throw new Error('the producer is not in its transaction');
      await transaction.send({
        messages: records.map(([key, value]) => ({
          topic: this.topic,
          partition: 0,
          key: Buffer.from(key),
          ...(value === null ? {} : { value }),
        })),
      });
      await transaction.commit();
    } catch (error) {
      this.log.warn({ err: error }, 'Failed to perform fencable send to config topic');
      await this.relinquish();
      throw new WeirError(
        'WEIR_INTERNAL',
        `Failed to perform fencable send to config topic: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
}
