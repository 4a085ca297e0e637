// read_committed on the fetch path, as Java's consumer does it (CompletedFetch): the broker returns
// records up to the last stable offset plus the transactions aborted in that range; a batch of a
// producer whose transaction was aborted is skipped until that producer's abort marker. Control
// batches (commit and abort markers) hold no data. Weir's logs read the internal topics this way, so
// an exactly-once task's offsets, or a leader's config writes, count only once committed.
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
