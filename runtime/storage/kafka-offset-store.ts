// Source offsets in the offsets topic (`offset.storage.topic`, default connect-offsets, 25
// partitions), as Apache Kafka Connect's KafkaOffsetBackingStore keeps them: key
// `["<connector>",{partition}]`, value `{offset}`, both JSON without schemas or spaces; a null
// value (tombstone) removes a partition's offset. Every worker reads the whole topic, so any worker
// answers for any connector; reads first catch up with the topic's end.
import type { ClientBase } from '../worker/kafka-clients.ts';
import type { OffsetMap } from '../api/index.ts';
import { WeirError } from '../errors.ts';
import type { KafkaLog } from './kafka-log.ts';
import { javaPartition, startStoreLog, type KafkaStoreOptions, type LogRecord } from './kafka-log.ts';
import {
  MemoryOffsetStore,
  offsetKey,
  parseOffsetKey,
  type OffsetEntry,
  type OffsetMessage,
  type TransactionalOffsetStore,
} from './offset-store.ts';

export const DEFAULT_OFFSETS_TOPIC = 'connect-offsets';

/** `property`: the setting that names the topic, for messages (a connector's own: offsets.storage.topic). */
type KafkaOffsetStoreOptions = KafkaStoreOptions & { readonly property?: string };

export class KafkaOffsetStore extends MemoryOffsetStore implements TransactionalOffsetStore {
  private readonly options: KafkaOffsetStoreOptions;
  private log: KafkaLog | undefined;

  constructor(options: KafkaOffsetStoreOptions) {
    super();
    this.options = options;
  }

  /** A store of another topic, created if missing with this store's topic settings, read through `client`. */
  forTopic(topic: string, client: ClientBase): KafkaOffsetStore {
    return new KafkaOffsetStore({ ...this.options, topic, client, property: 'offsets.storage.topic' });
  }

  get topic(): string {
    return this.options.topic ?? DEFAULT_OFFSETS_TOPIC;
  }

  override async start(): Promise<void> {
    this.log = await startStoreLog(
      this.options,
      {
        name: this.topic,
        partitions: this.options.partitions ?? 25,
        property: this.options.property ?? 'offset.storage.topic',
        // A connector's own topic is created with the worker's offset.storage.* settings too.
        settingsPrefix: 'offset.storage.',
        purpose: 'source connector offsets',
      },
      (record) => this.read(record),
    );
  }

  override async stop(): Promise<void> {
    await this.log?.stop();
    this.log = undefined;
  }

  override async get(connector: string, partitions: readonly OffsetMap[]): Promise<(OffsetMap | null)[]> {
    await this.started().readToEnd();
    return super.get(connector, partitions);
  }

  /** Resolves once every entry is acknowledged by all in-sync replicas; read back like any record. */
  override async set(entries: readonly OffsetEntry[]): Promise<void> {
    const log = this.started();
    await Promise.all(
      entries.map((entry) =>
        log.send(
          Buffer.from(offsetKey(entry.connector, entry.partition)),
          entry.offset === null ? null : Buffer.from(JSON.stringify(entry.offset)),
        ),
      ),
    );
  }

  /**
   * The entries as records of this topic, on the partitions Java's partitioner picks, for an
   * exactly-once task to write in its own transaction; they count once read back committed.
   */
  transactionalMessages(entries: readonly OffsetEntry[]): OffsetMessage[] {
    const partitions = this.started().partitionCount;
    return entries.map((entry) => {
      const key = Buffer.from(offsetKey(entry.connector, entry.partition));
      const message = { topic: this.topic, partition: javaPartition(key, partitions), key };
      return entry.offset === null
        ? message
        : { ...message, value: Buffer.from(JSON.stringify(entry.offset)) };
    });
  }

  override async connectorOffsets(connector: string): Promise<{ partition: OffsetMap; offset: OffsetMap }[]> {
    await this.started().readToEnd();
    return super.connectorOffsets(connector);
  }

  /** Catches up with the topic's end. */
  async readToEnd(): Promise<void> {
    await this.started().readToEnd();
  }

  private started(): KafkaLog {
    if (!this.log)
      throw new WeirError('WEIR_NOT_READY', `the offset store of topic ${this.topic} is not started`);
    return this.log;
  }

  private read(record: LogRecord): void {
    if (record.key === null) return;
    const parsed = parseOffsetKey(record.key.toString('utf8'));
    // Keys written by something else are passed over, as Java's store keeps them but never asks.
    if (!parsed) return;
    const key = offsetKey(parsed.connector, parsed.partition);
    if (record.value === null) {
      this.data.delete(key);
      return;
    }
    try {
      const offset = JSON.parse(record.value.toString('utf8')) as unknown;
      if (typeof offset === 'object' && offset !== null) this.data.set(key, JSON.stringify(offset));
    } catch {
      // Not JSON: not an offset Weir or Connect wrote; ignored.
    }
  }
}
