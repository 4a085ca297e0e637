// A compacted topic read from its beginning into a callback, and written to with acks=all: what the
// distributed config, offset and status stores build on (Apache Kafka Connect's KafkaBasedLog).
//
// Reading needs no consumer group: the log lists each partition's earliest offset, then fetches every
// partition from its leader in one loop per broker, delivering records in offset order per
// partition. `readToEnd()` lists the end offsets at call time and resolves once every record before
// them has been delivered, after this log's own pending writes are acknowledged (Java flushes the
// producer first, too). Writes are queued and sent in order, one request at a time, so two writes
// to one key land in the order they were made. A key always lands on the partition Java's default
// partitioner picks (murmur2 of the key bytes), so a Java worker and Weir compact the same keys.
import {
  compatibilityPartitioner,
  Consumer,
  findErrorBy,
  ListOffsetTimestamps,
  Producer,
} from '@platformatic/kafka';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { WeirError } from '../errors.ts';
import { logger } from '../logging.ts';
import type { ClientBase } from '../worker/kafka-clients.ts';
import { committedBatches, fetchUncommitted, unfilteredRecords } from './committed-batches.ts';
import { ensureTopic, type TopicSpec } from './topic-admin.ts';

/** Logs read committed data only (Java: isolation.level=read_committed), so transactional writes count once committed. */
const READ_COMMITTED = 1;

export interface LogRecord {
  readonly key: Buffer | null;
  /** null: a tombstone. */
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: bigint;
}

