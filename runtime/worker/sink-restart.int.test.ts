// A sink whose worker was killed (kill -9) and restarted consumes again at once: its consumers are
// static group members (sink-group-instance.ts), so the new process takes the dead consumers'
// partitions back instead of waiting until their sessions time out (consumer session.timeout.ms,
// 45 s by default; Java waits that long). Real worker processes on the real broker, standalone and
// distributed (restarted on the same host:port), and no record lost.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../tools/kafka/testbed.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { showLogsOnFailure } from '../../tools/vitest/worker-logs.ts';
import {
  http,
  startWeirDistributed,
  startWeirStandalone,
  waitFor,
  type WeirProcess,
} from '../../tools/weir-process.ts';

const BATCH = 200;
const running: WeirProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop('SIGKILL')));
});

async function produce(topic: string, from: number, count: number): Promise<string[]> {
  const producer = new Producer({
    clientId: 'test-producer',
    bootstrapBrokers: [kafkaBootstrap()],
    serializers: stringSerializers,
  });
  const values = Array.from({ length: count }, (_, i) => `record-${from + i}`);
  await producer.send({ messages: values.map((value, i) => ({ topic, value, partition: i % 2 })) });
  await producer.close();
  return values;
}

const lines = (file: string): Set<string> =>
  new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function consumed(file: string, values: string[], timeoutMs: number): Promise<void> {
  await waitFor(
    `${values.length} records in ${file}`,
    () => {
      const seen = lines(file);
      return values.every((v) => seen.has(v));
    },
    timeoutMs,
    50,
  );
}

interface Scenario {
  start: (dir: string, port: number) => Promise<WeirProcess>;
  /** Creates the connector on a started worker (standalone: from its properties file). */
  create?: (worker: WeirProcess) => Promise<void>;
}

/**
 * Runs the sink, kills its worker, writes more, restarts it; returns the ms from the restart (the
 * process spawned; its REST API up) until the new records were consumed.
 */
async function killAndRestart(scenario: Scenario, dir: string): Promise<{ spawned: number; ready: number }> {
  const port = await freePort();
  let worker = await scenario.start(dir, port);
  running.push(worker);
  await scenario.create?.(worker);
  const file = join(dir, 'out.txt');
  const first = await produce(topicOf(dir), 0, BATCH);
  await consumed(file, first, 30_000);
  await new Promise((r) => setTimeout(r, 1_500)); // an offset commit (offset.flush.interval.ms 1 s)
  await worker.stop('SIGKILL');
  const second = await produce(topicOf(dir), BATCH, BATCH);
  const restarted = performance.now();
  worker = await scenario.start(dir, port);
  const ready = performance.now();
  running.push(worker);
  await consumed(file, second, 60_000);
  const done = performance.now();
  const seen = lines(file);
  expect([...first, ...second].filter((v) => !seen.has(v))).toEqual([]); // nothing lost
  return { spawned: done - restarted, ready: done - ready };
}

/**
 * The dead consumers' sessions last 45 s (consumer session.timeout.ms); without static membership the
 * sink consumed nothing until then (measured: 44 s after the process started, 38 s after it was up).
 * Generous bounds: a busy machine takes seconds to start a worker process.
 */
function expectWellBeforeTheSessionEnds(ms: { spawned: number; ready: number }): void {
  expect(ms.ready).toBeLessThan(10_000);
  expect(ms.spawned).toBeLessThan(30_000);
}

const topics = new Map<string, string>();
const topicOf = (dir: string): string => topics.get(dir) as string;

async function setUp(prefix: string): Promise<{ dir: string; topic: string; name: string }> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const topic = uniqueName(prefix);
  topics.set(dir, topic);
  const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: [kafkaBootstrap()] });
  await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
  await admin.close();
  return { dir, topic, name: uniqueName('sink') };
}

const sinkConfig = (name: string, topic: string, dir: string): Record<string, string> => ({
  name,
  'connector.class': 'FileStreamSink',
  'tasks.max': '2',
  topics: topic,
  file: join(dir, 'out.txt'),
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
});

describe('a sink after its worker was killed and restarted', () => {
  it('standalone: consumes again within seconds, losing nothing', async () => {
    const { dir, topic, name } = await setUp('static-standalone');
    showLogsOnFailure(() => [join(dir, 'weir.log')]);
    const ms = await killAndRestart(
      {
        start: (d, port) =>
          startWeirStandalone({
            dir: d,
            bootstrap: kafkaBootstrap(),
            port,
            connectors: [sinkConfig(name, topic, d)],
          }),
      },
      dir,
    );
    console.log(
      `standalone: the restarted worker's sink consumed new records ${ms.spawned.toFixed(0)} ms after its process started, ${ms.ready.toFixed(0)} ms after its REST API answered`,
    );
    expectWellBeforeTheSessionEnds(ms);
  });

  it('distributed (restarted on the same host:port): consumes again within seconds, losing nothing', async () => {
    const { dir, topic, name } = await setUp('static-distributed');
    showLogsOnFailure(() => [join(dir, 'weir.log')]);
    const groupId = uniqueName('connect');
    const ms = await killAndRestart(
      {
        start: (d, port) =>
          startWeirDistributed({
            dir: d,
            bootstrap: kafkaBootstrap(),
            groupId,
            port,
            worker: { 'heartbeat.interval.ms': '1000', 'session.timeout.ms': '10000' },
          }),
        create: async (worker) => {
          const r = await http(
            'PUT',
            `${worker.url}/connectors/${name}/config`,
            sinkConfig(name, topic, dir),
          );
          expect(r.status).toBe(201);
        },
      },
      dir,
    );
    console.log(
      `distributed: the restarted worker's sink consumed new records ${ms.spawned.toFixed(0)} ms after its process started, ${ms.ready.toFixed(0)} ms after its REST API answered`,
    );
    expectWellBeforeTheSessionEnds(ms);
  });
});
