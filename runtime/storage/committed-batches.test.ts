import { describe, expect, it } from 'vitest';
import { committedBatches, unfilteredRecords, type FetchedBatch } from './committed-batches.ts';

const marker = (type: number) => {
  const key = Buffer.alloc(4);
  key.writeInt16BE(type, 2);
  return key;
};
const data = (firstOffset: bigint, producerId: bigint, transactional = true): FetchedBatch => ({
  firstOffset,
  lastOffsetDelta: 1,
  attributes: transactional ? 0x10 : 0,
  producerId,
  records: [{ key: null }, { key: null }],
});
const control = (offset: bigint, producerId: bigint, type: number): FetchedBatch => ({
  firstOffset: offset,
  lastOffsetDelta: 0,
  attributes: 0x30,
  producerId,
  records: [{ key: marker(type) }],
});

describe('committedBatches', () => {
  it('skips aborted transactions and markers, keeps committed and plain batches', () => {
    const batches = [
      data(0n, -1n, false), // not transactional
      data(2n, 7n), // aborted
      data(4n, 8n), // committed (another producer)
      control(6n, 7n, 0), // abort marker of 7
      control(7n, 8n, 1), // commit marker of 8
      data(8n, 7n), // 7 again, committed this time
      control(10n, 7n, 1),
      data(11n, 7n), // aborted again
      control(13n, 7n, 0),
    ];
    const keep = committedBatches([
      { producerId: 7n, firstOffset: 11n },
      { producerId: 7n, firstOffset: 2n },
    ]);
    expect(batches.filter(keep).map((b) => b.firstOffset)).toEqual([0n, 4n, 8n]);
  });

  it('keeps everything but markers without aborted transactions', () => {
    const keep = committedBatches(null);
    expect([data(0n, 3n), control(2n, 3n, 1)].filter(keep).map((b) => b.firstOffset)).toEqual([0n]);
  });
});

describe('unfilteredRecords', () => {
  it('replaces a partition with aborted transactions by its unfiltered batches, up to where the answer reached', async () => {
    const refetched = [data(0n, 7n), control(2n, 7n, 0), data(3n, 7n), control(5n, 7n, 1), data(6n, 7n)];
    // The client dropped the committed batch at 3 (and the answer ended at the commit marker at 5).
    const partition = {
      partitionIndex: 0,
      lastStableOffset: 8n,
      abortedTransactions: [{ producerId: 7n, firstOffset: 0n }],
      records: [control(2n, 7n, 0), control(5n, 7n, 1)],
    };
    await unfilteredRecords(partition, async () => refetched);
    const keep = committedBatches(partition.abortedTransactions);
    expect(partition.records.filter(keep).map((b) => b.firstOffset)).toEqual([3n]);
  });

  it('leaves a partition without aborted transactions as it is', async () => {
    const partition = {
      partitionIndex: 0,
      lastStableOffset: 3n,
      abortedTransactions: [],
      records: [data(0n, 7n)],
    };
    await unfilteredRecords(partition, () => Promise.reject(new Error('not fetched again')));
    expect(partition.records).toHaveLength(1);
  });
});
