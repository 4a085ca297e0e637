// Exactly-once source (KIP-618) on the real broker: a distributed Weir worker process with
// exactly.once.source.support=enabled runs a VerifiableSource (numbered records per task), and is killed
// with SIGKILL 20 times mid-stream, restarted each time on the same port. A read_committed reader of the
// topic then finds every seqno of every task exactly once: no duplicate (the killed transactions were
// aborted, their offsets with them) and no gap (each task resumed after its last committed offset). The
// offsets topic holds Java's records, and the config topic a tasks-fencing record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectorStateInfo } from '../rest/types.ts';
import { KafkaLog } from '../storage/kafka-log.ts';
import { freePort } from '../../tools/kafka/testbed.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { http, startWeirDistributed, waitFor, type WeirProcess } from '../../tools/weir-process.ts';

const KILLS = 20;
const TASKS = 2;
const work = mkdtempSync(join(tmpdir(), 'weir-eos-'));

/** Tests started and not (yet) passed. */
let failures = 0;
// A failed run keeps the worker's log (weir.log) for a look.
afterAll(() =>
  failures === 0
    ? rmSync(work, { recursive: true, force: true })
    : console.log(`worker files kept in ${work}`),
);

/** Every record of a topic as a read_committed reader sees it (Weir's KafkaLog reads committed data only). */
async function readCommitted(topic: string): Promise<{ key: string | null; value: string | null }[]> {
  const records: { key: string | null; value: string | null }[] = [];
  const log = new KafkaLog({
    topic,
    client: { clientId: uniqueName('eos-reader'), bootstrapBrokers: [kafkaBootstrap()] },
    onRecord: (r) => records.push({ key: r.key?.toString() ?? null, value: r.value?.toString() ?? null }),
  });
  await log.start();
  await log.readToEnd();
  await log.stop();
  return records;
}

async function dumpRaw(...topics: string[]) {
  const { Consumer } = await import('@platformatic/kafka');
  const { writeFileSync } = await import('node:fs');
  const consumer = new Consumer({ clientId: 'dump', groupId: 'dump', bootstrapBrokers: [kafkaBootstrap()] });
  const lines: string[] = [];
  for (const topic of topics) {
    const metadata = await consumer.metadata({ topics: [topic] });
    const info = metadata.topics.get(topic)!;
    for (let partition = 0; partition < info.partitionsCount; partition++) {
      let offset = 0n;
      for (;;) {
        const r = await consumer.fetch({
          node: info.partitions[partition]!.leader,
          topics: [
            {
              topicId: info.id,
              partitions: [
                {
                  partition,
                  fetchOffset: offset,
                  currentLeaderEpoch: -1,
                  lastFetchedEpoch: -1,
                  partitionMaxBytes: 1 << 20,
                },
              ],
            },
          ],
          isolationLevel: 0,
          maxWaitTime: 100,
        });
        const p = r.responses
          .find((t) => t.topicId === info.id)
          ?.partitions.find((x) => x.partitionIndex === partition);
        if (!p) break;
        if (offset === 0n || (p.abortedTransactions ?? []).length > 0)
          lines.push(
            `${topic}/${partition} from ${offset} aborted=${JSON.stringify((p.abortedTransactions ?? []).map((a) => [String(a.producerId), String(a.firstOffset)]))}`,
          );
        const batches = p.records ?? [];
        if (batches.length === 0) break;
        for (const b of batches) {
          const first = b.records[0]?.value?.toString().slice(0, 60);
          const last = b.records.at(-1)?.value?.toString().slice(0, 60);
          lines.push(
            `${topic}/${partition} @${b.firstOffset}+${b.lastOffsetDelta} pid=${b.producerId} ep=${b.producerEpoch} attr=${b.attributes} n=${b.records.length} key0=${b.records[0]?.key?.toString('hex').slice(0, 16)} ${first} .. ${last}`,
          );
          offset = b.firstOffset + BigInt(b.lastOffsetDelta) + 1n;
        }
      }
    }
  }
  await consumer.close();
  writeFileSync(join(work, 'topics-dump.txt'), lines.join('\n'));
}

