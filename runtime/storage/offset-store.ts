// Source offsets: per connector, a map from source partition to source offset. Keys and values are
// stored as Apache Kafka Connect serialises them (JSON without schemas): key ["<connector>",{partition}],
// value {offset}; the same layout works for the standalone file and the distributed offsets topic.
import type { OffsetMap } from '../api/index.ts';

export interface OffsetEntry {
  readonly connector: string;
  readonly partition: OffsetMap;
  /** null removes the partition's offset (a reset). */
  readonly offset: OffsetMap | null;
}

export interface OffsetStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  get(connector: string, partitions: readonly OffsetMap[]): Promise<(OffsetMap | null)[]>;
  /** Resolves once the entries are durable. */
  set(entries: readonly OffsetEntry[]): Promise<void>;
  /** Every partition with an offset for the connector. */
  connectorOffsets(connector: string): Promise<{ partition: OffsetMap; offset: OffsetMap }[]>;
}

/** An offset entry as a record of an offsets topic, on the partition Java's partitioner picks. */
export interface OffsetMessage {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer;
  /** Absent: a tombstone. */
  readonly value?: Buffer;
}

/** A topic-backed store whose entries an exactly-once task writes in its own transaction. */
export interface TransactionalOffsetStore extends OffsetStore {
  /** The entries as records of the store's topic, for the task's transaction. */
  transactionalMessages(entries: readonly OffsetEntry[]): OffsetMessage[] | Promise<OffsetMessage[]>;
  /** Told once the transaction that held these entries committed. */
  committed?(entries: readonly OffsetEntry[]): void;
}

export function offsetKey(connector: string, partition: OffsetMap): string {
  return JSON.stringify([connector, partition]);
}

export function parseOffsetKey(key: string): { connector: string; partition: OffsetMap } | null {
  try {
    const parsed = JSON.parse(key) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      isObject(parsed[1])
    ) {
      return { connector: parsed[0], partition: parsed[1] as OffsetMap };
    }
  } catch {
    // Not ours: the offsets topic may hold keys written by something else; they are passed over.
  }
  return null;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Offsets held in a map of serialised key → serialised value; what file and topic stores build on. */
export class MemoryOffsetStore implements OffsetStore {
  protected readonly data = new Map<string, string>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async get(connector: string, partitions: readonly OffsetMap[]): Promise<(OffsetMap | null)[]> {
    return partitions.map((p) => {
      const value = this.data.get(offsetKey(connector, p));
      return value === undefined ? null : (JSON.parse(value) as OffsetMap);
    });
  }

  async set(entries: readonly OffsetEntry[]): Promise<void> {
    this.apply(entries);
  }

  protected apply(entries: readonly OffsetEntry[]): void {
    for (const entry of entries) {
      const key = offsetKey(entry.connector, entry.partition);
      if (entry.offset === null) this.data.delete(key);
      else this.data.set(key, JSON.stringify(entry.offset));
    }
  }

  async connectorOffsets(connector: string): Promise<{ partition: OffsetMap; offset: OffsetMap }[]> {
    const out: { partition: OffsetMap; offset: OffsetMap }[] = [];
    for (const [key, value] of this.data) {
      const parsed = parseOffsetKey(key);
      if (parsed?.connector === connector)
        out.push({ partition: parsed.partition, offset: JSON.parse(value) as OffsetMap });
    }
    return out;
  }
}
