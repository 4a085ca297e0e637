import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { javaPartition, KafkaLog, type LogRecord } from './kafka-log.ts';
import { ensureTopic } from './topic-admin.ts';

const client = () => ({ clientId: uniqueName('log'), bootstrapBrokers: [kafkaBootstrap()] });

function collect(topic: string): { log: KafkaLog; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const log = new KafkaLog({ topic, client: client(), onRecord: (r) => records.push(r) });
  return { log, records };
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('KafkaLog', () => {
  const open: KafkaLog[] = [];
  afterAll(async () => {
    await Promise.all(open.map((l) => l.stop()));
  });

  async function topicWith(partitions: number): Promise<string> {
    const name = uniqueName('log');
    await ensureTopic(client(), {
      name,
      partitions,
      replicationFactor: 1,
      property: 'test',
      purpose: 'tests',
    });
    return name;
  }

  it('reads an empty topic, then its own writes and tombstones, with their offsets, across partitions', async () => {
    const topic = await topicWith(4);
    const { log, records } = collect(topic);
    open.push(log);
    await log.start();
    expect(log.partitionCount).toBe(4);
    expect(records).toEqual([]);
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, i) => log.send(Buffer.from(`k${i % 5}`), Buffer.from(`v${i}`))),
    );
    const tombstone = await log.send(Buffer.from('k0'), null);
    await log.readToEnd();
    expect(records).toHaveLength(21);
    // One key always lands on one partition, in the order written.
    const byKey = new Map<string, Set<number>>();
    for (const r of records) byKey.set(text(r.key)!, (byKey.get(text(r.key)!) ?? new Set()).add(r.partition));
    for (const partitions of byKey.values()) expect(partitions.size).toBe(1);
    expect(records.filter((r) => text(r.key) === 'k1').map((r) => text(r.value))).toEqual([
      'v1',
      'v6',
      'v11',
      'v16',
    ]);
    const last = records.at(-1)!;
    expect(last.value).toBeNull();
    expect({ partition: last.partition, offset: last.offset }).toEqual(tombstone);
    for (const [i, w] of written.entries()) {
      const r = records.find((x) => x.partition === w.partition && x.offset === w.offset);
      expect(text(r?.value ?? null)).toBe(`v${i}`);
    }
  });

  it('delivers another writer’s records in the background and on readToEnd; a restart reads them all again', async () => {
    const topic = await topicWith(3);
    const a = collect(topic);
    const b = collect(topic);
    open.push(a.log, b.log);
    await a.log.start();
    await b.log.start();
    for (let i = 0; i < 10; i++) await a.log.send(Buffer.from(`key-${i}`), Buffer.from(String(i)));
    await b.log.readToEnd();
    expect(b.records.map((r) => text(r.value)).sort()).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);

    // Without readToEnd: the background loop delivers within a fetch or two.
    await a.log.send(Buffer.from('late'), Buffer.from('x'));
    await expect.poll(() => b.records.length, { timeout: 5000 }).toBe(11);

    await b.log.stop();
    const again = collect(topic);
    open.push(again.log);
    await again.log.start();
    expect(again.records).toHaveLength(11);
  });

  it('keeps Java’s partitioning: murmur2 of the key, positive, modulo the partition count', async () => {
    const topic = await topicWith(25);
    const { log } = collect(topic);
    open.push(log);
    await log.start();
    const written = await log.send(Buffer.from('["conn",{"file":"a"}]'), Buffer.from('{"position":1}'));
    expect(written.partition).toBe(javaPartition(Buffer.from('["conn",{"file":"a"}]'), 25));
  });

  it('refuses to start on a topic that does not exist', async () => {
    const log = new KafkaLog({
      topic: uniqueName('missing'),
      client: client(),
      onRecord: () => {},
      startTimeoutMs: 1000,
    });
    await expect(log.start()).rejects.toThrow(/topic/);
  });
});
