// A worker that crashes and comes back on the same host:port (a container restarted in its pod: same
// IP, so the same worker id), with real worker processes on the real broker. The new process removes
// its dead predecessor from the group before it joins, so its tasks run again within moments of its
// start — not after session.timeout.ms, let alone scheduled.rebalance.max.delay.ms — and none runs
// twice or moves off the other workers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorStateInfo } from '../rest/types.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { WeirCluster } from '../../tools/weir-cluster.ts';
import { http, startWeirDistributed, waitFor, type WeirProcess } from '../../tools/weir-process.ts';

const SESSION_MS = 20_000;
const clusters: WeirCluster[] = [];

afterEach(async () => {
  await Promise.all(clusters.splice(0).map((c) => c.stop()));
});

/** Three workers and a FileStreamSink with 6 tasks on a 6-partition topic, all RUNNING. */
async function sinkOnThreeWorkers(sessionMs: number) {
  const groupId = uniqueName('connect');
  const worker = {
    'heartbeat.interval.ms': '1000',
    'session.timeout.ms': String(sessionMs),
    // Long enough that a task waiting for it would fail the test.
    'scheduled.rebalance.max.delay.ms': '120000',
    'consumer.session.timeout.ms': '6000',
    'consumer.heartbeat.interval.ms': '1000',
  };
  const c = new WeirCluster({ bootstrap: kafkaBootstrap(), groupId, worker });
  clusters.push(c);
  await c.add(3);
  const topic = uniqueName('six');
  const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: [kafkaBootstrap()] });
  await admin.createTopics({ topics: [topic], partitions: 6, replicas: 1 });
  await admin.close();
  const sink = uniqueName('sink');
  // 409 while the group is still settling: asked again.
  const created = await waitFor('the connector created', async () => {
    const r = await http('PUT', `${c.live[0]?.url}/connectors/${sink}/config`, {
      'connector.class': 'FileStreamSink',
      'tasks.max': '6',
      topics: topic,
      file: join(c.dir, 'out.txt'),
    });
    return r.status === 409 ? undefined : r;
  });
  expect(created.status).toBe(201);
  const before = await c.waitRunning(sink, 6);
  // A worker that neither leads nor runs the connector: only its tasks are in question.
  const workers = (await http('GET', `${c.live[0]?.url}/admin/workers`)).body as {
    url: string;
    leader: boolean;
  }[];
  const leaderId = new URL(workers.find((w) => w.leader)?.url ?? 'http://none').host;
  const victimId = before.tasks.find((t) => ![before.connector.worker_id, leaderId].includes(t.worker_id))
    ?.worker_id as string;
  const victim = c.byWorkerId(victimId) as WeirProcess;
  /** Kills the victim with SIGKILL, then starts a new process on its port; resolves once it joined. */
  const restartInPlace = async (pauseMs = 0) => {
    await victim.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, pauseMs));
    const started = Date.now();
    const again = await startWeirDistributed({
      dir: join(c.dir, 'restarted'),
      bootstrap: kafkaBootstrap(),
      groupId,
      worker,
      port: Number(new URL(victim.url).port),
    });
    c.workers.push(again);
    return { started, joined: Date.now() };
  };
  return { c, sink, before, victimId, restartInPlace };
}

/** How often each task of `connector` was started, from one worker's log. */
function starts(logFile: string, connector: string): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync(logFile)) return out;
  for (const m of readFileSync(logFile, 'utf8').matchAll(/"msg":"Starting task (.+?)-(\d+)"/g))
    if (m[1] === connector) out.set(Number(m[2]), (out.get(Number(m[2])) ?? 0) + 1);
  return out;
}

function expectSameTasksOnce(before: ConnectorStateInfo, after: ConnectorStateInfo): void {
  // Every task on the worker it ran on (the restarted one took its own back), each exactly once.
  const where = (s: ConnectorStateInfo) => s.tasks.map((t) => `${t.id}@${t.worker_id}`).sort();
  expect(where(after)).toEqual(where(before));
}

describe('a worker restarted in place (same host:port)', () => {
  it('gets its tasks back within 2 s of joining while its dead process is still a member', async () => {
    const { c, sink, before, victimId, restartInPlace } = await sinkOnThreeWorkers(SESSION_MS);
    const { started, joined } = await restartInPlace();
    const after = await c.waitRunning(sink, 6, 20_000);
    const running = Date.now();
    console.log(
      `restart in place: new process joined ${joined - started} ms after its start, tasks RUNNING ${running - joined} ms later`,
    );
    expect(running - joined).toBeLessThan(2_000);
    expect(running - started).toBeLessThan(SESSION_MS / 2); // the old member's session did not run out
    expectSameTasksOnce(before, after);
    // The other workers started each of their tasks once; the new process started the victim's once.
    const mine = before.tasks.filter((t) => t.worker_id === victimId).map((t) => t.id);
    // (its log reaches the file a moment after the status topic says RUNNING)
    const restarted = await waitFor('the restarted worker to log its task starts', () => {
      const found = starts(join(c.dir, 'restarted', 'weir.log'), sink);
      return found.size >= mine.length ? found : undefined;
    });
    expect([...restarted.keys()].sort()).toEqual(mine.sort());
    expect([...restarted.values()].every((n) => n === 1)).toBe(true);
    const original = c.taskStarts(sink);
    for (const t of before.tasks) expect(original.get(t.id), `task ${t.id}`).toBe(1);
  });

  it('gets its tasks back at once after its dead process left the group (held back for the delay till then)', async () => {
    const session = 6_000;
    const { c, sink, before, restartInPlace } = await sinkOnThreeWorkers(session);
    // Back after its old session expired: its tasks were lost, held for scheduled.rebalance.max.delay.ms.
    const { joined } = await restartInPlace(session + 3_000);
    const after = await c.waitRunning(sink, 6, 5_000);
    console.log(
      `restart in place after the session expired: tasks RUNNING ${Date.now() - joined} ms after joining`,
    );
    expect(Date.now() - joined).toBeLessThan(2_000);
    expectSameTasksOnce(before, after);
    const original = c.taskStarts(sink);
    for (const t of before.tasks) expect(original.get(t.id), `task ${t.id}`).toBe(1); // none moved meanwhile
  });
});
