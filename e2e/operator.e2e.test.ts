// The operator end to end on the local cluster, installed as users install it: the Helm chart into
// the test namespace (2 replicas, one leading through the Lease, RBAC for that namespace only), a
// real broker reachable from pods, a KafkaConnect of 3 workers and the seed's two FileStream
// connectors as KafkaConnectors with their files on a hostPath volume. Lines flow from test.txt to
// test.sink.txt, both resources turn Ready, and the rest of the life follows, down to the uninstall.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RESOURCES, resourcePath } from '../operator/kube/client.ts';
import type { KubeEvent } from '../operator/kube/events.ts';
import type { KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import type { ConnectorStateInfo } from '../runtime/rest/types.ts';
import { conditionTrue as ready, eventually, isReady } from './kube.ts';
import {
  leaderMetric,
  leaseHolder,
  operatorPods,
  podLog,
  releaseObjects,
  waitForOperator,
  type ReleaseObject,
} from './operator-release.ts';
import { OperatorTestBed } from './operator-test-bed.ts';

const CONNECT = 'files';
const bed = new OperatorTestBed({ namespaces: ['e2e-operator'], operator: 'chart', data: true });
const { k, client, namespace, dataDir, get, create, path } = bed;

async function patchSpec(name: string, spec: Partial<KafkaConnector['spec']>): Promise<void> {
  await client.request('PATCH', path('KafkaConnector', name), {
    body: { spec },
    contentType: 'application/merge-patch+json',
  });
}

/** The workers' REST API, as the operator reaches it (a ready pod's IP, the admin token). */
async function rest<T>(method: string, urlPath: string): Promise<{ status: number; body: T }> {
  const ips = (await bed.workerPods(CONNECT)).filter(isReady).map((p) => p.status?.podIP);
  let last: unknown;
  for (const ip of ips) {
    try {
      return await bed.toWorker<T>(CONNECT, ip!, method, urlPath);
    } catch (error) {
      last = error;
    }
  }
  throw new Error(`no worker answered ${method} ${urlPath}: ${String(last)}`);
}

function connector(name: string, cls: string, config: Record<string, string>): KafkaConnector {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnector',
    metadata: { name, namespace, labels: { 'weir.dev/cluster': CONNECT } },
    spec: { class: cls, tasksMax: 1, config },
  };
}

const sinkLines = () => bed.dataLines('test.sink.txt');

beforeAll(async () => {
  await bed.start();
  writeFileSync(join(dataDir, 'test.txt'), ['foo', 'bar'].join('\n') + '\n');
}, 480_000); // the first install builds Helm (~5 min; npm test's lint has built it already)

// The last test uninstalls; the test bed does, too, for a run that failed before it.
afterAll(() => bed.stop(), 120_000);

