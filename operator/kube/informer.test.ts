// The informer's loop against a scripted API server: lists, watch events, watch failures, 410 Gone,
// list failures with back-off, resync, several namespaces. The real API server is in
// e2e/operator-kube.e2e.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeApiError, RESOURCES } from './client.ts';
import { makeInformer, type Informer, type ListWatchSource, type WatchEventType } from './informer.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

interface OpenWatch {
  namespace: string | undefined;
  query: Record<string, unknown>;
  send: (type: WatchEventType, obj: unknown) => void;
  end: (error?: unknown) => void;
}

/** An API server in memory: objects, a resourceVersion counter, open watches, injectable failures. */
class FakeServer implements ListWatchSource<KubernetesObject> {
  rv = 100;
  objects = new Map<string, KubernetesObject>();
  watches: OpenWatch[] = [];
  lists: { namespace: string | undefined; query: Record<string, unknown> }[] = [];
  failLists = 0;
  failWatches = 0;
  gone = false;

  cm(namespace: string, name: string, data: Record<string, string> = {}): KubernetesObject {
    return { metadata: { namespace, name, resourceVersion: String(++this.rv) }, data } as KubernetesObject;
  }

  put(obj: KubernetesObject, type: WatchEventType = 'ADDED'): void {
    const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    this.objects.set(key, obj);
    for (const w of this.watches) {
      if (!w.namespace || w.namespace === obj.metadata?.namespace)
        w.send(type, { kind: 'ConfigMap', ...obj });
    }
  }

  async list(namespace: string | undefined, query: Record<string, unknown>) {
    this.lists.push({ namespace, query });
    if (this.failLists > 0) {
      this.failLists--;
      throw new Error('connect ECONNREFUSED');
    }
    const items = [...this.objects.values()].filter((o) => !namespace || o.metadata?.namespace === namespace);
    return { items, metadata: { resourceVersion: String(this.rv) } };
  }

