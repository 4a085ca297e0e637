// Writes during a rebalance, side by side with Apache Kafka Connect 4.3.1 in distributed mode: each
// create or delete starts a rebalance, and Java holds the requests that arrive meanwhile until it is
// over instead of refusing them. The same requests go to a two-worker Java cluster and a two-worker
// Weir cluster on the same broker (through each worker in turn: leader and follower); the status codes
// must be the same, and the latency of a restart right after a create is printed for both.
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaConnectCluster } from '../../tools/java-connect-cluster.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { showLogsOnFailure } from '../../tools/vitest/worker-logs.ts';
import { WeirCluster } from '../../tools/weir-cluster.ts';
import { http, waitFor } from '../../tools/weir-process.ts';

type Side = 'java' | 'weir';
const SIDES: Side[] = ['java', 'weir'];
const WORKERS = 2;
let java: JavaConnectCluster;
let weir: WeirCluster;
let topic = '';

const urls = (side: Side): string[] => (side === 'java' ? java : weir).workers.map((w) => w.url);
const logs = (): string[] => [
  ...java.workers.map((w) => join(w.dir, 'connect.log')),
  ...Array.from({ length: WORKERS }, (_, i) => join(weir.dir, `worker-${i}`, 'weir.log')),
];

const sinkConfig = (name: string, tasks = 1): Record<string, string> => ({
  name,
  'connector.class': 'FileStreamSink',
  'tasks.max': String(tasks),
  topics: topic,
  file: join(weir.dir, `${name}.out`),
});

async function create(url: string, name: string): Promise<number> {
  return (await http('POST', `${url}/connectors`, { name, config: sinkConfig(name) })).status;
}

/** Waits until the connector and its task run, so the group has settled. */
async function running(url: string, name: string): Promise<void> {
  await waitFor(`${name} RUNNING with its task`, async () => {
    const r = await http('GET', `${url}/connectors/${name}/status`);
    const body = r.body as { connector?: { state: string }; tasks?: { state: string }[] };
    return r.status === 200 && body.connector?.state === 'RUNNING' && body.tasks?.[0]?.state === 'RUNNING';
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

beforeAll(async () => {
  topic = uniqueName('writes');
  const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: [kafkaBootstrap()] });
  await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
  await admin.close();
  java = new JavaConnectCluster({ bootstrap: kafkaBootstrap(), groupId: uniqueName('java-writes') });
  weir = new WeirCluster({ bootstrap: kafkaBootstrap(), groupId: uniqueName('weir-writes') });
  await Promise.all([java.add(WORKERS), weir.add(WORKERS)]);
});

afterAll(async () => {
  await Promise.all([java?.stop(), weir?.stop()]);
});

describe('writes during a rebalance, Weir and Java side by side', () => {
  it('deletes two connectors back to back', async () => {
    showLogsOnFailure(logs);
    for (const via of [0, 1]) {
      const codes: Record<Side, number[]> = { java: [], weir: [] };
      await Promise.all(
        SIDES.map(async (side) => {
          const url = urls(side)[via] as string;
          const names = [uniqueName(`del-${side}`), uniqueName(`del-${side}`)];
          for (const name of names) expect(await create(url, name)).toBe(201);
          for (const name of names) await running(url, name);
          for (const name of names)
            codes[side].push((await http('DELETE', `${url}/connectors/${name}`)).status);
        }),
      );
      expect(codes.weir).toEqual(codes.java);
      expect(codes.weir).toEqual([204, 204]);
    }
  });

  it('creates a connector and at once restarts its task, as soon as it is listed and before', async () => {
    showLogsOnFailure(logs);
    const latencies: Record<Side, number[]> = { java: [], weir: [] };
    for (const via of [0, 1]) {
      const codes: Record<Side, number[]> = { java: [], weir: [] };
      for (const side of SIDES) {
        const url = urls(side)[via] as string;
        // Before the connector has generated its task: 404 (unknown task).
        const early = uniqueName(`early-${side}`);
        expect(await create(url, early)).toBe(201);
        codes[side].push((await http('POST', `${url}/connectors/${early}/tasks/0/restart`)).status);
        // As soon as the task is listed, during the rebalance that assigns it.
        const name = uniqueName(`restart-${side}`);
        expect(await create(url, name)).toBe(201);
        await waitFor(
          `${name}'s task listed`,
          async () => ((await http('GET', `${url}/connectors/${name}/tasks`)).body as unknown[]).length > 0,
          30_000,
          10,
        );
        const restart = await timed(() => http('POST', `${url}/connectors/${name}/tasks/0/restart`));
        codes[side].push(restart.value.status);
        latencies[side].push(restart.ms);
        for (const n of [early, name]) await http('DELETE', `${url}/connectors/${n}`);
      }
      // Java's answer to the early restart depends on timing: 404 (unknown task) when its herder has
      // read the new config, 409 when the request meets the rebalance the create started. Weir holds
      // the request until the group settles, so it always answers 404.
      expect([404, 409]).toContain(codes.java[0]);
      expect(codes.java[1]).toBe(204);
      expect(codes.weir).toEqual([404, 204]);
      if (codes.java[0] === 409) console.log(`via worker ${via}: Java answered the early restart with 409`);
    }
    const shown = (ms: number[]) => ms.map((m) => `${m.toFixed(0)} ms`).join(', ');
    console.log(
      `restart of a task right after it is listed (via each worker): Java ${shown(latencies.java)}; Weir ${shown(latencies.weir)}`,
    );
    // The target is 0.25 s; timings on a shared machine vary, so only a generous bound here.
    for (const ms of latencies.weir) expect(ms).toBeLessThan(5_000);
  });

  it('creates a connector and at once replaces its config', async () => {
    showLogsOnFailure(logs);
    for (const via of [0, 1]) {
      const codes: Record<Side, number[]> = { java: [], weir: [] };
      await Promise.all(
        SIDES.map(async (side) => {
          const url = urls(side)[via] as string;
          const name = uniqueName(`put-${side}`);
          codes[side].push(await create(url, name));
          const put = await http('PUT', `${url}/connectors/${name}/config`, sinkConfig(name, 2));
          codes[side].push(put.status);
          await http('DELETE', `${url}/connectors/${name}`);
        }),
      );
      expect(codes.weir).toEqual(codes.java);
      expect(codes.weir).toEqual([201, 200]);
    }
  });
});
