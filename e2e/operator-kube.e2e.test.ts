// The operator's Kubernetes machinery against a real API server: informers (add/update/delete, a
// watch broken under them, the API server unreachable for seconds), server-side apply outcomes,
// owner references, status subresource writes, event series and Lease leader election.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KubeConfig, type KubernetesObject, type V1ConfigMap } from '@kubernetes/client-node';
import {
  isConflict,
  KubeClient,
  RESOURCES,
  resourcePath,
  type ResourceType,
} from '../operator/kube/client.ts';
import {
  apiServerSource,
  makeInformer,
  type Informer,
  type ListWatchSource,
} from '../operator/kube/informer.ts';
import { apply, deleteIfExists, FIELD_MANAGER, ownerReference, patchStatus } from '../operator/kube/apply.ts';
import { EventRecorder, type KubeEvent } from '../operator/kube/events.ts';
import { LeaderElector } from '../operator/kube/leader-election.ts';
import { createNamespace, eventually, kube, type Kube } from './kube.ts';
import { kubeClient } from './operator-process.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let k: Kube;
let client: KubeClient;
let namespace: string;
const informers: Informer<KubernetesObject>[] = [];

beforeAll(async () => {
  k = kube(inject('kubeconfig'));
  client = kubeClient(inject('kubeconfig'));
  namespace = await createNamespace(k, 'e2e-opkube');
});

afterAll(async () => {
  await Promise.all(informers.map((i) => i.stop()));
  await k?.core.deleteNamespace({ name: namespace }).catch(() => {});
});

const configMap = (
  name: string,
  data: Record<string, string>,
  labels = { app: 'informer-test' },
): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data,
});

const POD_TEMPLATE: ResourceType = {
  apiVersion: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  namespaced: true,
};

