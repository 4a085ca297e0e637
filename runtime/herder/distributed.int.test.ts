// Distributed mode on the real broker with real worker processes: forwarding, balanced assignment,
// failover on SIGTERM / kill -9 (with and without the admin endpoint), leader loss, scale-out without
// restarting tasks that stay put, and no record lost end to end.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { spread, WeirCluster } from '../../tools/weir-cluster.ts';
import { http, waitFor, type WeirProcess } from '../../tools/weir-process.ts';

const TOKEN = 'test-admin-token';
const clusters: WeirCluster[] = [];
// Connector names are unique per test: a sink's consumer group (connect-<name>) lives on the shared broker.
let sink = '';
let source = '';

async function cluster(workers: number, settings: Record<string, string> = {}): Promise<WeirCluster> {
  const c = new WeirCluster({
    bootstrap: kafkaBootstrap(),
    groupId: uniqueName('connect'),
    worker: {
      'weir.admin.token': TOKEN,
      'heartbeat.interval.ms': '1000',
      'session.timeout.ms': '6000',
      // A killed worker's sink consumers stay in their group until this times out (Java: 45 s).
      'consumer.session.timeout.ms': '6000',
      'consumer.heartbeat.interval.ms': '1000',
      ...settings,
    },
  });
  clusters.push(c);
  await c.add(workers);
  return c;
}

async function createTopic(name: string, partitions: number): Promise<void> {
  const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: [kafkaBootstrap()] });
  await admin.createTopics({ topics: [name], partitions, replicas: 1 });
  await admin.close();
}

async function leaderOf(c: WeirCluster): Promise<{ leader: WeirProcess; others: WeirProcess[] }> {
  const members = await waitFor('a settled group', async () => {
    const r = await http('GET', `${c.live[0]?.url}/admin/workers`);
    const body = r.body as { url: string; leader: boolean }[];
    return r.status === 200 && body.length === c.live.length ? body : undefined;
  });
  const leaderUrl = new URL(members.find((m) => m.leader)?.url ?? '').host;
  const leader = c.live.find((w) => c.workerId(w) === leaderUrl) as WeirProcess;
  return { leader, others: c.live.filter((w) => w !== leader) };
}

async function put(via: WeirProcess, name: string, config: Record<string, string>): Promise<number> {
  const r = await waitFor(`PUT ${name} accepted`, async () => {
    const response = await http('PUT', `${via.url}/connectors/${name}/config`, config);
    return response.status === 409 ? undefined : response;
  });
  return r.status;
}

beforeEach(() => {
  sink = uniqueName('sink');
  source = uniqueName('source');
});

afterEach(async () => {
  await Promise.all(clusters.splice(0).map((c) => c.stop()));
});