describe('weir operator', () => {
  it('runs two operator replicas, of which exactly one leads', async () => {
    const { pods, leader } = await waitForOperator(k, client, namespace);
    expect(pods.map((p) => p.metadata?.name)).toContain(leader);
    const leading = await eventually('exactly one replica reporting weir_operator_leader 1', async () => {
      const values = await Promise.all(pods.map(leaderMetric));
      return values.filter((v) => v === 1).length === 1 && values.filter((v) => v === 0).length === 1
        ? pods[values.indexOf(1)]
        : undefined;
    });
    expect(leading?.metadata?.name).toBe(leader);
    for (const pod of pods) expect(pod.spec?.serviceAccountName).toBe('weir-operator');
  }, 120_000);

  it('runs a KafkaConnect of 3 workers and the seed connectors: lines flow, both Ready', async () => {
    const started = Date.now();
    await create({
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnect',
      metadata: { name: CONNECT, namespace },
      spec: {
        replicas: 3,
        bootstrapServers: bed.broker.bootstrap,
        config: { 'offset.flush.interval.ms': 1000 },
        template: bed.dataTemplate(),
      },
    });
    const kc = await eventually(
      'KafkaConnect Ready',
      async () => {
        const o = await get<KafkaConnect>('KafkaConnect', CONNECT);
        return ready(o) && o?.status?.connectorPlugins?.length ? o : undefined;
      },
      120_000,
    );
    const connectReadyMs = Date.now() - started;
    expect(kc.status?.replicas).toBe(3);
    expect(kc.status?.labelSelector).toBe('weir.dev/cluster=files,weir.dev/kind=KafkaConnect');
    expect(kc.status?.connectorPlugins?.map((p) => p.class)).toContain(
      'org.apache.kafka.connect.file.FileStreamSourceConnector',
    );

    const applied = Date.now();
    await create(
      connector('local-file-source', 'FileStreamSource', { file: '/data/test.txt', topic: 'connect-test' }),
    );
    await create(
      connector('local-file-sink', 'FileStreamSink', { file: '/data/test.sink.txt', topics: 'connect-test' }),
    );
    for (const name of ['local-file-source', 'local-file-sink']) {
      // Ready with its task RUNNING (the model calls a RUNNING connector with no task yet Ready).
      const ktr = await eventually(`${name} Ready`, async () => {
        const o = await get<KafkaConnector>('KafkaConnector', name);
        return ready(o) && o?.status?.connectorStatus?.tasks[0]?.state === 'RUNNING' ? o : undefined;
      }).catch(async (error: unknown) => {
        const o = await get<KafkaConnector>('KafkaConnector', name);
        const workers = await rest('GET', '/connectors?expand=status&expand=info').catch((e: unknown) => e);
        throw new Error(
          `${String(error)}\nstatus: ${JSON.stringify(o?.status)}\nworkers: ${JSON.stringify(workers)}`,
        );
      });
      expect(ktr.status?.connectorStatus?.connector.state).toBe('RUNNING');
      expect(ktr.status?.connectorStatus?.tasks.map((t) => t.state)).toEqual(['RUNNING']);
      expect(ktr.metadata.finalizers).toContain('weir.dev/connector');
    }
    const runningMs = Date.now() - applied;
    await eventually('lines in test.sink.txt', async () => (sinkLines().length >= 2 ? true : undefined));
    appendFileSync(join(dataDir, 'test.txt'), 'baz\n');
    await eventually('a new line in test.sink.txt', async () => (sinkLines().length >= 3 ? true : undefined));
    expect(sinkLines()).toEqual(['foo', 'bar', 'baz']);
    console.log(
      `operator e2e: KafkaConnect Ready in ${connectReadyMs} ms; connectors RUNNING ${runningMs} ms after apply`,
    );
  }, 240_000);
  it('moves the source task off a deleted pod within 5 s, without losing a line', async () => {
    const before = await rest<ConnectorStateInfo>('GET', '/connectors/local-file-source/status');
    const victimWorker = before.body.tasks[0]!.worker_id;
    const ip = victimWorker.split(':')[0];
    const pods = await k.core.listNamespacedPod({ namespace, labelSelector: `weir.dev/cluster=${CONNECT}` });
    const victim = pods.items.find((p) => p.status?.podIP === ip)!;
    expect(victim).toBeDefined();
    const killed = Date.now();
    await k.core.deleteNamespacedPod({ name: victim.metadata!.name!, namespace });
    const moved = await eventually(
      'the source task RUNNING on another worker',
      async () => {
        const now = await rest<ConnectorStateInfo>('GET', '/connectors/local-file-source/status');
        const task = now.body.tasks[0];
        return task && task.state === 'RUNNING' && task.worker_id !== victimWorker ? Date.now() : undefined;
      },
      30_000,
    );
    const moveMs = moved - killed;
    console.log(`operator e2e: pod deleted → source task RUNNING on another worker in ${moveMs} ms`);
    expect(moveMs).toBeLessThan(5_000);
    appendFileSync(join(dataDir, 'test.txt'), 'after-kill-1\nafter-kill-2\n');
    await eventually('lines after the kill', async () =>
      sinkLines().includes('after-kill-2') ? true : undefined,
    );
    const lines = sinkLines();
    for (const line of ['foo', 'bar', 'baz', 'after-kill-1', 'after-kill-2']) expect(lines).toContain(line);
    await eventually('the source Ready again', async () =>
      ready(await get<KafkaConnector>('KafkaConnector', 'local-file-source')) ? true : undefined,
    );
  }, 120_000);

  it('pauses, stops and resumes a connector through spec.state', async () => {
    for (const [state, want] of [
      ['paused', 'PAUSED'],
      ['stopped', 'STOPPED'],
      ['running', 'RUNNING'],
    ] as const) {
      await patchSpec('local-file-source', { state });
      await eventually(
        `local-file-source ${want} and Ready`,
        async () => {
          const o = await get<KafkaConnector>('KafkaConnector', 'local-file-source');
          return ready(o) &&
            o?.status?.observedGeneration === o?.metadata.generation &&
            o?.status?.connectorStatus?.connector.state === want
            ? true
            : undefined;
        },
        30_000,
      );
      if (want === 'PAUSED') appendFileSync(join(dataDir, 'test.txt'), 'while-paused\n');
    }
    await eventually('the line written while paused, after resume', async () =>
      sinkLines().includes('while-paused') ? true : undefined,
    );
  }, 120_000);

  it('rolls the workers on a worker config change without losing a line', async () => {
    const before = await k.core.listNamespacedPod({
      namespace,
      labelSelector: `weir.dev/cluster=${CONNECT}`,
    });
    const oldPods = new Set(before.items.map((p) => p.metadata?.uid));
    await client.request('PATCH', path('KafkaConnect', CONNECT), {
      body: { spec: { config: { 'offset.flush.interval.ms': 2000 } } },
      contentType: 'application/merge-patch+json',
    });
    let n = 0;
    const writer = setInterval(() => appendFileSync(join(dataDir, 'test.txt'), `rolling-${n++}\n`), 500);
    try {
      await eventually(
        'the rollout done: 3 new workers, KafkaConnect Ready',
        async () => {
          const kc = await get<KafkaConnect>('KafkaConnect', CONNECT);
          const pods = await k.core.listNamespacedPod({
            namespace,
            labelSelector: `weir.dev/cluster=${CONNECT}`,
          });
          const fresh = pods.items.filter((p) => !oldPods.has(p.metadata?.uid) && isReady(p));
          return ready(kc) &&
            kc?.status?.observedGeneration === kc?.metadata.generation &&
            fresh.length === 3 &&
            pods.items.length === 3
            ? true
            : undefined;
        },
        120_000,
      );
    } finally {
      clearInterval(writer);
    }
    const last = `rolling-${n - 1}`;
    await eventually(
      `${last} in test.sink.txt`,
      async () => (sinkLines().includes(last) ? true : undefined),
      30_000,
    );
    const lines = new Set(sinkLines());
    const lost = Array.from({ length: n }, (_, i) => `rolling-${i}`).filter((l) => !lines.has(l));
    expect(lost).toEqual([]);
    console.log(`operator e2e: rolling update with ${n} lines written during it, none lost`);
  }, 180_000);

  it('deletes the connector from the workers when its KafkaConnector goes', async () => {
    await client.request('DELETE', path('KafkaConnector', 'local-file-sink'));
    await eventually('the sink connector gone from the workers', async () => {
      const res = await rest<string[]>('GET', '/connectors');
      return res.body.includes('local-file-sink') ? undefined : true;
    });
    await eventually('the KafkaConnector gone', async () =>
      (await get('KafkaConnector', 'local-file-sink')) ? undefined : true,
    );
    expect((await rest<string[]>('GET', '/connectors')).body).toEqual(['local-file-source']);
  }, 60_000);

  it('has invalid resources refused by the API server with a message naming the problem', async () => {
    const bad = connector('bad-state', 'FileStreamSource', { file: '/data/x', topic: 't' });
    (bad.spec as { state: string }).state = 'sleeping';
    await expect(create(bad)).rejects.toThrow(/spec\.state/);
    const owned = connector('bad-key', 'FileStreamSource', { 'tasks.max': '3', file: '/data/x' });
    await expect(create(owned)).rejects.toThrow(/tasks\.max/);
    const orphan = connector('no-cluster', 'FileStreamSource', { file: '/data/x' });
    orphan.metadata.labels = {};
    await expect(create(orphan)).rejects.toThrow(/weir\.dev\/cluster/);
  }, 30_000);
  it('converges when the leading operator pod is deleted right after a create, creating the connector once', async () => {
    const leader = (await leaseHolder(client, namespace))!;
    // Everything so far ran under the chart's RBAC: the leader was never refused a call.
    const leaderPod = (await operatorPods(k, namespace)).find((p) => p.metadata?.name === leader)!;
    const leaderLog = podLog(inject('kubeconfig'), leaderPod, 'operator', Infinity);
    if (inject('cluster') === 'local') expect(leaderLog).toContain('"controllers running"');
    expect(leaderLog).not.toMatch(/forbidden/i);
    await create(
      connector('second-source', 'FileStreamSource', { file: '/data/test.txt', topic: 'connect-test-2' }),
    );
    await new Promise((r) => setTimeout(r, 150));
    const killed = Date.now();
    await k.core.deleteNamespacedPod({ name: leader, namespace, gracePeriodSeconds: 0 });
    const successor = await eventually(
      'another replica holding the Lease',
      async () => {
        const holder = await leaseHolder(client, namespace);
        return holder && holder !== leader ? holder : undefined;
      },
      60_000,
    );
    const takeoverMs = Date.now() - killed;
    const o = await eventually(
      'second-source Ready under the new leader',
      async () => {
        const x = await get<KafkaConnector>('KafkaConnector', 'second-source');
        return ready(x) ? x : undefined;
      },
      60_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await bed.operatorLogs()}`);
    });

    expect(o.status?.connectorStatus?.connector.state).toBe('RUNNING');
    expect(o.metadata.annotations?.['weir.dev/created-connector']).toBe(
      `${namespace}/${CONNECT}/second-source`,
    );
    // Each replica records its own Created event (repeats join a series): at most one create in all.
    const events = await client.request<{ items: KubeEvent[] }>(
      'GET',
      resourcePath(RESOURCES.Event, namespace),
    );
    const createsOf = (name: string) =>
      events.items
        .filter((e) => e.regarding.name === name && e.reason === 'Created')
        .reduce((n, e) => n + (e.series?.count ?? 1), 0);
    expect(createsOf('local-file-source')).toBeGreaterThanOrEqual(1); // the filter finds a create
    const creates = createsOf('second-source');
    console.log(
      `operator e2e: leader ${leader} deleted → ${successor} leads after ${takeoverMs} ms; ${creates} create(s)`,
    );
    expect(creates).toBeLessThanOrEqual(1);
    expect((await rest<string[]>('GET', '/connectors')).body).toContain('second-source');
    // The Deployment replaces the deleted pod: two replicas again, one of them leading.
    await waitForOperator(k, client, namespace);
  }, 150_000);

  it('uninstalls cleanly', async () => {
    await bed.deleteConnectors();
    expect(bed.uninstallOperator()).toBe(true);
    const returned = Date.now();
    // Helm has waited until each of the chart's objects is gone, the Deployment after its pods.
    expect(await releaseObjects(client, namespace, 'chart')).toEqual([]);
    const named = (objects: ReleaseObject[]) =>
      objects.map((o) => `${o.kind} ${o.name}${o.deleting ? ' (deleting)' : ''}`).join(', ');
    const going = await releaseObjects(client, namespace); // what the cluster made of them
    let left: ReleaseObject[] = [];
    await eventually(
      'nothing of the release left',
      async () => {
        left = await releaseObjects(client, namespace);
        return left.length === 0 ? true : undefined;
      },
      90_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; left: ${named(left)}`);
    });
    console.log(
      `operator e2e: helm uninstall returned with the chart's objects gone, ${named(going) || 'nothing'} still going; all of the release gone ${Date.now() - returned} ms later`,
    );
    const roles = await client.request<{ items: unknown[] }>('GET', resourcePath(RESOURCES.Role, namespace));
    expect(roles.items).toEqual([]);
  }, 300_000);
});
