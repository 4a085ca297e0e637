import { describe, expect, it } from 'vitest';
import { logger } from '../logging.ts';
import { ConnectorOffsetStore } from './connector-offset-store.ts';
import { MemoryOffsetStore, type OffsetEntry, type OffsetMessage } from './offset-store.ts';

class OwnTopicStore extends MemoryOffsetStore {
  transactionalMessages(entries: readonly OffsetEntry[]): OffsetMessage[] {
    return entries.map((e) => ({
      topic: 'own',
      partition: 0,
      key: Buffer.from(JSON.stringify(e.partition)),
    }));
  }
}

const setup = () => {
  const own = new OwnTopicStore();
  const worker = new MemoryOffsetStore();
  const store = new ConnectorOffsetStore(async () => own, worker, logger('test'));
  return { own, worker, store };
};
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("a connector's own offsets topic with the worker's as fallback", () => {
  it("reads its own topic's offset first, the worker's for partitions it has none of", async () => {
    const { own, worker, store } = setup();
    await worker.set([
      { connector: 'c', partition: { f: 'a' }, offset: { n: 1 } },
      { connector: 'c', partition: { f: 'b' }, offset: { n: 2 } },
    ]);
    await own.set([{ connector: 'c', partition: { f: 'a' }, offset: { n: 10 } }]);
    expect(await store.get('c', [{ f: 'a' }, { f: 'b' }, { f: 'z' }])).toEqual([{ n: 10 }, { n: 2 }, null]);
    expect(await store.connectorOffsets('c')).toEqual(
      expect.arrayContaining([
        { partition: { f: 'a' }, offset: { n: 10 } },
        { partition: { f: 'b' }, offset: { n: 2 } },
      ]),
    );
    expect(await store.connectorOffsets('c')).toHaveLength(2);
  });

  it("writes to its own topic, then copies the offsets to the worker's", async () => {
    const { own, worker, store } = setup();
    await store.set([{ connector: 'c', partition: { f: 'a' }, offset: { n: 5 } }]);
    await settle();
    expect(await own.get('c', [{ f: 'a' }])).toEqual([{ n: 5 }]);
    expect(await worker.get('c', [{ f: 'a' }])).toEqual([{ n: 5 }]);
  });

  it("writes tombstones to the worker's topic first, and nothing to its own if that fails (KAFKA-15018)", async () => {
    const { own, worker, store } = setup();
    await worker.set([{ connector: 'c', partition: { f: 'a' }, offset: { n: 1 } }]);
    await own.set([{ connector: 'c', partition: { f: 'a' }, offset: { n: 1 } }]);
    await store.set([{ connector: 'c', partition: { f: 'a' }, offset: null }]);
    expect(await store.get('c', [{ f: 'a' }])).toEqual([null]);

    await own.set([{ connector: 'c', partition: { f: 'b' }, offset: { n: 1 } }]);
    worker.set = () => Promise.reject(new Error('worker topic down'));
    await expect(store.set([{ connector: 'c', partition: { f: 'b' }, offset: null }])).rejects.toThrow(
      'worker topic down',
    );
    expect(await own.get('c', [{ f: 'b' }])).toEqual([{ n: 1 }]);
  });

  it("copies an exactly-once task's offsets to the worker's topic only once committed", async () => {
    const { worker, store } = setup();
    const entries = [{ connector: 'c', partition: { f: 'a' }, offset: { n: 3 } }];
    expect(await store.transactionalMessages(entries)).toHaveLength(1);
    expect(await worker.get('c', [{ f: 'a' }])).toEqual([null]);
    store.committed(entries);
    await settle();
    expect(await worker.get('c', [{ f: 'a' }])).toEqual([{ n: 3 }]);
  });
});
