// read_committed on the fetch path, as Java's consumer does it (CompletedFetch): the broker returns
// records up to the last stable offset plus the transactions aborted in that range; a batch of a
// producer whose transaction was aborted is skipped until that producer's abort marker. Control
// batches (commit and abort markers) hold no data. Weir's logs read the internal topics this way, so
// an exactly-once task's offsets, or a leader's config writes, count only once committed.
import type { Consumer } from '@platformatic/kafka';

const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const ABORT_MARKER = 0;

export interface FetchedBatch {
  readonly firstOffset: bigint;
  readonly lastOffsetDelta: number;
  readonly attributes: number;
  readonly producerId: bigint;
  readonly records: readonly { readonly key: Buffer | null }[];
}

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/** A filter for one partition's batches of one fetch response, called in offset order: true = deliver its records. */
export function committedBatches(
  aborted: readonly AbortedTransaction[] | null | undefined,
): (batch: FetchedBatch) => boolean {
  const queue = [...(aborted ?? [])].sort((a, b) =>
    a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
  );
  const abortedProducers = new Set<bigint>();
  return (batch) => {
    const control = (batch.attributes & CONTROL) !== 0;
    if (batch.producerId >= 0n) {
      const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
      while (queue.length > 0 && queue[0]!.firstOffset <= last)
        abortedProducers.add(queue.shift()!.producerId);
      if (control) {
        const key = batch.records[0]?.key;
        if (key && key.length >= 4 && key.readInt16BE(2) === ABORT_MARKER)
          abortedProducers.delete(batch.producerId);
        return false;
      }
      if ((batch.attributes & TRANSACTIONAL) !== 0 && abortedProducers.has(batch.producerId)) return false;
    }
    return !control;
  };
}

/** A fetched partition, as in a Fetch response. */
export interface FetchedPartition<B extends FetchedBatch> {
  readonly partitionIndex: number;
  readonly lastStableOffset: bigint;
  readonly abortedTransactions: readonly AbortedTransaction[] | null;
  records?: B[] | null;
}

/**
 * The client library filters read_committed responses itself, wrongly where a producer has more than
 * one aborted transaction in a response: it then also drops that producer's committed batches in
 * between. So a partition that comes back with aborted transactions is fetched again read_uncommitted
 * from the same offset (`refetch`), and its batches up to where the read_committed answer reached
 * (never past the last stable offset) replace the filtered ones; committedBatches() then applies
 * Java's filtering with the broker's list of aborted transactions, which covers that range.
 */
export async function unfilteredRecords<B extends FetchedBatch>(
  partition: FetchedPartition<B>,
  refetch: (partition: number) => Promise<B[]>,
): Promise<void> {
  const batches = partition.records ?? [];
  const last = batches.at(-1);
  if ((partition.abortedTransactions ?? []).length === 0 || !last) return;
  const reached = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
  const cap = reached < partition.lastStableOffset ? reached : partition.lastStableOffset;
  partition.records = (await refetch(partition.partitionIndex)).filter(
    (batch) => batch.firstOffset + BigInt(batch.lastOffsetDelta) < cap,
  );
}

/** One partition's batches from `fetchOffset`, read_uncommitted (no client-side filtering). */
export async function fetchUncommitted(
  consumer: Consumer,
  topicId: string,
  node: number,
  partition: number,
  fetchOffset: bigint,
) {
  const response = await consumer.fetch({
    node,
    isolationLevel: 0,
    maxWaitTime: 0,
    minBytes: 1,
    maxBytes: 16 * 1024 * 1024,
    topics: [
      {
        topicId,
        partitions: [
          {
            partition,
            fetchOffset,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
            partitionMaxBytes: 4 * 1024 * 1024,
          },
        ],
      },
    ],
  });
  return (
    response.responses.flatMap((t) => t.partitions).find((p) => p.partitionIndex === partition)?.records ?? []
  );
}
