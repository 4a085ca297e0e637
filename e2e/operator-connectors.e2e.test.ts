// KafkaConnectors under the operator on the local cluster, for what only the real thing shows: the
// scale subresource's selector, which the HorizontalPodAutoscaler controller (kube-controller-manager)
// requires, and `kubectl scale`; two KafkaConnectors of one name from two namespaces on one
// KafkaConnect; a FAILED connector stopped through spec.state; a worker container killed and
// restarted in its pod (same IP, same worker id) getting its task running again within seconds.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import type { Condition, KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import type { ConnectorStateInfo } from '../runtime/rest/types.ts';
import { eventually, isReady } from './kube.ts';
import { OperatorTestBed } from './operator-test-bed.ts';

const CONNECT = 'shared';
const VERIFIABLE = 'org.apache.kafka.connect.tools.VerifiableSourceConnector';
const bed = new OperatorTestBed({
  namespaces: ['e2e-connectors', 'e2e-connectors-guest'],
  operator: 'process',
});
const { client } = bed;
// The KafkaConnect's namespace, and another it accepts connectors from.
const [home, guest] = bed.namespaces as [string, string];

const connectorPath = (namespace: string, name?: string) => bed.path('KafkaConnector', name, namespace);
const getConnector = (namespace: string, name: string) =>
  bed.get<KafkaConnector>('KafkaConnector', name, namespace);
const condition = (o: { status?: { conditions?: Condition[] } } | undefined, type: string) =>
  o?.status?.conditions?.find((c) => c.type === type);
const kubectl = (...args: string[]) => bed.kubectl(args);

function source(namespace: string, name: string, spec: Partial<KafkaConnector['spec']> = {}): KafkaConnector {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnector',
    metadata: {
      name,
      namespace,
      ...(namespace === home ? { labels: { 'weir.dev/cluster': CONNECT } } : {}),
    },
    spec: {
      class: VERIFIABLE,
      tasksMax: 1,
      config: { topic: `${namespace}-${name}`, throughput: 5 },
      ...(namespace === home ? {} : { clusterRef: { name: CONNECT, namespace: home } }),
      ...spec,
    },
  };
}

const workerPods = () => bed.workerPods(CONNECT);

/** A request to a ready worker, as the operator makes it (pod IP, admin token). */
async function toWorker<T>(method: string, urlPath: string): Promise<{ status: number; body?: T }> {
  const ip = (await workerPods()).filter(isReady)[0]?.status?.podIP;
  if (!ip) return { status: 0 };
  return bed.toWorker<T>(CONNECT, ip, method, urlPath, 5000);
}

/** GET on a ready worker; undefined unless it answers 200. */
async function onWorker<T>(urlPath: string): Promise<T | undefined> {
  const res = await toWorker<T>('GET', urlPath);
  return res.status === 200 ? res.body : undefined;
}

const readyConnector = (namespace: string, name: string, timeoutMs = 60_000) =>
  eventually(
    `KafkaConnector ${namespace}/${name} Ready`,
    async () => {
      const o = await getConnector(namespace, name);
      return condition(o, 'Ready')?.status === 'True' ? o : undefined;
    },
    timeoutMs,
  );

beforeAll(async () => {
  await bed.start();
  const connect: KafkaConnect = {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnect',
    metadata: { name: CONNECT, namespace: home },
    spec: { replicas: 2, bootstrapServers: bed.broker.bootstrap, allowedConnectorNamespaces: [guest] },
  };
  await bed.create(connect);
  await eventually(
    'KafkaConnect Ready',
    async () => {
      const o = await bed.get<KafkaConnect>('KafkaConnect', CONNECT);
      return condition(o, 'Ready')?.status === 'True' ? true : undefined;
    },
    150_000,
  );
  await client.request('POST', connectorPath(home), { body: source(home, 'numbers') });
  await readyConnector(home, 'numbers');
}, 240_000);