/** Compacts etcd up to its current revision, through its JSON gateway: older revisions are gone. */
async function compactEtcd(url: string): Promise<void> {
  const post = async (path: string, body: unknown): Promise<{ header: { revision: string } }> => {
    const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { header: { revision: string } };
  };
  const { header } = await post('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
  await post('/v3/kv/compaction', { revision: header.revision, physical: true });
}

function track(inf: Informer<KubernetesObject>): string[] {
  informers.push(inf);
  const seen: string[] = [];
  inf.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  inf.on('update', (o, old) => {
    if (o !== old) seen.push(`update ${o.metadata?.name} ${JSON.stringify((o as V1ConfigMap).data)}`);
  });
  inf.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
  return seen;
}

/** A TCP proxy in front of the API server, to break and cut the informer's connections at will. */
class Proxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  private readonly upstream: URL;
  constructor(upstream: URL) {
    this.upstream = upstream;
  }

  async up(): Promise<void> {
    this.server = createServer((downstream) => {
      const up = connect(Number(this.upstream.port), this.upstream.hostname);
      for (const s of [downstream, up]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      downstream.pipe(up).pipe(downstream);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Resets every connection (as a load balancer or an API-server restart does). */
  breakConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
    this.breakConnections();
    await closed;
  }

  /** A client whose KubeConfig reaches the API server through this proxy. */
  client(): KubeClient {
    const kc = new KubeConfig();
    const text = readFileSync(inject('kubeconfig'), 'utf8').replace(
      `server: ${this.upstream.origin}`,
      `server: https://127.0.0.1:${this.port}`,
    );
    kc.loadFromString(text);
    return new KubeClient(kc);
  }
}

describe('informer', () => {
  it('sees ConfigMaps added, updated and deleted, label-selected in one namespace', async () => {
    await k.core.createNamespacedConfigMap({ namespace, body: configMap('before', { a: '1' }) });
    const inf = makeInformer(client, RESOURCES.ConfigMap, {
      namespaces: namespace,
      labelSelector: 'app=informer-test',
    });
    const seen = track(inf);
    await inf.start();
    expect(seen).toEqual(['add before']);
    await k.core.createNamespacedConfigMap({ namespace, body: configMap('cm1', { a: '1' }) });
    await k.core.createNamespacedConfigMap({ namespace, body: configMap('other', { a: '1' }, { app: 'x' }) });
    await eventually('add cm1', async () => (seen.includes('add cm1') ? true : undefined), 10_000);
    await k.core.replaceNamespacedConfigMap({ name: 'cm1', namespace, body: configMap('cm1', { a: '2' }) });
    await eventually(
      'update cm1',
      async () => (seen.includes('update cm1 {"a":"2"}') ? true : undefined),
      10_000,
    );
    expect(inf.get(namespace, 'cm1')).toMatchObject({ kind: 'ConfigMap', data: { a: '2' } });
    await k.core.deleteNamespacedConfigMap({ name: 'cm1', namespace });
    await eventually('delete cm1', async () => (seen.includes('delete cm1') ? true : undefined), 10_000);
    expect(inf.get(namespace, 'cm1')).toBeUndefined();
    expect(inf.list(namespace).map((o) => o.metadata?.name)).toEqual(['before']);
    expect(seen).not.toContain('add other');
    expect(inf.healthy()).toBe(true);
    await inf.stop();
  });

  it('re-lists when the API server answers a watch with 410 Gone (resourceVersion too old)', async ({
    skip,
  }) => {
    skip(!inject('etcd'), 'compacts etcd through its client URL, which only the local cluster exposes');
    // PodTemplates bypass the watch cache on the local cluster (e2e/cluster/flags.ts), so once etcd is
    // compacted past revision 1, a watch from there is answered 410 by etcd through the API server.
    await compactEtcd(inject('etcd'));
    const real = apiServerSource<KubernetesObject>(client, POD_TEMPLATE);
    let lists = 0;
    let watches = 0;
    let staleAnswered = false;
    // The first watch asks for resourceVersion 1, long compacted away: the server must say 410.
    const source: ListWatchSource<KubernetesObject> = {
      list: (ns, query) => {
        lists++;
        return real.list(ns, query);
      },
      watch: (ns, query, onEvent, onDone) => {
        const stale = watches++ === 0;
        return real.watch(
          ns,
          stale ? { ...query, resourceVersion: '1' } : query,
          (type, obj) => {
            if (stale && type === 'ERROR' && (obj as { code?: number }).code === 410) staleAnswered = true;
            onEvent(type, obj);
          },
          onDone,
        );
      },
    };
    const inf = makeInformer(undefined, POD_TEMPLATE, {
      source,
      namespaces: namespace,
      labelSelector: 'app=gone',
    });
    const seen = track(inf);
    await inf.start();
    await eventually(
      'a second list after the 410',
      async () => (lists >= 2 && watches >= 2 ? true : undefined),
      10_000,
    );
    expect(staleAnswered).toBe(true);
    await client.request('POST', resourcePath(POD_TEMPLATE, namespace), {
      body: {
        apiVersion: 'v1',
        kind: 'PodTemplate',
        metadata: { name: 'g1', namespace, labels: { app: 'gone' } },
        template: { spec: { containers: [{ name: 'c', image: 'weir:e2e' }] } },
      },
    });
    await eventually('add g1', async () => (seen.includes('add g1') ? true : undefined), 10_000);
    expect(inf.healthy()).toBe(true);
    await inf.stop();
  });

  it('keeps delivering after its watch is broken and after the API server is unreachable for seconds', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(inject('kubeconfig'));
    const proxy = new Proxy(new URL(kc.getCurrentCluster()?.server ?? ''));
    await proxy.up();
    const inf = makeInformer(proxy.client(), RESOURCES.ConfigMap, {
      namespaces: namespace,
      labelSelector: 'app=survivor',
      backoff: { initialMs: 200, maxMs: 1000 },
    });
    const seen = track(inf);
    await inf.start();
    const labels = { app: 'survivor' };
    await k.core.createNamespacedConfigMap({ namespace, body: configMap('s1', { v: '1' }, labels) });
    await eventually('add s1', async () => (seen.includes('add s1') ? true : undefined), 10_000);

    // 1. The watch connection is reset: the informer resumes and keeps delivering.
    proxy.breakConnections();
    await k.core.createNamespacedConfigMap({ namespace, body: configMap('s2', { v: '1' }, labels) });
    await eventually(
      'add s2 after the reset',
      async () => (seen.includes('add s2') ? true : undefined),
      10_000,
    );

    // 2. The API server is unreachable (as while it restarts): unhealthy, retrying, never giving up.
    await proxy.down();
    await eventually('unhealthy', async () => (inf.healthy() ? undefined : true), 15_000);
    await k.core.createNamespacedConfigMap({ namespace, body: configMap('s3', { v: '1' }, labels) });
    await k.core.deleteNamespacedConfigMap({ name: 's1', namespace });
    await sleep(3000);
    expect(inf.healthy()).toBe(false);
    expect(inf.status().consecutiveFailures).toBeGreaterThanOrEqual(2);
    const lastSync = inf.lastSyncTime?.getTime() ?? 0;
    await proxy.up();
    await eventually(
      'caught up after the outage',
      async () => (seen.includes('add s3') && seen.includes('delete s1') && inf.healthy() ? true : undefined),
      15_000,
    );
    expect(inf.lastSyncTime?.getTime()).toBeGreaterThan(lastSync);
    // And it still follows new changes.
    await k.core.replaceNamespacedConfigMap({
      name: 's2',
      namespace,
      body: configMap('s2', { v: '2' }, labels),
    });
    await eventually(
      'update s2',
      async () => (seen.includes('update s2 {"v":"2"}') ? true : undefined),
      10_000,
    );
    expect(
      inf
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['s2', 's3']);
    await inf.stop();
    await proxy.down();
  });
});

describe('server-side apply', () => {
  it('reports created, then unchanged, then updated, under the weir-operator field manager', async () => {
    const desired = configMap('applied', { k: 'v1' }, { app: 'apply' });
    const first = await apply(client, desired);
    expect(first.result).toBe('created');
    expect(first.object.metadata?.managedFields?.map((f) => f.manager)).toContain(FIELD_MANAGER);
    const again = await apply(client, desired);
    expect(again.result).toBe('unchanged');
    expect(again.object.metadata?.resourceVersion).toBe(first.object.metadata?.resourceVersion);
    const withCache = await apply(client, desired, { current: again.object });
    expect(withCache.result).toBe('unchanged');
    const changed = await apply(client, configMap('applied', { k: 'v2' }, { app: 'apply' }));
    expect(changed.result).toBe('updated');
    expect((changed.object as V1ConfigMap).data).toEqual({ k: 'v2' });
    // Forces conflicts: a field another manager set is taken over.
    await client.request('PATCH', resourcePath(RESOURCES.ConfigMap, namespace, 'applied'), {
      body: { data: { k: 'by-hand' } },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: 'someone-else' },
    });
    const retaken = await apply(client, configMap('applied', { k: 'v2' }, { app: 'apply' }));
    expect(retaken.result).toBe('updated');
    expect((retaken.object as V1ConfigMap).data).toEqual({ k: 'v2' });
  });

  it('with a uid, applies to that object only: one deleted since it was read is not made again', async () => {
    const read = (await apply(client, configMap('bound', { k: 'v1' }, { app: 'uid' }))).object;
    const uid = read.metadata?.uid;
    const same = await apply(client, configMap('bound', { k: 'v2' }, { app: 'uid' }), { current: read, uid });
    expect(same.result).toBe('updated');
    await deleteIfExists(client, read);
    const error = await apply(client, configMap('bound', { k: 'v2' }, { app: 'uid' }), { uid }).catch(
      (e: unknown) => e,
    );
    expect(isConflict(error)).toBe(true);
    expect(await client.get(RESOURCES.ConfigMap, namespace, 'bound')).toBeUndefined();
  });

  it('applies other kinds too, and deletes if it exists', async () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'rest', namespace },
      spec: { selector: { app: 'w' }, ports: [{ name: 'rest', port: 8083 }] },
    };
    expect((await apply(client, service)).result).toBe('created');
    expect((await apply(client, service)).result).toBe('unchanged');
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'workers', namespace },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'w' } } },
    };
    expect((await apply(client, pdb)).result).toBe('created');
    expect(await deleteIfExists(client, pdb)).toBe('deleted');
    expect(await deleteIfExists(client, pdb)).toBe('absent');
    expect(await deleteIfExists(client, { apiVersion: 'v1', kind: 'Service', name: 'rest', namespace })).toBe(
      'deleted',
    );
  });

  it('owner references let the garbage collector remove dependents', async () => {
    const owner = (await apply(client, configMap('owner', {}, { app: 'gc' }))).object;
    const dependent = configMap('dependent', {}, { app: 'gc' });
    dependent.metadata = { ...dependent.metadata, ownerReferences: [ownerReference(owner)] };
    const applied = await apply(client, dependent);
    expect(applied.object.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'ConfigMap',
      name: 'owner',
      uid: owner.metadata?.uid,
      controller: true,
    });
    await deleteIfExists(client, owner);
    await eventually(
      'the dependent to be collected',
      async () => ((await client.get(RESOURCES.ConfigMap, namespace, 'dependent')) ? undefined : true),
      60_000,
    );
  });
});