describe('weir connect-distributed', () => {
  it('creates connectors through a non-leader and spreads their tasks across the workers', async () => {
    const c = await cluster(3);
    const { others } = await leaderOf(c);
    const topic = uniqueName('six');
    await createTopic(topic, 6);
    const follower = others[0] as WeirProcess;
    expect(
      await put(follower, sink, {
        'connector.class': 'FileStreamSink',
        'tasks.max': '6',
        topics: topic,
        file: join(c.dir, 'out.txt'),
      }),
    ).toBe(201);
    expect(spread(await c.waitRunning(sink, 6))).toEqual([2, 2, 2]);

    const created = await http('POST', `${follower.url}/connectors`, {
      name: source,
      config: {
        'connector.class': 'VerifiableSource',
        'tasks.max': '6',
        topic: uniqueName('verifiable'),
        throughput: '100',
      },
    });
    expect(created.status).toBe(201);
    expect(spread(await c.waitRunning(source, 6))).toHaveLength(3);
    // Status is the same from every worker.
    await waitFor('the same status on every worker', async () => {
      const views = await Promise.all(c.live.map((w) => c.status(source, w)));
      return views.every((v) => JSON.stringify(v) === JSON.stringify(views[0]));
    });
  });

  it('moves the tasks of a worker stopped with SIGTERM within 2 s', async () => {
    const c = await cluster(3);
    const topic = uniqueName('six');
    await createTopic(topic, 6);
    await put(c.live[0] as WeirProcess, sink, {
      'connector.class': 'FileStreamSink',
      'tasks.max': '6',
      topics: topic,
      file: join(c.dir, 'out.txt'),
    });
    const before = await c.waitRunning(sink, 6);
    const victimId = before.tasks[0]?.worker_id as string;
    const victim = c.byWorkerId(victimId) as WeirProcess;
    const started = Date.now();
    const exited = victim.stop('SIGTERM');
    const after = await c.waitRunning(sink, 6, 10_000, [victimId]);
    const elapsed = Date.now() - started;
    expect(await exited).toBe(0);
    expect(after.tasks.every((t) => t.worker_id !== victimId)).toBe(true);
    expect(elapsed).toBeLessThan(2000);
  });

  it('moves the tasks of a killed worker within 2 s when it is declared gone, else after the delay', async () => {
    const c = await cluster(3, { 'scheduled.rebalance.max.delay.ms': '8000' });
    const topic = uniqueName('six');
    await createTopic(topic, 6);
    await put(c.live[0] as WeirProcess, sink, {
      'connector.class': 'FileStreamSink',
      'tasks.max': '6',
      topics: topic,
      file: join(c.dir, 'out.txt'),
    });
    const before = await c.waitRunning(sink, 6);
    const { leader } = await leaderOf(c);
    const victimId = before.tasks.map((t) => t.worker_id).find((id) => id !== c.workerId(leader)) as string;

    // Declared gone by the operator: the work moves at once.
    const victim = c.byWorkerId(victimId) as WeirProcess;
    await victim.stop('SIGKILL');
    const started = Date.now();
    const declared = await http(
      'DELETE',
      `${leader.url}/admin/workers/${encodeURIComponent(victimId)}`,
      undefined,
      {
        authorization: `Bearer ${TOKEN}`,
      },
    );
    expect(declared.status).toBe(202);
    await c.waitRunning(sink, 6, 10_000, [victimId]);
    expect(Date.now() - started).toBeLessThan(2000);

    // Not declared: the work waits for scheduled.rebalance.max.delay.ms, as in Apache Kafka Connect.
    const now = await c.waitRunning(sink, 6);
    const secondId = now.tasks.map((t) => t.worker_id).find((id) => id !== c.workerId(leader)) as string;
    await (c.byWorkerId(secondId) as WeirProcess).stop('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 4000));
    const during = await c.status(sink, leader);
    expect(during?.tasks.some((t) => t.worker_id === secondId || t.state !== 'RUNNING')).toBe(true);
    await c.waitRunning(sink, 6, 30_000, [secondId]);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(6000);
  });

  it('elects a new leader when the leader is killed and loses no task', async () => {
    const c = await cluster(3, { 'scheduled.rebalance.max.delay.ms': '2000' });
    await put(c.live[0] as WeirProcess, source, {
      'connector.class': 'VerifiableSource',
      'tasks.max': '4',
      topic: uniqueName('verifiable'),
      throughput: '50',
    });
    await c.waitRunning(source, 4);
    const { leader } = await leaderOf(c);
    await leader.stop('SIGKILL');
    await c.waitRunning(source, 4, 40_000, [c.workerId(leader)]);
    const after = await leaderOf(c);
    expect(after.leader).not.toBe(leader);
  });

  it('rebalances onto a new worker without restarting the tasks that stay put', async () => {
    const c = await cluster(2);
    await put(c.live[0] as WeirProcess, source, {
      'connector.class': 'VerifiableSource',
      'tasks.max': '6',
      topic: uniqueName('verifiable'),
      throughput: '50',
    });
    const before = await c.waitRunning(source, 6);
    await c.add(1);
    const after = await waitFor('work on the new worker', async () => {
      const status = await c.waitRunning(source, 6);
      return spread(status).length === 3 ? status : undefined;
    });
    const moved = after.tasks
      .filter((t) => before.tasks.find((b) => b.id === t.id)?.worker_id !== t.worker_id)
      .map((t) => t.id);
    const starts = c.taskStarts(source);
    for (const task of after.tasks)
      expect(starts.get(task.id), `task ${task.id}`).toBe(moved.includes(task.id) ? 2 : 1);
    expect(moved.length).toBeGreaterThan(0);
  });

  it('loses no record from file to topic to 6 sink tasks across a SIGTERM, a kill -9 and a new worker', async () => {
    const c = await cluster(3, { 'scheduled.rebalance.max.delay.ms': '3000' });
    const topic = uniqueName('e2e');
    await createTopic(topic, 6);
    const input = join(c.dir, 'input.txt');
    const output = join(c.dir, 'output.txt');
    const total = 30_000;
    const lines = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `record-${from + i}`).join('\n') + '\n';
    writeFileSync(input, lines(0, total / 3));
    const via = c.live[0] as WeirProcess;
    await put(via, source, {
      'connector.class': 'FileStreamSource',
      file: input,
      topic,
      'batch.size': '500',
    });
    await put(via, sink, {
      'connector.class': 'FileStreamSink',
      'tasks.max': '6',
      topics: topic,
      file: output,
    });
    await c.waitRunning(sink, 6);

    const { others } = await leaderOf(c);
    await (others[0] as WeirProcess).stop('SIGTERM');
    appendFileSync(input, lines(total / 3, (2 * total) / 3));
    await (others[1] as WeirProcess).stop('SIGKILL');
    await c.add(2);
    appendFileSync(input, lines((2 * total) / 3, total));

    const missing = (): number => {
      const seen = new Set(existsSync(output) ? readFileSync(output, 'utf8').split('\n') : []);
      let count = 0;
      for (let i = 0; i < total; i++) if (!seen.has(`record-${i}`)) count++;
      return count;
    };
    await waitFor('every record in the sink files', () => missing() === 0, 90_000, 500).catch(() => {});
    expect(missing()).toBe(0);
  });
});
