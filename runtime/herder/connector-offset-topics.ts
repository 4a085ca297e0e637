// Which offset store a source connector uses in distributed mode, as Java's Worker.offsetStoreFor*:
// with offsets.storage.topic naming another topic than the worker's offset.storage.topic, its own
// topic first and the worker's as fallback (connector-offset-store.ts); otherwise the worker's.
// The connector's topic is created if missing with the worker's offsets topic settings (partitions,
// replication factor, offset.storage.*, compacted), through a client with the connector's
// admin.override.* settings, as Java's TopicAdmin for it. Each connector's topic store is opened
// once and read until the worker stops, shared by its tasks and the offsets endpoints.
import type { Props } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { logger } from '../logging.ts';
import { ConnectorOffsetStore } from '../storage/connector-offset-store.ts';
import type { KafkaOffsetStore } from '../storage/kafka-offset-store.ts';
import type { TransactionalOffsetStore } from '../storage/offset-store.ts';
import { baseClientOptions } from '../worker/kafka-clients.ts';

const log = logger('org.apache.kafka.connect.storage.ConnectorOffsetBackingStore');

/** The connector's offsets.storage.topic, trimmed as Java's STRING settings are; null when unset. */
export function connectorOffsetsTopic(props: Props): string | null {
  const topic = props['offsets.storage.topic']?.trim();
  return topic ? topic : null;
}

/**
 * Standalone workers keep every offset in offset.storage.file.filename: Java passes offsets.storage.topic
 * over silently there; Weir says so once per config put, as a connector moved from a distributed
 * cluster would otherwise look like it lost its offsets.
 */
export function warnOffsetsTopicUnusedInStandalone(connector: string, props: Props): void {
  if (connectorOffsetsTopic(props) === null) return;
  log.warn(
    { connector },
    `Connector ${connector}: offsets.storage.topic has no effect in standalone mode; its source offsets are kept in the worker's offset.storage.file.filename`,
  );
}

export class ConnectorOffsetTopics {
  private readonly worker: WorkerConfig;
  private readonly global: KafkaOffsetStore;
  private readonly opened = new Map<string, Promise<KafkaOffsetStore>>();

  constructor(worker: WorkerConfig, global: KafkaOffsetStore) {
    this.worker = worker;
    this.global = global;
  }

  /** The store of the connector's source offsets; `props` its config with placeholders resolved. */
  storeFor(connector: string, props: Props): TransactionalOffsetStore {
    const topic = connectorOffsetsTopic(props);
    // The worker's own topic named again: one store, as Java's withOnlyConnectorStore (same cluster).
    if (topic === null || topic === this.global.topic) return this.global;
    return new ConnectorOffsetStore(
      () => this.open(connector, topic, props),
      this.global,
      log.child({ connector }),
    );
  }

  private open(connector: string, topic: string, props: Props): Promise<KafkaOffsetStore> {
    const key = JSON.stringify([connector, topic]);
    let store = this.opened.get(key);
    if (!store) {
      const created = this.global.forTopic(
        topic,
        baseClientOptions(this.worker, `connector-adminclient-${connector}`, 'admin', props),
      );
      store = created.start().then(() => created);
      // A failed start (e.g. the topic could not be created) is tried again by the next user.
      store.catch(() => this.opened.delete(key));
      this.opened.set(key, store);
    }
    return store;
  }

  /**
   * Stops reading the own topics of connectors that are deleted (`exists` says no) and have nothing
   * left running here (`inUse`); called once revoked work has stopped and flushed its offsets.
   */
  async releaseDeleted(exists: (connector: string) => boolean, inUse: ReadonlySet<string>): Promise<void> {
    const released: Promise<KafkaOffsetStore>[] = [];
    for (const [key, store] of this.opened) {
      const [connector] = JSON.parse(key) as [string, string];
      if (exists(connector) || inUse.has(connector)) continue;
      this.opened.delete(key);
      released.push(store);
    }
    await Promise.all(released.map((s) => s.then((store) => store.stop()).catch(() => undefined)));
  }

  async stop(): Promise<void> {
    const stores = [...this.opened.values()];
    this.opened.clear();
    await Promise.all(stores.map((s) => s.then((store) => store.stop()).catch(() => undefined)));
  }
}