describe('status subresource and custom resources', () => {
  const group = 'e2e-opkube.weir.dev';
  const gadget: ResourceType = {
    apiVersion: `${group}/v1`,
    kind: 'Gadget',
    plural: 'gadgets',
    namespaced: true,
  };
  const crdName = `gadgets.${group}`;

  beforeAll(async () => {
    await apply(client, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crdName },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { size: { type: 'integer' } } },
                  status: {
                    type: 'object',
                    properties: {
                      observedGeneration: { type: 'integer' },
                      phase: { type: 'string' },
                      note: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    } as KubernetesObject);
    await eventually('the CRD to be served', () => client.list(gadget, namespace), 30_000);
  });

  afterAll(async () => {
    await deleteIfExists(client, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: crdName,
    });
  });

  it('informs about custom resources and writes their status by merge patch and by apply', async () => {
    const inf = makeInformer(client, gadget, { namespaces: [namespace] });
    const seen = track(inf);
    await inf.start();
    const g = {
      apiVersion: gadget.apiVersion,
      kind: 'Gadget',
      metadata: { name: 'g1', namespace },
      spec: { size: 3 },
    };
    const created = await apply(client, g);
    expect(created.result).toBe('created');
    await eventually('add g1', async () => (seen.includes('add g1') ? true : undefined), 10_000);

    const merged = await patchStatus(client, created.object, {
      observedGeneration: 1,
      phase: 'Ready',
      note: 'n',
    });
    expect(merged).toMatchObject({ spec: { size: 3 }, status: { phase: 'Ready', note: 'n' } });
    const unset = await patchStatus(client, created.object, { note: null });
    expect((unset as { status?: unknown }).status).toEqual({ observedGeneration: 1, phase: 'Ready' });

    // Apply on status (another object): fields this manager applied before and no longer sets go.
    const other = (await apply(client, { ...g, metadata: { name: 'g2', namespace } })).object;
    const first = await patchStatus(client, other, { phase: 'Ready', note: 'n' }, { mode: 'apply' });
    expect((first as { status?: unknown }).status).toEqual({ phase: 'Ready', note: 'n' });
    const applied = await patchStatus(
      client,
      other,
      { observedGeneration: 1, phase: 'Stalled' },
      { mode: 'apply' },
    );
    expect((applied as { status?: unknown }).status).toEqual({ observedGeneration: 1, phase: 'Stalled' });
    // Status writes do not touch spec; a spec apply does not touch status.
    const respec = await apply(client, { ...g, metadata: { name: 'g2', namespace }, spec: { size: 4 } });
    expect(respec.result).toBe('updated');
    expect((respec.object as { status?: unknown }).status).toEqual({
      observedGeneration: 1,
      phase: 'Stalled',
    });
    await eventually(
      'the informer to hold the new status',
      async () =>
        (inf.get(namespace, 'g2') as { status?: { phase?: string } })?.status?.phase === 'Stalled'
          ? true
          : undefined,
      10_000,
    );
    await inf.stop();
  });
});

