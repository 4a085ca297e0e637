// The cluster runs workloads for real: a Deployment's pods serve HTTP at their own IPs, a deleted
// pod is replaced, a Service's EndpointSlice follows the ready pods, a crashing container restarts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { createNamespace, eventually, isReady, kube, type Kube } from './kube.ts';

const SERVER = [
  "const http = require('node:http');",
  'http.createServer((req, res) => res.end(JSON.stringify({ pod: process.env.POD_NAME, ip: process.env.POD_IP })))',
  '  .listen(8080);',
  "process.on('SIGTERM', () => process.exit(0));",
].join('\n');

let k: Kube;
let namespace: string;

beforeAll(async () => {
  k = kube(inject('kubeconfig'));
  namespace = await createNamespace(k, 'e2e-pods');
  await eventually('the namespace default service account', () =>
    k.core.readNamespacedServiceAccount({ name: 'default', namespace }),
  );
});

afterAll(async () => {
  await k?.core.deleteNamespace({ name: namespace }).catch(() => {});
});

async function readyPods(selector: string): Promise<V1Pod[]> {
  const list = await k.core.listNamespacedPod({ namespace, labelSelector: selector });
  return list.items.filter(isReady);
}

async function answer(ip: string): Promise<{ pod: string; ip: string }> {
  const res = await fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(3000) });
  return (await res.json()) as { pod: string; ip: string };
}

describe('a Deployment of an HTTP server', () => {
  const labels = { app: 'web' };

  beforeAll(async () => {
    await k.apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 5,
              containers: [
                {
                  name: 'web',
                  image: inject('image'),
                  command: ['node', '-e', SERVER],
                  env: [
                    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                  ],
                  ports: [{ name: 'http', containerPort: 8080 }],
                  readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 },
                },
              ],
            },
          },
        },
      },
    });
    await k.core.createNamespacedService({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: { selector: labels, ports: [{ port: 80, targetPort: 'http' }] },
      },
    });
  });

  it('becomes 2 Running, Ready pods, each answering at its own IP on the same port', async () => {
    const pods = await eventually('2 ready pods', async () => {
      const ready = await readyPods('app=web');
      return ready.length === 2 ? ready : undefined;
    });
    const ips = pods.map((p) => p.status?.podIP ?? '');
    expect(new Set(ips).size).toBe(2);
    for (const pod of pods) {
      const ip = pod.status?.podIP ?? '';
      expect(await answer(ip)).toEqual({ pod: pod.metadata?.name, ip });
    }
  });

  it("lists the ready pods in the Service's EndpointSlice", async () => {
    const expected = (await readyPods('app=web')).map((p) => p.status?.podIP).sort();
    const addresses = await eventually('the EndpointSlice to list both pods', async () => {
      const slices = await k.discovery.listNamespacedEndpointSlice({
        namespace,
        labelSelector: 'kubernetes.io/service-name=web',
      });
      const ready = slices.items
        .flatMap((s) => s.endpoints ?? [])
        .filter((e) => e.conditions?.ready)
        .flatMap((e) => e.addresses)
        .sort();
      return JSON.stringify(ready) === JSON.stringify(expected) ? ready : undefined;
    });
    expect(addresses).toHaveLength(2);
    const slice = (await k.discovery.listNamespacedEndpointSlice({ namespace })).items[0];
    expect(slice?.ports?.[0]?.port).toBe(8080);
  });

  it('replaces a deleted pod with a new one', async () => {
    const [victim] = await readyPods('app=web');
    const victimName = victim?.metadata?.name ?? '';
    await k.core.deleteNamespacedPod({ name: victimName, namespace });
    const pods = await eventually('a replacement pod to be ready', async () => {
      const ready = await readyPods('app=web');
      const names = ready.map((p) => p.metadata?.name);
      return ready.length === 2 && !names.includes(victimName) ? ready : undefined;
    });
    await eventually('the deleted pod to be gone', async () => {
      const all = await k.core.listNamespacedPod({ namespace, labelSelector: 'app=web' });
      return all.items.some((p) => p.metadata?.name === victimName) ? undefined : true;
    });
    for (const pod of pods) expect((await answer(pod.status?.podIP ?? '')).pod).toBe(pod.metadata?.name);
    await eventually('the EndpointSlice to follow', async () => {
      const now = (await k.discovery.listNamespacedEndpointSlice({ namespace })).items.flatMap((s) =>
        (s.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses),
      );
      const want = pods.map((p) => p.status?.podIP ?? '');
      return want.every((ip) => now.includes(ip)) && now.length === 2 ? true : undefined;
    });
  });
});

describe('a crashing container', () => {
  it('restarts with a growing restartCount', async () => {
    await k.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'crash' },
        spec: {
          containers: [{ name: 'crash', image: inject('image'), command: ['node', '-e', 'process.exit(3)'] }],
        },
      },
    });
    const restarts = async (): Promise<{ count: number; exitCode?: number }> => {
      const pod = await k.core.readNamespacedPod({ name: 'crash', namespace });
      const status = pod.status?.containerStatuses?.[0];
      return { count: status?.restartCount ?? 0, exitCode: status?.lastState?.terminated?.exitCode };
    };
    const first = await eventually('a first restart', async () => {
      const r = await restarts();
      return r.count >= 1 ? r : undefined;
    });
    expect(first.exitCode).toBe(3);
    const later = await eventually(
      'a later restart',
      async () => {
        const r = await restarts();
        return r.count > first.count ? r : undefined;
      },
      90_000,
    );
    expect(later.count).toBeGreaterThan(first.count);
    const pod = await k.core.readNamespacedPod({ name: 'crash', namespace });
    expect(pod.status?.phase).toBe('Running');
  });
});
