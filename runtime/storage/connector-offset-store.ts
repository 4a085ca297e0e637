// The offsets of a source connector with its own offsets topic (offsets.storage.topic, distributed
// mode), as Java's ConnectorOffsetBackingStore.withConnectorAndWorkerStores: the connector's topic is
// the primary store, the worker's offsets topic the secondary one. Reads take the connector's topic's
// offset and fall back to the worker's for partitions it has none of (offsets from before the topic
// was set); writes go to the connector's topic, then, best effort, to the worker's.
import type { Logger } from 'pino';
import type { OffsetMap } from '../api/index.ts';
import {
  offsetKey,
  type OffsetEntry,
  type OffsetMessage,
  type OffsetStore,
  type TransactionalOffsetStore,
} from './offset-store.ts';

export class ConnectorOffsetStore implements TransactionalOffsetStore {
  private readonly primary: () => Promise<TransactionalOffsetStore>;
  private readonly secondary: OffsetStore;
  private readonly log: Logger;

  /** `primary` opens (once, shared) the started store of the connector's topic, creating the topic if missing. */
  constructor(primary: () => Promise<TransactionalOffsetStore>, secondary: OffsetStore, log: Logger) {
    this.primary = primary;
    this.secondary = secondary;
    this.log = log;
  }

  // Both stores live as long as the worker (see connector-offset-topics.ts), not as this view.
  async start(): Promise<void> {
    await this.primary();
  }
  async stop(): Promise<void> {}

  async get(connector: string, partitions: readonly OffsetMap[]): Promise<(OffsetMap | null)[]> {
    const primary = await this.primary();
    const [own, worker] = await Promise.all([
      primary.get(connector, partitions),
      this.secondary.get(connector, partitions),
    ]);
    return own.map((offset, i) => offset ?? worker[i] ?? null);
  }

  /**
   * Tombstones go to the worker's topic first and must succeed there (KAFKA-15018: otherwise a reset
   * offset would come back from the fallback); then everything to the connector's topic; then the
   * other offsets to the worker's topic without waiting, a failure there only logged.
   */
  async set(entries: readonly OffsetEntry[]): Promise<void> {
    const primary = await this.primary();
    const tombstones = entries.filter((e) => e.offset === null);
    if (tombstones.length > 0) await this.secondary.set(tombstones);
    await primary.set(entries);
    this.copyToWorkerTopic(entries.filter((e) => e.offset !== null));
  }

  async connectorOffsets(connector: string): Promise<{ partition: OffsetMap; offset: OffsetMap }[]> {
    const primary = await this.primary();
    const [own, worker] = await Promise.all([
      primary.connectorOffsets(connector),
      this.secondary.connectorOffsets(connector),
    ]);
    const merged = new Map<string, { partition: OffsetMap; offset: OffsetMap }>();
    for (const entry of [...worker, ...own]) merged.set(offsetKey(connector, entry.partition), entry);
    return [...merged.values()];
  }

  async transactionalMessages(entries: readonly OffsetEntry[]): Promise<OffsetMessage[]> {
    return (await this.primary()).transactionalMessages(entries);
  }

  /**
   * An exactly-once task's offsets reach the worker's topic once their transaction committed (Java
   * writes them once sent in it, before the commit: an aborted transaction's offsets could then be
   * read from the fallback and its records skipped).
   */
  committed(entries: readonly OffsetEntry[]): void {
    this.copyToWorkerTopic(entries.filter((e) => e.offset !== null));
  }

  private copyToWorkerTopic(entries: readonly OffsetEntry[]): void {
    if (entries.length === 0) return;
    this.secondary.set(entries).then(
      () => this.log.debug('Successfully flushed offsets to secondary backing store'),
      (error: unknown) => this.log.warn({ err: error }, 'Failed to write offsets to secondary backing store'),
    );
  }
}