afterAll(() => bed.stop(), 120_000);

describe('KafkaConnector scale subresource', () => {
  it('kubectl scale changes tasksMax, and the scale has the workers as its selector', async () => {
    kubectl('scale', 'kafkaconnector', 'numbers', '--replicas=2');
    const scaled = await eventually('status.tasksMax 2', async () => {
      const o = await getConnector(home, 'numbers');
      return o?.spec.tasksMax === 2 && o.status?.tasksMax === 2 ? o : undefined;
    });
    expect(scaled.status?.labelSelector).toBe(`weir.dev/cluster=${CONNECT},weir.dev/kind=KafkaConnect`);
    const scale = JSON.parse(kubectl('get', '--raw', `${connectorPath(home, 'numbers')}/scale`)) as {
      spec: { replicas: number };
      status: { replicas: number; selector?: string };
    };
    expect(scale.spec.replicas).toBe(2);
    expect(scale.status).toEqual({
      replicas: 2,
      selector: `weir.dev/cluster=${CONNECT},weir.dev/kind=KafkaConnect`,
    });
  }, 90_000);

  it('an HPA targeting a KafkaConnector is accepted and reads its scale, selector included', async () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'numbers', namespace: home },
      spec: {
        scaleTargetRef: { apiVersion: 'weir.dev/v1beta1', kind: 'KafkaConnector', name: 'numbers' },
        minReplicas: 1,
        maxReplicas: 4,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
    };
    const path = `/apis/autoscaling/v2/namespaces/${home}/horizontalpodautoscalers`;
    await client.request('POST', path, { body: hpa });
    type Hpa = {
      status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
    };
    // The HPA controller syncs every 15 s; its conditions say how it got on with the target.
    const conditions = await eventually(
      'the HPA controller to report on its target',
      async () => {
        const o = await client.request<Hpa>('GET', `${path}/numbers`);
        const cs = o.status?.conditions ?? [];
        return cs.some((c) => c.type === 'ScalingActive') ? cs : undefined;
      },
      90_000,
    );
    console.log(
      `operator-connectors e2e: HPA conditions ${JSON.stringify(conditions.map((c) => [c.type, c.status, c.reason]))}`,
    );
    expect(conditions.find((c) => c.type === 'AbleToScale')).toMatchObject({
      status: 'True',
      reason: 'SucceededGetScale',
    });
    for (const c of conditions) {
      expect(c.reason).not.toBe('InvalidSelector');
      expect(c.message).not.toMatch(/selector is required|missing a selector/);
    }
    // No metrics API here, so it gets no CPU figures; what matters is that it got past the selector.
    await client.request('DELETE', `${path}/numbers`);
  }, 120_000);
});

describe('two KafkaConnectors of one name from two namespaces on one KafkaConnect', () => {
  it('the older runs the connector; the other is Stalled, names it and never touches it', async () => {
    await client.request('POST', connectorPath(guest), { body: source(guest, 'numbers') });
    const loser = await eventually('the guest KafkaConnector Stalled', async () => {
      const o = await getConnector(guest, 'numbers');
      return condition(o, 'Stalled')?.status === 'True' ? o : undefined;
    });
    expect(condition(loser, 'Stalled')).toMatchObject({ reason: 'ConnectorNameConflict' });
    expect(condition(loser, 'Stalled')?.message).toContain(`KafkaConnector ${home}/numbers`);
    // The connector keeps the first one's configuration.
    const config = await onWorker<Record<string, string>>('/connectors/numbers/config');
    expect(config?.topic).toBe(`${home}-numbers`);
    expect(condition(await getConnector(home, 'numbers'), 'Ready')?.status).toBe('True');

    // The first goes (its finalizer deletes the connector it made): the other takes the name over.
    await client.request('DELETE', connectorPath(home, 'numbers'));
    const winner = await readyConnector(guest, 'numbers', 90_000);
    expect(condition(winner, 'Stalled')?.status).toBe('False');
    const now = await onWorker<Record<string, string>>('/connectors/numbers/config');
    expect(now?.topic).toBe(`${guest}-numbers`);
  }, 150_000);
});