describe('events', () => {
  it('writes one Event for a repeated failure, with the repeats counted in its series', async () => {
    const regarding = (await apply(client, configMap('regarding', {}, { app: 'events' }))).object;
    const recorder = new EventRecorder(client, { seriesFlushMs: 500, reportingInstance: 'e2e' });
    recorder.normal(regarding, 'Created', 'Apply', 'created the worker ConfigMap');
    for (let i = 0; i < 50; i++)
      recorder.warning(regarding, 'ReconcileFailed', 'Reconcile', 'PUT /connectors: 500');
    await sleep(700);
    await recorder.flush();
    const list = await client.list<KubernetesObject & KubeEvent>(RESOURCES.Event, namespace);
    const ours = list.items.filter((e) => e.regarding?.name === 'regarding');
    expect(ours.map((e) => e.reason).sort()).toEqual(['Created', 'ReconcileFailed']);
    const failing = ours.find((e) => e.reason === 'ReconcileFailed');
    expect(failing).toMatchObject({
      type: 'Warning',
      reportingController: 'weir.dev/operator',
      regarding: { kind: 'ConfigMap', uid: regarding.metadata?.uid },
      series: { count: 50 },
    });
  });
});

describe('leader election', () => {
  const elector = (identity: string, leading: Set<string>): LeaderElector =>
    new LeaderElector(client, {
      namespace,
      name: 'weir-operator',
      identity,
      onStartedLeading: () => void leading.add(identity),
      onStoppedLeading: () => void leading.delete(identity),
    });

  it('elects exactly one; a released lease moves at once, a dead leader’s within the lease duration', async () => {
    const leading = new Set<string>();
    const a = elector('a', leading);
    const b = elector('b', leading);
    a.start();
    b.start();
    await eventually('a leader', async () => (leading.size > 0 ? true : undefined), 10_000);
    await sleep(5000); // several renew rounds: still exactly one
    expect(leading.size).toBe(1);
    const [first] = [...leading];
    const [leader, standby] = first === 'a' ? [a, b] : [b, a];
    expect(leader.isLeader()).toBe(true);
    expect(standby.isLeader()).toBe(false);
    expect(standby.leader).toBe(first);

    // Graceful shutdown releases the Lease: the standby takes over on its next try (retry period 2 s).
    const released = Date.now();
    await leader.stop();
    await eventually('the standby to lead', async () => (standby.isLeader() ? true : undefined), 5000);
    const handover = Date.now() - released;
    expect(handover).toBeLessThan(3000);
    expect([...leading]).toEqual([first === 'a' ? 'b' : 'a']);

    // A leader that dies (stops renewing, no release): the next candidate waits out the 15 s lease.
    const c = elector('c', leading);
    c.start();
    await sleep(3000);
    expect(c.isLeader()).toBe(false);
    const died = Date.now();
    await standby.stop({ release: false });
    await eventually('c to lead', async () => (c.isLeader() ? true : undefined), 25_000);
    const takeover = Date.now() - died;
    expect(takeover).toBeGreaterThan(10_000);
    expect(takeover).toBeLessThan(20_000);
    const lease = await client.request<{ spec: { holderIdentity: string; leaseTransitions: number } }>(
      'GET',
      resourcePath(RESOURCES.Lease, namespace, 'weir-operator'),
    );
    expect(lease.spec.holderIdentity).toBe('c');
    expect(lease.spec.leaseTransitions).toBe(2);
    await c.stop();
  });
});
