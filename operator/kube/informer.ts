// Informers: a local cache of one resource type kept current by list + watch, with add / update /
// delete handlers and a periodic resync. The face is small (on, get, list, start, stop, healthy);
// behind it one loop per watched namespace lists, watches from the list's resourceVersion, resumes
// after a watch ends, re-lists on 410 Gone, and on any failure (API server restarting, connection
// reset, 5xx, auth) logs a warning and retries with capped exponential back-off — for ever, until
// stop(). Strimzi #9497 (resources silently stop reconciling) is what this must never do: the loop
// has no exit but stop(), handler errors are caught, and healthy() / lastSyncTime feed /readyz.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { logger } from '../../runtime/logging.ts';
import { objectKey, resourcePath, type KubeClient, type ListResult, type ResourceType } from './client.ts';
import { Reflector, type ReflectorHost } from './reflector.ts';

export type InformerEvent = 'add' | 'update' | 'delete';
/** `old` is the cached object an update replaces (the same object on a resync). */
export type InformerHandler<T> = (obj: T, old?: T) => void;

export interface Informer<T extends KubernetesObject> {
  readonly name: string;
  /** Subscribes; returns the unsubscribe function. */
  on(event: InformerEvent, handler: InformerHandler<T>): () => void;
  /** The cached object (namespace '' or undefined for cluster-scoped ones). */
  get(namespace: string | undefined, name: string): T | undefined;
  /** Cached objects, all or in one namespace. */
  list(namespace?: string): T[];
  /** Starts the loops; resolves once every namespace has been listed (retrying until it has). */
  start(): Promise<void>;
  stop(): Promise<void>;
  hasSynced(): boolean;
  /** Synced and no list/watch failing right now. */
  healthy(): boolean;
  /** When the cache was last known to match the API server (oldest over the watched namespaces). */
  readonly lastSyncTime: Date | undefined;
  status(): InformerStatus;
}

export interface InformerStatus {
  name: string;
  started: boolean;
  synced: boolean;
  healthy: boolean;
  lastSyncTime: Date | undefined;
  consecutiveFailures: number;
  lastError: string | undefined;
}

/** A watch event as the API server sends it. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Where lists and watches come from: the API server, or a fake in tests. */
export interface ListWatchSource<T> {
  list(
    namespace: string | undefined,
    query: Record<string, string | number | undefined>,
  ): Promise<ListResult<T>>;
  /** Opens a watch; `onDone` is called once when it ends (error or not). Resolves to an abort function. */
  watch(
    namespace: string | undefined,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: WatchEventType, obj: unknown) => void,
    onDone: (error?: unknown) => void,
  ): Promise<() => void>;
}

export interface InformerOptions<T> {
  /** One namespace, several, or (default) all. Ignored for cluster-scoped resources. */
  namespaces?: string | string[];
  labelSelector?: string;
  fieldSelector?: string;
  /** Calls the update handlers for every cached object this often; 0 turns it off. Default 300 s. */
  resyncSeconds?: number;
  /** Back-off after failures: initial (default 250 ms) doubling to max (default 30 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** List page size; default 500. */
  pageSize?: number;
  /**
   * Lists and watches metadata only (PartialObjectMetadata: names, labels, resourceVersion, …; no
   * data or spec): for a type whose objects the operator only needs to notice, such as Secrets.
   */
  metadataOnly?: boolean;
  /** Lists and watches through this instead of the API server (tests). */
  source?: ListWatchSource<T>;
}

/** Accept headers that make the API server answer with metadata only: a list, and watch events. */
export const PARTIAL_OBJECT_METADATA_LIST =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const PARTIAL_OBJECT_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/** `config`, with `accept` set on every request it authenticates (Watch takes no headers of its own). */
function withAccept(config: KubeConfig, accept: string): KubeConfig {
  const wrapped = Object.create(config) as KubeConfig;
  wrapped.applySecurityAuthentication = async (ctx) => {
    await config.applySecurityAuthentication(ctx);
    ctx.setHeaderParam('Accept', accept);
  };
  return wrapped;
}

/** Lists and watches `type` through `client` (metadata only, when asked). */
export function apiServerSource<T>(
  client: KubeClient,
  type: ResourceType,
  options: { metadataOnly?: boolean } = {},
): ListWatchSource<T> {
  const metadataOnly = options.metadataOnly === true;
  const watcher = new Watch(
    metadataOnly ? withAccept(client.kubeConfig, PARTIAL_OBJECT_METADATA) : client.kubeConfig,
  );
  return {
    list: (namespace, query) =>
      client.request<ListResult<T>>('GET', resourcePath(type, namespace), {
        query,
        timeoutMs: 60_000,
        ...(metadataOnly ? { accept: PARTIAL_OBJECT_METADATA_LIST } : {}),
      }),
    watch: async (namespace, query, onEvent, onDone) => {
      const controller = await watcher.watch(
        resourcePath(type, namespace),
        query,
        (phase: string, obj: unknown) => onEvent(phase as WatchEventType, obj),
        onDone,
      );
      return () => controller.abort();
    },
  };
}