describe('a FAILED connector', () => {
  it('is stopped when spec.state says stopped, so its offsets can be reset', async () => {
    // A placeholder with no value fails the connector as it starts (validation does not resolve them).
    const broken = source(home, 'broken', {
      config: { topic: 'broken', throughput: 5, x: '${env:WEIR_E2E_UNSET}' },
    });
    await client.request('POST', connectorPath(home), { body: broken });
    const failed = await eventually('the connector FAILED', async () => {
      const o = await getConnector(home, 'broken');
      return o?.status?.connectorStatus?.connector.state === 'FAILED' ? o : undefined;
    });
    expect(condition(failed, 'Stalled')?.reason).toBe('ConnectorFailed');
    expect((await toWorker('DELETE', '/connectors/broken/offsets')).status).toBe(400); // not stopped
    await client.request('PATCH', connectorPath(home, 'broken'), {
      body: { spec: { state: 'stopped' } },
      contentType: 'application/merge-patch+json',
    });
    // Stopped on the workers: its offsets may be changed now. (It failed before the connector
    // existed, so the workers keep reporting FAILED, as Apache Kafka Connect does; one that failed
    // while running reports STOPPED.)
    const reset = await eventually('offsets reset accepted', async () => {
      const r = await toWorker<{ message: string }>('DELETE', '/connectors/broken/offsets');
      return r.status === 200 ? r.body : undefined;
    });
    expect(reset?.message).toMatch(/reset/i);
  }, 120_000);
});

describe('a worker container restarted in its pod', () => {
  it('has the task it ran producing again within seconds', async ({ skip }) => {
    skip(
      inject('cluster') !== 'local',
      "kills the worker container's process on this machine, where only the local cluster runs pods",
    );
    const status = await onWorker<ConnectorStateInfo>(`/connectors/numbers/status`);
    const taskWorker = status?.tasks[0]?.worker_id;
    expect(status?.tasks[0]?.state).toBe('RUNNING');
    const pod = (await workerPods()).find((p) => `${p.status?.podIP}:8083` === taskWorker)!;
    const pid = Number(pod.status?.containerStatuses?.[0]?.containerID?.replace('weir://', ''));
    expect(pid).toBeGreaterThan(0);
    // The task (guest/numbers, one task) writes to its topic: records again mean it runs again.
    const admin = new Admin({
      clientId: 'e2e-operator-connectors',
      bootstrapBrokers: [bed.broker.bootstrap],
    });
    const topic = `${guest}-numbers`;
    try {
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL'); // as the OOM killer would: no goodbye
      await new Promise((r) => setTimeout(r, 500)); // what the dead producer had sent lands
      const base = await endOffset(admin, topic);
      const resumedAt = await eventually(
        `records in ${topic} again`,
        async () => ((await endOffset(admin, topic)) > base ? Date.now() : undefined),
        60_000,
      );
      const restarted = (await workerPods()).find((p) => p.metadata?.uid === pod.metadata?.uid);
      console.log(
        `operator-connectors e2e: worker process killed → its task producing again after ${resumedAt - killedAt} ms (container restarts: ${restarted?.status?.containerStatuses?.[0]?.restartCount})`,
      );
      expect(restarted?.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
      // Well before the dead member's session (10 s) would have let the group go on without it.
      expect(resumedAt - killedAt).toBeLessThan(10_000);
    } finally {
      await admin.close();
    }
  }, 90_000);
});

async function endOffset(admin: Admin, topic: string): Promise<bigint> {
  const [listed] = await admin.listOffsets({
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: ListOffsetTimestamps.LATEST }] }],
  });
  return listed?.partitions[0]?.offset ?? 0n;
}
