// A source connector with its own offsets topic (offsets.storage.topic) in a distributed Weir worker
// process on the real broker, with and without exactly-once support: the topic is created with the
// worker's offsets topic settings, holds Java's records (key ["<connector>",{partition}], value the
// offset as JSON), the worker's offsets topic gets a copy, GET /offsets shows them, the task resumes
// from them after its worker restarts, and DELETE / PATCH /offsets write them there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectorOffsets, ConnectorStateInfo } from '../rest/types.ts';
import { KafkaLog } from '../storage/kafka-log.ts';
import { KafkaOffsetStore } from '../storage/kafka-offset-store.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { http, startWeirDistributed, waitFor, type WeirProcess } from '../../tools/weir-process.ts';

const work = mkdtempSync(join(tmpdir(), 'weir-offsets-topic-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The latest value of each key, as a read_committed reader of the topic sees them. */
async function latest(topic: string): Promise<Map<string, string | null>> {
  const values = new Map<string, string | null>();
  const log = new KafkaLog({
    topic,
    client: { clientId: uniqueName('offsets-reader'), bootstrapBrokers: [kafkaBootstrap()] },
    onRecord: (r) => {
      if (r.key) values.set(r.key.toString(), r.value?.toString() ?? null);
    },
  });
  await log.start();
  await log.readToEnd();
  await log.stop();
  return values;
}

async function seqnos(topic: string): Promise<number[]> {
  const out: number[] = [];
  const log = new KafkaLog({
    topic,
    client: { clientId: uniqueName('data-reader'), bootstrapBrokers: [kafkaBootstrap()] },
    onRecord: (r) => out.push((JSON.parse(r.value?.toString() ?? 'null') as { seqno: number }).seqno),
  });
  await log.start();
  await log.readToEnd();
  await log.stop();
  return out;
}

describe("a source connector's own offsets topic (offsets.storage.topic)", () => {
  it.each([
    ['regular', 'disabled'],
    ['exactly-once', 'enabled'],
  ] as const)(
    'holds the offsets of %s tasks, which resume from them',
    async (kind, support) => {
      const groupId = uniqueName('own-offsets');
      const connector = uniqueName('verifiable');
      const dataTopic = uniqueName('own-offsets-data');
      const ownTopic = uniqueName('own-offsets-topic');
      const start = () =>
        startWeirDistributed({
          dir: join(work, kind),
          groupId,
          bootstrap: kafkaBootstrap(),
          worker: {
            'exactly.once.source.support': support,
            'offset.flush.interval.ms': '500',
            'heartbeat.interval.ms': '1000',
            'session.timeout.ms': '6000',
            'scheduled.rebalance.max.delay.ms': '0',
          },
        });
      let worker: WeirProcess = await start();
      try {
        const put = await waitFor('the connector created', async () => {
          const r = await http('PUT', `${worker.url}/connectors/${connector}/config`, {
            'connector.class': 'org.apache.kafka.connect.tools.VerifiableSourceConnector',
            'tasks.max': '1',
            topic: dataTopic,
            throughput: '200',
            'offsets.storage.topic': ` ${ownTopic} `,
          });
          return r.status === 409 ? undefined : r;
        });
        expect(put.status).toBe(201);
        const running = () =>
          waitFor(
            'the task RUNNING',
            async () => {
              const r = await http('GET', `${worker.url}/connectors/${connector}/status`);
              const status = r.body as ConnectorStateInfo;
              return r.status === 200 && status.tasks[0]?.state === 'RUNNING' ? status : undefined;
            },
            60_000,
            200,
          );
        await running();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        expect((await http('PUT', `${worker.url}/connectors/${connector}/stop`)).status).toBe(204);
        await waitFor('the connector STOPPED', async () => {
          const r = await http('GET', `${worker.url}/connectors/${connector}/status`);
          const status = r.body as ConnectorStateInfo;
          return status.connector?.state === 'STOPPED' && status.tasks.length === 0 ? true : undefined;
        });

        // Created with the worker's offsets topic settings (offset.storage.partitions=5), compacted.
        const admin = new Admin({ clientId: uniqueName('admin'), bootstrapBrokers: [kafkaBootstrap()] });
        try {
          const metadata = await admin.metadata({ topics: [ownTopic] });
          expect(metadata.topics.get(ownTopic)?.partitionsCount).toBe(5);
          const [described] = await admin.describeConfigs({
            resources: [{ resourceType: 2, resourceName: ownTopic, configurationKeys: ['cleanup.policy'] }],
          });
          expect(described?.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');
        } finally {
          await admin.close();
        }

        const key = JSON.stringify([connector, { id: 0 }]);
        const own = await latest(ownTopic);
        expect([...own.keys()]).toEqual([key]);
        const stored = JSON.parse(own.get(key) ?? 'null') as { seqno: number };
        expect(stored.seqno).toBeGreaterThan(50);
        // The worker's offsets topic gets a copy (best effort, shortly after).
        await waitFor('the copy in the worker offsets topic', async () =>
          (await latest(`${groupId}-offsets`)).get(key) === own.get(key) ? true : undefined,
        );
        const offsets = await http('GET', `${worker.url}/connectors/${connector}/offsets`);
        expect(offsets.body as ConnectorOffsets).toEqual({
          offsets: [{ partition: { id: 0 }, offset: { seqno: stored.seqno } }],
        });

        // Resumed by a restarted worker: the next record is the one after the stored offset.
        await worker.stop('SIGTERM');
        worker = await start();
        expect((await http('PUT', `${worker.url}/connectors/${connector}/resume`)).status).toBe(202);
        await running();
        await waitFor('records after the restart', async () =>
          (await seqnos(dataTopic)).some((n) => n > stored.seqno) ? true : undefined,
        );
        const sent = await seqnos(dataTopic);
        // Each seqno once: the restarted task went on from its offset (none was sent twice or skipped).
        const after = sent.filter((n) => n <= stored.seqno + 1);
        expect(new Set(after).size).toBe(stored.seqno + 2);
        expect(after).toHaveLength(stored.seqno + 2);

        // DELETE /offsets writes tombstones to both topics; PATCH /offsets to the connector's topic first.
        expect((await http('PUT', `${worker.url}/connectors/${connector}/stop`)).status).toBe(204);
        const reset = await waitFor('offsets reset once STOPPED', async () => {
          const r = await http('DELETE', `${worker.url}/connectors/${connector}/offsets`);
          return r.status === 400 ? undefined : r;
        });
        expect(reset.status).toBe(200);
        expect((await latest(ownTopic)).get(key)).toBeNull();
        expect((await latest(`${groupId}-offsets`)).get(key)).toBeNull();
        const emptied = await http('GET', `${worker.url}/connectors/${connector}/offsets`);
        expect(emptied.body).toEqual({ offsets: [] });
        const altered = await http('PATCH', `${worker.url}/connectors/${connector}/offsets`, {
          offsets: [{ partition: { id: 0 }, offset: { seqno: 7 } }],
        });
        expect(altered.status).toBe(200);
        expect((await latest(ownTopic)).get(key)).toBe('{"seqno":7}');
        expect((await http('GET', `${worker.url}/connectors/${connector}/offsets`)).body).toEqual({
          offsets: [{ partition: { id: 0 }, offset: { seqno: 7 } }],
        });
      } finally {
        await worker.stop('SIGTERM');
      }
    },
    180_000,
  );

  it('is refused when it exists without cleanup.policy=compact, naming offsets.storage.topic', async () => {
    const topic = uniqueName('own-offsets-delete');
    const admin = new Admin({ clientId: uniqueName('admin'), bootstrapBrokers: [kafkaBootstrap()] });
    await admin.createTopics({
      topics: [topic],
      partitions: 1,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'delete' }],
    });
    await admin.close();
    const client = { clientId: uniqueName('offsets'), bootstrapBrokers: [kafkaBootstrap()] };
    const worker = new KafkaOffsetStore({
      client,
      topic: uniqueName('worker-offsets'),
      replicationFactor: 1,
    });
    await expect(worker.forTopic(topic, client).start()).rejects.toThrow(
      `Topic '${topic}' supplied via the 'offsets.storage.topic' property is required to have 'cleanup.policy=compact'`,
    );
  });
});