export interface KafkaLogOptions {
  readonly topic: string;
  readonly client: ClientBase;
  /** Called for every record, in offset order within a partition; errors it throws are logged. */
  readonly onRecord: (record: LogRecord) => void;
  /** How long a fetch waits at the broker for new records (default 500 ms). */
  readonly fetchMaxWaitMs?: number;
  /** How long start() waits for the topic and its partition leaders (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** What every Kafka-backed store is built from: the clients' settings and its topic's. */
export interface KafkaStoreOptions {
  readonly client: ClientBase;
  /** Defaults: connect-configs, connect-offsets, connect-status. */
  readonly topic?: string;
  /** For a new topic; defaults: 1 (configs, always), 25 (offsets), 5 (status). */
  readonly partitions?: number;
  /** For a new topic; default 3, -1 for the broker's default. */
  readonly replicationFactor?: number;
  /** Further settings for a new topic (config.storage.* etc.); cleanup.policy is always compact. */
  readonly topicConfigs?: Readonly<Record<string, string>>;
  readonly fetchMaxWaitMs?: number;
}

/** Ensures the store's topic (see topic-admin.ts), then starts a log that reads it. */
export async function startStoreLog(
  options: KafkaStoreOptions,
  spec: Omit<TopicSpec, 'replicationFactor' | 'configs'> & { replicationFactor?: number },
  onRecord: (record: LogRecord) => void,
): Promise<KafkaLog> {
  await ensureTopic(options.client, {
    ...spec,
    replicationFactor: options.replicationFactor ?? spec.replicationFactor ?? 3,
    configs: options.topicConfigs,
  });
  const log = new KafkaLog({
    topic: spec.name,
    client: options.client,
    onRecord,
    fetchMaxWaitMs: options.fetchMaxWaitMs,
  });
  await log.start();
  return log;
}

interface Waiter {
  readonly ends: readonly bigint[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface Pending {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly resolve: (written: { partition: number; offset: bigint }) => void;
  readonly reject: (error: Error) => void;
}

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

const MAX_BATCH = 500;
const RETRY_DELAY_MS = 500;

export class KafkaLog {
  readonly topic: string;
  private readonly options: KafkaLogOptions;
  private readonly log: Logger;
  private consumer: Consumer | undefined;
  /** Fetches read_uncommitted, where the client's own read_committed filtering went wrong (its own fetch sessions). */
  private rawConsumer: Consumer | undefined;
  private producer: Producer | undefined;
  private topicId = '';
  private positions: bigint[] = [];
  private leaders = new Map<number, number[]>();
  private readonly nodeLoops = new Map<number, Promise<void>>();
  private waiters: Waiter[] = [];
  private queue: Pending[] = [];
  private sending: Promise<void> | null = null;
  private stopped = true;
  private refresh: (() => void) | null = null;
  private metadataLoop: Promise<void> | null = null;

  constructor(options: KafkaLogOptions) {
    this.options = options;
    this.topic = options.topic;
    this.log = logger('org.apache.kafka.connect.util.KafkaBasedLog').child({ topic: options.topic });
  }

  get partitionCount(): number {
    return this.positions.length;
  }

  /** Reads the topic from its beginning to its end; keeps reading in the background until stop(). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const { client } = this.options;
    this.consumer = new Consumer({
      ...client,
      clientId: client.clientId,
      groupId: `${client.clientId}-unused`,
    });
    this.producer = new Producer({ ...client, acks: -1 });
    try {
      await this.awaitLeaders();
      const earliest = await this.listOffsets(ListOffsetTimestamps.EARLIEST);
      this.positions = [...earliest];
      this.metadataLoop = this.runMetadataLoop();
      await this.readToEnd();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Resolves once every record written before the call (and this log's own pending writes) was delivered. */
  async readToEnd(): Promise<void> {
    this.checkStarted();
    await this.flush();
    const ends = await this.listOffsets(ListOffsetTimestamps.LATEST);
    if (this.reached(ends)) return;
    await new Promise<void>((resolve, reject) => this.waiters.push({ ends, resolve, reject }));
  }

  /** Writes one record; resolves with where it landed once every in-sync replica has it. */
  send(key: Buffer | null, value: Buffer | null): Promise<{ partition: number; offset: bigint }> {
    this.checkStarted();
    return new Promise((resolve, reject) => {
      this.queue.push({ key, value, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.sending || this.queue.length === 0) return;
    this.sending = this.drain().finally(() => {
      this.sending = null;
      // A write queued while the last batch was being acknowledged.
      this.pump();
    });
  }

  /** Waits until every write made so far is acknowledged or failed. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  async stop(): Promise<void> {
    if (this.stopped && !this.consumer) return;
    await this.flush().catch(() => {});
    this.stopped = true;
    this.refresh?.();
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(new WeirError('WEIR_NOT_READY', `the log of topic ${this.topic} was stopped`));
    }
    await Promise.allSettled([
      this.producer?.close(),
      this.consumer?.close(true),
      this.rawConsumer?.close(true),
    ]);
    this.rawConsumer = undefined;
    await Promise.allSettled([this.metadataLoop, ...this.nodeLoops.values()]);
    this.consumer = undefined;
    this.producer = undefined;
  }

  private checkStarted(): void {
    if (this.stopped) throw new WeirError('WEIR_NOT_READY', `the log of topic ${this.topic} is not started`);
  }

  private async awaitLeaders(): Promise<void> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    for (;;) {
      try {
        if (await this.updateLeaders(true)) return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new WeirError(
            'WEIR_NOT_READY',
            `cannot read topic ${this.topic}: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        }
      }
      if (Date.now() > deadline) {
        throw new WeirError('WEIR_NOT_READY', `topic ${this.topic} has partitions without a leader`);
      }
      await sleep(200);
    }
  }

  /** Reads the topic's partition leaders; false while a partition has none. */
  private async updateLeaders(force: boolean): Promise<boolean> {
    const metadata = await this.consumer!.metadata({ topics: [this.topic], forceUpdate: force });
    const info = metadata.topics.get(this.topic);
    if (!info) return false;
    const leaders = new Map<number, number[]>();
    let complete = true;
    info.partitions.forEach((p, partition) => {
      if (p.leader < 0) complete = false;
      else leaders.set(p.leader, [...(leaders.get(p.leader) ?? []), partition]);
    });
    // Partitions added to the topic since start are read from their beginning.
    while (this.positions.length < info.partitions.length) this.positions.push(0n);
    this.topicId = info.id;
    this.leaders = leaders;
    return complete;
  }

  private async listOffsets(timestamp: bigint): Promise<bigint[]> {
    // Read committed: the latest offset is the last stable one (before any open transaction).
    const offsets = await this.consumer!.listOffsets({
      topics: [this.topic],
      timestamp,
      isolationLevel: READ_COMMITTED,
    });
    const list = offsets.get(this.topic);
    if (!list) throw new WeirError('WEIR_INTERNAL', `no offsets listed for topic ${this.topic}`);
    return list;
  }

  private reached(ends: readonly bigint[]): boolean {
    return ends.every((end, partition) => (this.positions[partition] ?? 0n) >= end);
  }

  /** Refreshes leaders every few seconds (or when a fetch fails) and runs one fetch loop per leader. */
  private async runMetadataLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.updateLeaders(true);
      } catch (error) {
        if (this.stopped) return;
        this.log.warn({ err: error }, `cannot read the metadata of topic ${this.topic}; retrying`);
      }
      for (const node of this.leaders.keys()) {
        if (!this.nodeLoops.has(node)) {
          this.nodeLoops.set(
            node,
            this.runNodeLoop(node).finally(() => this.nodeLoops.delete(node)),
          );
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        this.refresh = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async runNodeLoop(node: number): Promise<void> {
    while (!this.stopped) {
      const partitions = this.leaders.get(node);
      if (!partitions || partitions.length === 0) return;
      try {
        const response = await this.consumer!.fetch({
          node,
          isolationLevel: READ_COMMITTED,
          maxWaitTime: this.options.fetchMaxWaitMs ?? 500,
          minBytes: 1,
          maxBytes: 16 * 1024 * 1024,
          topics: [
            {
              topicId: this.topicId,
              partitions: partitions.map((partition) => ({
                partition,
                fetchOffset: this.positions[partition]!,
                currentLeaderEpoch: -1,
                lastFetchedEpoch: -1,
                partitionMaxBytes: 4 * 1024 * 1024,
              })),
            },
          ],
        });
        if (this.stopped) return;
        for (const topic of response.responses)
          for (const fetched of topic.partitions)
            await unfilteredRecords(fetched, (partition) => this.fetchUncommitted(node, partition));
        if (this.stopped) return;
        this.deliver(response, new Set(partitions));
      } catch (error) {
        if (this.stopped) return;
        if (!(await this.recoverOutOfRange(error as Error))) {
          this.log.warn({ err: error }, `fetching topic ${this.topic} from broker ${node} failed; retrying`);
          this.refresh?.();
          await sleep(RETRY_DELAY_MS);
        }
      }
      this.settleWaiters();
    }
  }

  private fetchUncommitted(node: number, partition: number) {
    const client = this.options.client;
    this.rawConsumer ??= new Consumer({
      ...client,
      clientId: `${client.clientId}-raw`,
      groupId: `${client.clientId}-unused`,
    });
    return fetchUncommitted(this.rawConsumer, this.topicId, node, partition, this.positions[partition]!);
  }

  private deliver(response: FetchResponse, requested: Set<number>): void {
    for (const topic of response.responses) {
      if (topic.topicId !== this.topicId) continue;
      for (const { partitionIndex: partition, records, abortedTransactions } of topic.partitions) {
        if (!requested.has(partition) || !records) continue;
        const committed = committedBatches(abortedTransactions);
        for (const batch of records) {
          const position = this.positions[partition]!;
          const next = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
          // Every batch goes through the filter: it tracks which producers' transactions were aborted.
          const deliverable = committed(batch);
          if (next <= position) continue;
          if (deliverable) {
            for (const record of batch.records) {
              const offset = batch.firstOffset + BigInt(record.offsetDelta);
              if (offset < position) continue;
              try {
                this.options.onRecord({ key: record.key, value: record.value, partition, offset });
              } catch (error) {
                this.log.error({ err: error, partition, offset }, `a record of topic ${this.topic} failed`);
              }
            }
          }
          this.positions[partition] = next;
        }
      }
    }
  }

  /** The log start moved past a position (retention removed records): continue from the new start. */
  private async recoverOutOfRange(error: Error): Promise<boolean> {
    if (!findErrorBy(error, 'apiId', 'OFFSET_OUT_OF_RANGE')) return false;
    const earliest = await this.listOffsets(ListOffsetTimestamps.EARLIEST).catch(() => null);
    if (!earliest) return false;
    earliest.forEach((start, partition) => {
      if ((this.positions[partition] ?? 0n) < start) {
        this.log.warn(`topic ${this.topic} partition ${partition} lost records before offset ${start}`);
        this.positions[partition] = start;
      }
    });
    return true;
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const waiting: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (this.reached(waiter.ends)) waiter.resolve();
      else waiting.push(waiter);
    }
    this.waiters = waiting;
  }

  private partitionFor(key: Buffer | null): number {
    return key === null ? 0 : javaPartition(key, this.partitionCount);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const messages = batch.map((m) => ({
        topic: this.topic,
        key: m.key ?? undefined,
        value: m.value as Buffer,
        partition: this.partitionFor(m.key),
      }));
      try {
        const result = await this.producer!.send({ messages, acks: -1 });
        const base = new Map<number, bigint>();
        for (const written of result.offsets ?? []) base.set(written.partition, written.offset);
        messages.forEach((message, i) => {
          const offset = base.get(message.partition);
          if (offset !== undefined) base.set(message.partition, offset + 1n);
          batch[i]!.resolve({ partition: message.partition, offset: offset ?? -1n });
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error as Error);
      }
    }
  }
}

/** The partition Java's default partitioner picks for a key: murmur2 of its bytes, made positive, modulo. */
export function javaPartition(key: Buffer, partitions: number): number {
  return compatibilityPartitioner({ topic: '', value: undefined }, key) % partitions;
}

/** Whether a failed write may succeed when tried again (a broker moved, timed out, was unreachable). */
export function isRetriable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    findErrorBy(error, 'canRetry', true) !== null || (error as { code?: string }).code === 'PLT_KFK_TIMEOUT'
  );
}