  async watch(
    namespace: string | undefined,
    query: Record<string, unknown>,
    onEvent: (type: WatchEventType, obj: unknown) => void,
    onDone: (error?: unknown) => void,
  ) {
    if (this.failWatches > 0) {
      this.failWatches--;
      onDone(new Error('socket hang up'));
      return () => {};
    }
    if (this.gone) {
      this.gone = false;
      onEvent('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
      onDone();
      return () => {};
    }
    const w: OpenWatch = {
      namespace,
      query,
      send: onEvent,
      end: (error) => {
        this.watches = this.watches.filter((x) => x !== w);
        onDone(error);
      },
    };
    this.watches.push(w);
    return () => w.end();
  }
}

let informer: Informer<KubernetesObject> | undefined;
afterEach(async () => {
  await informer?.stop();
  informer = undefined;
});

function record(inf: Informer<KubernetesObject>): string[] {
  const seen: string[] = [];
  inf.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  inf.on('update', (o, old) => seen.push(`update ${o.metadata?.name}${o === old ? ' (resync)' : ''}`));
  inf.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
  return seen;
}

describe('informer', () => {
  it('lists, then follows watch events from the list resourceVersion', async () => {
    const server = new FakeServer();
    server.put(server.cm('a', 'one'));
    informer = makeInformer(undefined, RESOURCES.ConfigMap, {
      source: server,
      namespaces: 'a',
      labelSelector: 'x=y',
    });
    const seen = record(informer);
    await informer.start();
    expect(informer.hasSynced()).toBe(true);
    expect(informer.healthy()).toBe(true);
    expect(informer.get('a', 'one')?.kind).toBe('ConfigMap');
    expect(server.lists[0]?.query.labelSelector).toBe('x=y');
    await until('watch', () => server.watches.length === 1);
    expect(server.watches[0]?.query.resourceVersion).toBe(String(server.rv));
    server.put(server.cm('a', 'two'));
    server.put(server.cm('a', 'one', { k: 'v' }), 'MODIFIED');
    const two = informer.get('a', 'two');
    server.watches[0]?.send('DELETED', two);
    expect(seen).toEqual(['add one', 'add two', 'update one', 'delete two']);
    expect(informer.list('a').map((o) => o.metadata?.name)).toEqual(['one']);
  });

  it('resumes a broken watch from the last resourceVersion without re-listing', async () => {
    const server = new FakeServer();
    informer = makeInformer(undefined, RESOURCES.ConfigMap, { source: server, backoff: { initialMs: 5 } });
    const seen = record(informer);
    await informer.start();
    await until('watch', () => server.watches.length === 1);
    server.put(server.cm('a', 'one'));
    const rv = server.rv;
    server.failWatches = 3;
    server.watches[0]?.end(new Error('ECONNRESET'));
    await until('watch again', () => server.watches.length === 1);
    expect(server.watches[0]?.query.resourceVersion).toBe(String(rv));
    expect(server.lists.length).toBe(1);
    server.put(server.cm('a', 'two'));
    expect(seen).toEqual(['add one', 'add two']);
    expect(informer.healthy()).toBe(true);
  });

  it('re-lists on 410 Gone and reports what vanished meanwhile as deleted', async () => {
    const server = new FakeServer();
    server.put(server.cm('a', 'one'));
    server.put(server.cm('a', 'two'));
    informer = makeInformer(undefined, RESOURCES.ConfigMap, { source: server });
    const seen = record(informer);
    await informer.start();
    await until('watch', () => server.watches.length === 1);
    // While nobody watches, "two" goes and "three" comes; the server has forgotten our resourceVersion.
    server.gone = true;
    const open = server.watches[0];
    server.watches = [];
    server.objects.delete('a/two');
    server.objects.set('a/three', server.cm('a', 'three'));
    open?.end();
    await until('re-listed and watching', () => server.lists.length === 2 && server.watches.length === 1);
    expect(seen).toEqual(['add one', 'add two', 'add three', 'delete two']);
    expect(informer.healthy()).toBe(true);
  });

  it('keeps retrying a failing list with growing back-off, unhealthy meanwhile, then recovers', async () => {
    const server = new FakeServer();
    server.put(server.cm('a', 'one'));
    server.failLists = 5;
    informer = makeInformer(undefined, RESOURCES.ConfigMap, {
      source: server,
      backoff: { initialMs: 10, maxMs: 80 },
    });
    const started = informer.start();
    await until('two failed lists', () => server.lists.length >= 2);
    expect(informer.healthy()).toBe(false);
    expect(informer.status().lastError).toContain('ECONNREFUSED');
    await started;
    expect(server.lists.length).toBe(6);
    expect(informer.healthy()).toBe(true);
    expect(informer.lastSyncTime).toBeInstanceOf(Date);
    expect(informer.get('a', 'one')).toBeDefined();
  });

  it('resyncs: calls the update handlers with every cached object', async () => {
    const server = new FakeServer();
    server.put(server.cm('a', 'one'));
    server.put(server.cm('b', 'two'));
    informer = makeInformer(undefined, RESOURCES.ConfigMap, { source: server, resyncSeconds: 0.05 });
    const seen = record(informer);
    await informer.start();
    await until('a resync', () => seen.filter((s) => s.endsWith('(resync)')).length >= 2);
    expect(seen).toContain('update one (resync)');
    expect(seen).toContain('update two (resync)');
  });

  it('watches several namespaces, each with its own list and watch', async () => {
    const server = new FakeServer();
    server.put(server.cm('a', 'one'));
    server.put(server.cm('b', 'two'));
    server.put(server.cm('c', 'three'));
    informer = makeInformer(undefined, RESOURCES.ConfigMap, { source: server, namespaces: ['a', 'b'] });
    await informer.start();
    expect(
      informer
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['one', 'two']);
    expect(server.lists.map((l) => l.namespace).sort()).toEqual(['a', 'b']);
    await until('two watches', () => server.watches.length === 2);
  });

  it('survives a throwing handler', async () => {
    const server = new FakeServer();
    informer = makeInformer(undefined, RESOURCES.ConfigMap, { source: server });
    informer.on('add', () => {
      throw new Error('handler bug');
    });
    const seen = record(informer);
    await informer.start();
    await until('watch', () => server.watches.length === 1);
    server.put(server.cm('a', 'one'));
    server.put(server.cm('a', 'two'));
    expect(seen).toEqual(['add one', 'add two']);
  });

  it('reports an ERROR event other than 410 as a failure and retries', async () => {
    const server = new FakeServer();
    informer = makeInformer(undefined, RESOURCES.ConfigMap, { source: server, backoff: { initialMs: 5 } });
    await informer.start();
    await until('watch', () => server.watches.length === 1);
    const w = server.watches[0];
    w?.send('ERROR', { kind: 'Status', code: 500, message: 'internal error' });
    w?.end();
    await until('watch again', () => server.watches.length === 1 && server.watches[0] !== w);
    expect(server.lists.length).toBe(1);
    expect(new KubeApiError(500, 'WATCH', 'x', { message: 'internal error' }).status).toBe(500);
  });
});