/** Makes an informer over `type`; nothing happens until start(). */
export function makeInformer<T extends KubernetesObject>(
  client: KubeClient | undefined,
  type: ResourceType,
  options: InformerOptions<T> = {},
): Informer<T> {
  const source =
    options.source ?? (client && apiServerSource<T>(client, type, { metadataOnly: options.metadataOnly }));
  if (!source) throw new Error('makeInformer needs a client or a source');
  return new ListWatchInformer<T>(type, source, options);
}

class ListWatchInformer<T extends KubernetesObject> implements Informer<T>, ReflectorHost<T> {
  readonly name: string;
  readonly cache = new Map<string, T>();
  readonly type: ResourceType;
  readonly source: ListWatchSource<T>;
  readonly options: InformerOptions<T>;
  readonly log;
  private readonly handlers: Record<InformerEvent, Set<InformerHandler<T>>> = {
    add: new Set(),
    update: new Set(),
    delete: new Set(),
  };
  private readonly reflectors: Reflector<T>[];
  private resyncTimer: NodeJS.Timeout | undefined;
  private started = false;
  private runs: Promise<void>[] = [];

  constructor(type: ResourceType, source: ListWatchSource<T>, options: InformerOptions<T>) {
    this.type = type;
    this.source = source;
    this.options = options;
    const scopes = !type.namespaced
      ? [undefined]
      : options.namespaces === undefined
        ? [undefined]
        : [...new Set([options.namespaces].flat())];
    this.name =
      `${type.plural}.${type.apiVersion}` +
      (options.labelSelector ? `[${options.labelSelector}]` : '') +
      (options.metadataOnly ? '[metadata]' : '');
    this.log = logger('weir.operator.informer').child({ informer: this.name });
    this.reflectors = scopes.map((ns) => new Reflector(this, ns));
  }

  on(event: InformerEvent, handler: InformerHandler<T>): () => void {
    this.handlers[event].add(handler);
    return () => this.handlers[event].delete(handler);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  async start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.runs = this.reflectors.map((r) => r.run());
      const resync = this.options.resyncSeconds ?? 300;
      if (resync > 0) this.resyncTimer = setInterval(() => this.resync(), resync * 1000);
    }
    await Promise.all(this.reflectors.map((r) => r.synced));
  }

  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    for (const r of this.reflectors) r.stop();
    await Promise.all(this.runs);
    this.started = false;
  }

  hasSynced(): boolean {
    return this.reflectors.every((r) => r.hasSynced);
  }

  healthy(): boolean {
    return this.reflectors.every((r) => r.hasSynced && r.failures === 0);
  }

  get lastSyncTime(): Date | undefined {
    const times = this.reflectors.map((r) => r.lastSyncTime);
    if (times.some((t) => t === undefined)) return undefined;
    return new Date(Math.min(...times.map((t) => t?.getTime() ?? 0)));
  }

  status(): InformerStatus {
    return {
      name: this.name,
      started: this.started,
      synced: this.hasSynced(),
      healthy: this.healthy(),
      lastSyncTime: this.lastSyncTime,
      consecutiveFailures: Math.max(...this.reflectors.map((r) => r.failures)),
      lastError: this.reflectors.map((r) => r.lastError).find((e) => e !== undefined),
    };
  }

  emit(event: InformerEvent, obj: T, old?: T): void {
    for (const handler of this.handlers[event]) {
      try {
        handler(obj, old);
      } catch (error) {
        this.log.error({ err: error, event, key: objectKey(obj) }, 'informer handler failed');
      }
    }
  }

  /** Stores a listed or watched object; emits add, or update when its resourceVersion moved. */
  upsert(obj: T): void {
    const key = objectKey(obj);
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) this.emit('add', obj);
    else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit('update', obj, old);
  }

  remove(obj: T): void {
    const key = objectKey(obj);
    const old = this.cache.get(key);
    this.cache.delete(key);
    this.emit('delete', old ?? obj);
  }

  private resync(): void {
    if (!this.hasSynced()) return;
    for (const obj of [...this.cache.values()]) this.emit('update', obj, obj);
  }
}
