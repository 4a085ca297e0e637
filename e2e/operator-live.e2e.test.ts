// The operator keeping status and log levels live, end to end on the local cluster: a KafkaConnect of 2
// workers, a VerifiableSource KafkaConnector whose active topic reaches status.topics within seconds of
// the workers reporting it, and spec.logging applied to every worker without a restart — to a
// replacement pod too, and undone when a logger leaves the spec.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { RESOURCES, resourcePath, type KubeClient } from '../operator/kube/client.ts';
import type { KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import { REPO_ROOT, startBroker, stopBroker, type BrokerState } from '../tools/kafka/testbed.ts';
import { hostAddressForPods } from './cluster/cluster.ts';
import { createNamespace, eventually, isReady, kube, type Kube } from './kube.ts';
import { applyCrds, kubeClient, OperatorProcess } from './operator-process.ts';

const CONNECT = 'live';
const PROBE = 'weir.e2e.probe';
let k: Kube;
let client: KubeClient;
let namespace: string;
let broker: BrokerState;
let operator: OperatorProcess | undefined;
const work = mkdtempSync(join(REPO_ROOT, '.weir', 'operator-live-e2e-'));

const path = (kind: 'KafkaConnect' | 'KafkaConnector', name?: string) =>
  resourcePath(RESOURCES[kind], namespace, name);

const get = <T>(kind: 'KafkaConnect' | 'KafkaConnector', name: string) =>
  client.get<T & KubernetesObject>(RESOURCES[kind], namespace, name);

const ready = (o: { status?: { conditions?: { type: string; status: string }[] } } | undefined) =>
  o?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function workerPods() {
  return (await k.core.listNamespacedPod({ namespace, labelSelector: `weir.dev/cluster=${CONNECT}` })).items;
}

/** GET on one worker, as the operator reaches it (pod IP, admin token). */
async function onWorker<T>(ip: string, urlPath: string): Promise<{ status: number; body: T }> {
  const secret = await k.core.readNamespacedSecret({ name: `${CONNECT}-connect-credentials`, namespace });
  const token = Buffer.from(secret.data?.['admin-token'] ?? '', 'base64').toString('utf8');
  const res = await fetch(`http://${ip}:8083${urlPath}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(3000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The probe logger's level on each ready worker (undefined where the worker does not know it). */
async function probeLevels(): Promise<(string | undefined)[]> {
  const ips = (await workerPods()).filter(isReady).map((p) => p.status!.podIP!);
  return Promise.all(
    ips.map(async (ip) => (await onWorker<{ level?: string }>(ip, `/admin/loggers/${PROBE}`)).body?.level),
  );
}

/** A merge patch: a logger set to null leaves the map. */
async function setLogging(loggers: Record<string, string | null>): Promise<void> {
  await client.request('PATCH', path('KafkaConnect', CONNECT), {
    body: { spec: { logging: { type: 'inline', loggers } } },
    contentType: 'application/merge-patch+json',
  });
}

beforeAll(async () => {
  k = kube(inject('kubeconfig'));
  client = kubeClient(inject('kubeconfig'));
  applyCrds(inject('kubeconfig'));
  namespace = await createNamespace(k, 'e2e-operator-live');
  broker = await startBroker({ dir: join(work, 'kafka'), host: hostAddressForPods() });
  operator = await OperatorProcess.start({
    kubeconfig: inject('kubeconfig'),
    namespaces: [namespace],
    identity: 'e2e-operator-live',
    logFile: join(work, 'operator.log'),
  });
}, 180_000);

afterAll(async () => {
  await client?.request('DELETE', path('KafkaConnector', 'numbers')).catch(() => {});
  await eventually('the KafkaConnector gone', async () =>
    (await get('KafkaConnector', 'numbers').catch(() => undefined)) ? undefined : true,
  ).catch(() => {});
  await operator?.stop();
  await k?.core.deleteNamespace({ name: namespace }).catch(() => {});
  await stopBroker(join(work, 'kafka')).catch(() => {});
  if (process.env.WEIR_E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('weir operator, live status and log levels', () => {
  it('starts the workers at the levels of spec.logging', async () => {
    const kc: KafkaConnect = {
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnect',
      metadata: { name: CONNECT, namespace },
      spec: {
        replicas: 2,
        bootstrapServers: broker.bootstrap,
        logging: { type: 'inline', loggers: { root: 'INFO', [PROBE]: 'DEBUG' } },
      },
    };
    await client.request('POST', path('KafkaConnect'), { body: kc });
    await eventually(
      'KafkaConnect Ready',
      async () => (ready(await get('KafkaConnect', CONNECT)) ? true : undefined),
      120_000,
    );
    const levels = await eventually('the probe at DEBUG on both workers', async () => {
      const l = await probeLevels();
      return l.length === 2 && l.every((x) => x === 'DEBUG') ? l : undefined;
    });
    expect(levels).toEqual(['DEBUG', 'DEBUG']);
  }, 180_000);

  it('shows the active topic in status.topics within 3 s of the workers reporting it', async () => {
    const ktr: KafkaConnector = {
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnector',
      metadata: { name: 'numbers', namespace, labels: { 'weir.dev/cluster': CONNECT } },
      spec: {
        class: 'org.apache.kafka.connect.tools.VerifiableSourceConnector',
        tasksMax: 1,
        config: { topic: 'live-numbers', throughput: 5 },
      },
    };
    await client.request('POST', path('KafkaConnector'), { body: ktr });
    const ip = (await workerPods()).filter(isReady)[0]!.status!.podIP!;
    const reported = await eventually(
      'the workers reporting the topic',
      async () => {
        const res = await onWorker<{ numbers?: { topics: string[] } }>(ip, '/connectors/numbers/topics');
        return res.body?.numbers?.topics.includes('live-numbers') ? Date.now() : undefined;
      },
      60_000,
    );
    const shown = await eventually(
      'status.topics',
      async () => {
        const o = await get<KafkaConnector>('KafkaConnector', 'numbers');
        return o?.status?.topics?.includes('live-numbers') ? Date.now() : undefined;
      },
      30_000,
    );
    const lagMs = Math.max(0, shown - reported);
    console.log(`operator e2e: status.topics ${lagMs} ms after the workers reported the topic`);
    expect(lagMs).toBeLessThan(3_000 + 500); // a 2 s poll, the reconcile, and this test's 250 ms polling
    const o = await get<KafkaConnector>('KafkaConnector', 'numbers');
    expect(o?.status?.topics).toEqual(['live-numbers']);
    expect(ready(o)).toBe(true);
  }, 120_000);

  it('applies a spec.logging change to every worker within seconds, without a restart', async () => {
    const before = new Set((await workerPods()).map((p) => p.metadata?.uid));
    const changed = Date.now();
    await setLogging({ root: 'INFO', [PROBE]: 'TRACE' });
    await eventually('the probe at TRACE on both workers', async () => {
      const l = await probeLevels();
      return l.length === 2 && l.every((x) => x === 'TRACE') ? true : undefined;
    });
    const ms = Date.now() - changed;
    console.log(`operator e2e: spec.logging change on every worker in ${ms} ms`);
    expect(ms).toBeLessThan(10_000);
    const after = await workerPods();
    expect(after.map((p) => p.metadata?.uid).every((uid) => before.has(uid))).toBe(true);
    expect(after.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) === 0)).toBe(true);
  }, 60_000);

  it('gives a replacement worker the same levels', async () => {
    const victim = (await workerPods()).filter(isReady)[0]!;
    await k.core.deleteNamespacedPod({ name: victim.metadata!.name!, namespace });
    await eventually(
      'a new ready worker at TRACE',
      async () => {
        const pods = (await workerPods()).filter(isReady);
        if (pods.length < 2 || pods.some((p) => p.metadata?.uid === victim.metadata?.uid)) return undefined;
        const l = await probeLevels();
        return l.every((x) => x === 'TRACE') ? true : undefined;
      },
      120_000,
    );
  }, 150_000);

  it('puts a logger dropped from spec.logging back to the root level', async () => {
    await setLogging({ [PROBE]: null });
    await eventually('the probe back at INFO on both workers', async () => {
      const l = await probeLevels();
      return l.length === 2 && l.every((x) => x === 'INFO') ? true : undefined;
    });
  }, 60_000);
});
