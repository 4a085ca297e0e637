// The operator keeping status and log levels live, end to end on the local cluster: a KafkaConnect of 2
// workers, a VerifiableSource KafkaConnector whose active topic reaches status.topics within seconds of
// the workers reporting it, and spec.logging applied to every worker without a restart — to a
// replacement pod too, and undone when a logger leaves the spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import { conditionTrue as ready, eventually, isReady } from './kube.ts';
import { OperatorTestBed } from './operator-test-bed.ts';

const CONNECT = 'live';
const PROBE = 'weir.e2e.probe';
const bed = new OperatorTestBed({ namespaces: ['e2e-operator-live'], operator: 'process' });
const { k, client, namespace } = bed;

const workerPods = () => bed.workerPods(CONNECT);

/** GET on one worker, as the operator reaches it (pod IP, admin token). */
const onWorker = <T>(ip: string, urlPath: string) => bed.toWorker<T>(CONNECT, ip, 'GET', urlPath);

/** The probe logger's level on each ready worker (undefined where the worker does not know it). */
async function probeLevels(): Promise<(string | undefined)[]> {
  const ips = (await workerPods()).filter(isReady).map((p) => p.status!.podIP!);
  return Promise.all(
    ips.map(async (ip) => (await onWorker<{ level?: string }>(ip, `/admin/loggers/${PROBE}`)).body?.level),
  );
}

/** A merge patch: a logger set to null leaves the map. */
async function setLogging(loggers: Record<string, string | null>): Promise<void> {
  await client.request('PATCH', bed.path('KafkaConnect', CONNECT), {
    body: { spec: { logging: { type: 'inline', loggers } } },
    contentType: 'application/merge-patch+json',
  });
}

beforeAll(() => bed.start(), 180_000);
afterAll(() => bed.stop(), 120_000);

describe('weir operator, live status and log levels', () => {
  it('starts the workers at the levels of spec.logging', async () => {
    const kc: KafkaConnect = {
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnect',
      metadata: { name: CONNECT, namespace },
      spec: {
        replicas: 2,
        bootstrapServers: bed.broker.bootstrap,
        logging: { type: 'inline', loggers: { root: 'INFO', [PROBE]: 'DEBUG' } },
      },
    };
    await bed.create(kc);
    await eventually(
      'KafkaConnect Ready',
      async () => (ready(await bed.get('KafkaConnect', CONNECT)) ? true : undefined),
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
    await bed.create(ktr);
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
        const o = await bed.get<KafkaConnector>('KafkaConnector', 'numbers');
        return o?.status?.topics?.includes('live-numbers') ? Date.now() : undefined;
      },
      30_000,
    );
    const lagMs = Math.max(0, shown - reported);
    console.log(`operator e2e: status.topics ${lagMs} ms after the workers reported the topic`);
    expect(lagMs).toBeLessThan(3_000 + 500); // a 2 s poll, the reconcile, and this test's 250 ms polling
    const o = await bed.get<KafkaConnector>('KafkaConnector', 'numbers');
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
