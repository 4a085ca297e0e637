import { describe, expect, it } from 'vitest';
import { committedBatches, type FetchedBatch } from './committed-batches.ts';

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