describe('exactly-once source connectors', () => {
  // Poll boundaries (one transaction per batch) through 20 kills; interval boundaries (transactions
  // over several batches, committed every 700 ms) through 5.
  it.each([
    ['poll', KILLS, {}],
    ['interval', 5, { 'transaction.boundary.interval.ms': '700' }],
  ] as const)(
    'deliver every record exactly once (transaction.boundary=%s) through %i SIGKILLs of their worker',
    async (boundary, kills, extra) => {
      failures++;
      const groupId = uniqueName('eos');
      const topic = uniqueName('eos-data');
      const connector = uniqueName('verifiable');
      const port = await freePort();
      const dir = join(work, `worker-${boundary}`);
      const start = () =>
        startWeirDistributed({
          dir,
          port,
          groupId,
          bootstrap: kafkaBootstrap(),
          worker: {
            'exactly.once.source.support': 'enabled',
            'heartbeat.interval.ms': '1000',
            'session.timeout.ms': '6000',
            'scheduled.rebalance.max.delay.ms': '0',
          },
        });
      let worker: WeirProcess = await start();
      const config = {
        'connector.class': 'org.apache.kafka.connect.tools.VerifiableSourceConnector',
        'tasks.max': String(TASKS),
        topic,
        throughput: '3000',
        'exactly.once.support': 'requested',
        'transaction.boundary': boundary,
        ...extra,
      };
      await waitFor('the connector created', async () => {
        const r = await http('PUT', `${worker.url}/connectors/${connector}/config`, config);
        return r.status === 409 ? undefined : r.status;
      });
      const running = () =>
        waitFor(
          'every task RUNNING',
          async () => {
            const r = await http('GET', `${worker.url}/connectors/${connector}/status`);
            const status = r.body as ConnectorStateInfo;
            return r.status === 200 &&
              status.tasks.length === TASKS &&
              status.tasks.every((t) => t.state === 'RUNNING')
              ? status
              : undefined;
          },
          60_000,
          200,
        );
      await running();
      for (let kill = 1; kill <= kills; kill++) {
        // Mid-stream: the tasks have been writing for a while, a transaction is usually open.
        await new Promise((resolve) => setTimeout(resolve, 700 + Math.random() * 1300));
        await worker.stop('SIGKILL');
        worker = await start();
        await running();
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await worker.stop('SIGTERM');

      const values = (await readCommitted(topic)).map(
        (r) => JSON.parse(r.value ?? 'null') as { task: number; seqno: number },
      );
      const seen = Array.from({ length: TASKS }, () => new Map<number, number>());
      for (const { task, seqno } of values) seen[task]!.set(seqno, (seen[task]!.get(seqno) ?? 0) + 1);
      const counts = seen.map((m, task) => {
        const max = Math.max(-1, ...m.keys());
        let duplicates = 0;
        let missing = 0;
        for (let seqno = 0; seqno <= max; seqno++) {
          const n = m.get(seqno) ?? 0;
          if (n === 0) missing++;
          if (n > 1) duplicates += n - 1;
        }
        return {
          task,
          records: [...m.values()].reduce((a, b) => a + b, 0),
          distinct: m.size,
          max,
          duplicates,
          missing,
        };
      });
      console.log(
        `exactly-once (transaction.boundary=${boundary}) after ${kills} SIGKILLs (read_committed):`,
        JSON.stringify(counts),
      );
      if (counts.some((c) => c.missing > 0 || c.duplicates > 0)) await dumpRaw(topic, `${groupId}-offsets`);
      for (const c of counts) {
        expect(c.max).toBeGreaterThan(1000);
        expect(c.duplicates).toBe(0);
        expect(c.missing).toBe(0);
      }

      // The offsets topic holds Java's records for each task's last committed seqno.
      const offsets = new Map<string, string>();
      for (const r of await readCommitted(`${groupId}-offsets`))
        if (r.key !== null && r.value !== null) offsets.set(r.key, r.value);
      for (const c of counts)
        expect(JSON.parse(offsets.get(JSON.stringify([connector, { id: c.task }])) ?? 'null')).toEqual({
          seqno: c.max,
        });
      const configs = await readCommitted(`${groupId}-configs`);
      expect(configs.find((r) => r.key === `tasks-fencing-${connector}`)?.value).toBe(
        `{"task-count":${TASKS}}`,
      );
      failures--;
    },
    900_000,
  );
});
