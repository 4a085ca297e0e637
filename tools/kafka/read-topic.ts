// Reads a topic's records raw (bytes, headers in order, timestamps) from the beginning, for tests
// that compare what two workers wrote.
import { Consumer } from '@platformatic/kafka';
import { randomBytes } from 'node:crypto';
import { waitFor } from '../weir-process.ts';

export interface RawRecord {
  partition: number;
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
}

/** The first `count` records of `topic` by partition and offset; fails after `timeoutMs` with fewer. */
export async function readTopic(
  bootstrap: string,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<RawRecord[]> {
  const consumer = new Consumer({
    groupId: `read-${topic}-${randomBytes(3).toString('hex')}`,
    clientId: `read-${topic}`,
    bootstrapBrokers: [bootstrap],
  });
  const records = new Map<string, RawRecord>();
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  stream.on('data', (m) => {
    // A consumer may see a record twice around its first rebalance: keyed by position.
    records.set(`${m.partition}:${m.offset}`, {
      partition: m.partition,
      offset: m.offset,
      timestamp: m.timestamp,
      key: m.key ?? null,
      value: m.value ?? null,
      headers: m.headerEntries.map(([k, v]) => [k.toString(), v ?? null]),
    });
  });
  try {
    await waitFor(`${count} records in ${topic}`, () => records.size >= count, timeoutMs, 100);
  } finally {
    await stream.close();
    await consumer.close(true);
  }
  return [...records.values()].sort((a, b) =>
    a.partition !== b.partition ? a.partition - b.partition : Number(a.offset - b.offset),
  );
}
