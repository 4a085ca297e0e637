// Informers: a local cache of one resource type kept current by list + watch, with add / update /
// delete handlers and a periodic resync. The face is small (on, get, list, start, stop, healthy);
// behind it one loop per watched namespace lists, watches from the list's resourceVersion, resumes
// after a watch ends, re-lists on 410 Gone, and on any failure (API server restarting, connection
// reset, 5xx, auth) logs a warning and retries with capped exponential back-off — for ever, until
// stop(). Strimzi #9497 (resources silently stop reconciling) is what this must never do: the loop
// has no exit but stop(), handler errors are caught, and healthy() / lastSyncTime feed /readyz.
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import { logger } from '../../runtime/logging.ts';
import {
  isGone,
  KubeApiError,
  resourcePath,
  type KubeClient,
  type ListResult,
  type ResourceType,
} from './client.ts';

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
  /** Lists and watches through this instead of the API server (tests). */
  source?: ListWatchSource<T>;
}

/** Lists and watches `type` through `client`. */
export function apiServerSource<T>(client: KubeClient, type: ResourceType): ListWatchSource<T> {
  const watcher = new Watch(client.kubeConfig);
  return {
    list: (namespace, query) =>
      client.request<ListResult<T>>('GET', resourcePath(type, namespace), { query, timeoutMs: 60_000 }),
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

const keyOf = (obj: KubernetesObject): string =>
  obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : (obj.metadata?.name ?? '');

/** Makes an informer over `type`; nothing happens until start(). */
export function makeInformer<T extends KubernetesObject>(
  client: KubeClient | undefined,
  type: ResourceType,
  options: InformerOptions<T> = {},
): Informer<T> {
  const source = options.source ?? (client && apiServerSource<T>(client, type));
  if (!source) throw new Error('makeInformer needs a client or a source');
  return new ListWatchInformer<T>(type, source, options);
}

class ListWatchInformer<T extends KubernetesObject> implements Informer<T> {
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
      `${type.plural}.${type.apiVersion}` + (options.labelSelector ? `[${options.labelSelector}]` : '');
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
        this.log.error({ err: error, event, key: keyOf(obj) }, 'informer handler failed');
      }
    }
  }

  /** Stores a listed or watched object; emits add, or update when its resourceVersion moved. */
  upsert(obj: T): void {
    const key = keyOf(obj);
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) this.emit('add', obj);
    else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit('update', obj, old);
  }

  remove(obj: T): void {
    const key = keyOf(obj);
    const old = this.cache.get(key);
    this.cache.delete(key);
    this.emit('delete', old ?? obj);
  }

  private resync(): void {
    if (!this.hasSynced()) return;
    for (const obj of [...this.cache.values()]) this.emit('update', obj, obj);
  }
}

/** One list + watch loop over one namespace (or all). */
class Reflector<T extends KubernetesObject> {
  private readonly informer: ListWatchInformer<T>;
  private readonly namespace: string | undefined;
  private readonly log;
  resourceVersion = '';
  /** Consecutive failures since the last success (health). */
  failures = 0;
  /** The back-off step: reset only by real progress (a list, an event, a long watch), not a mere connect. */
  private backoffLevel = 0;
  hasSynced = false;
  lastSyncTime: Date | undefined;
  lastError: string | undefined;
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private stopped = false;
  private abortWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;

  constructor(informer: ListWatchInformer<T>, namespace: string | undefined) {
    this.informer = informer;
    this.namespace = namespace;
    this.log = informer.log.child({ namespace: namespace ?? '*' });
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  stop(): void {
    this.stopped = true;
    this.abortWatch?.();
    this.wake?.();
  }

  async run(): Promise<void> {
    this.stopped = false;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        if (this.stopped) break;
        const { events, ms } = await this.watchOnce();
        if (this.stopped) break;
        if (events > 0 || ms >= 10_000) this.backoffLevel = 0;
        // A watch the server closed at once with nothing in it: do not spin on it.
        if (events === 0 && ms < 1000) await this.sleep(1000);
      } catch (error) {
        if (this.stopped) break;
        if (isGone(error)) {
          this.log.info(
            { resourceVersion: this.resourceVersion },
            'resourceVersion too old (410 Gone); re-listing',
          );
          this.resourceVersion = '';
          continue;
        }
        this.failures++;
        this.backoffLevel++;
        this.lastError = error instanceof Error ? error.message : String(error);
        const { initialMs = 250, maxMs = 30_000 } = this.informer.options.backoff ?? {};
        const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.backoffLevel - 1, 30));
        const jittered = Math.round(delay * (0.9 + Math.random() * 0.2));
        this.log.warn(
          { attempt: this.failures, retryInMs: jittered, err: this.lastError },
          'list/watch failed; retrying',
        );
        await this.sleep(jittered);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private baseQuery(): Record<string, string | undefined> {
    return {
      labelSelector: this.informer.options.labelSelector,
      fieldSelector: this.informer.options.fieldSelector,
    };
  }

  /** Lists everything (page by page) and replaces this scope's part of the cache. */
  private async relist(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.informer.source.list(this.namespace, {
        ...this.baseQuery(),
        limit: this.informer.options.pageSize ?? 500,
        continue: cont,
      });
      items.push(...(page.items ?? []));
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      cont = page.metadata?.continue || undefined;
    } while (cont && !this.stopped);
    if (this.stopped) return;
    const kind = this.informer.type.kind;
    const apiVersion = this.informer.type.apiVersion;
    const listed = new Set<string>();
    for (const item of items) {
      // List items carry no kind; watch events do. Keep the cache uniform.
      const obj = { apiVersion, kind, ...item } as T;
      listed.add(keyOf(obj));
      this.informer.upsert(obj);
    }
    for (const [key, obj] of [...this.informer.cache]) {
      const inScope = this.namespace === undefined || obj.metadata?.namespace === this.namespace;
      if (inScope && !listed.has(key)) this.informer.remove(obj);
    }
    this.resourceVersion = resourceVersion;
    this.markInSync(`listed ${items.length}`);
  }

  private markInSync(what: string): void {
    const recovering = this.failures > 0 || !this.hasSynced;
    this.failures = 0;
    if (what !== 'watch connected') this.backoffLevel = 0;
    this.lastError = undefined;
    this.lastSyncTime = new Date();
    if (recovering) this.log.info({ resourceVersion: this.resourceVersion }, `in sync (${what})`);
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.markSynced();
    }
  }

  /** Watches from the current resourceVersion until the watch ends; throws if it failed. */
  private watchOnce(): Promise<{ events: number; ms: number }> {
    const started = Date.now();
    let events = 0;
    let statusError: unknown;
    return new Promise((resolve, reject) => {
      let ended = false;
      const onEvent = (type: WatchEventType, raw: unknown): void => {
        if (ended || this.stopped) return;
        const obj = raw as T;
        if (type === 'ERROR') {
          const status = raw as { code?: number; message?: string };
          statusError = new KubeApiError(status.code ?? 500, 'WATCH', this.informer.name, raw);
          return;
        }
        events++;
        const rv = obj.metadata?.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED') this.informer.upsert(obj);
        else if (type === 'DELETED') this.informer.remove(obj);
        if (rv) this.resourceVersion = rv;
        if (this.failures > 0 || this.backoffLevel > 0) this.markInSync('watch event');
      };
      const onDone = (error?: unknown): void => {
        if (ended) return;
        ended = true;
        this.abortWatch = undefined;
        const timedOut = (error as { name?: string } | undefined)?.name === 'TimeoutError';
        if (statusError) reject(statusError);
        else if (error && !timedOut && !this.stopped) reject(error);
        else resolve({ events, ms: Date.now() - started });
      };
      const query = {
        ...this.baseQuery(),
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // Like client-go: the server ends each watch after 5–10 min and we resume from where it was.
        timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      };
      this.informer.source.watch(this.namespace, query, onEvent, onDone).then(
        (abort) => {
          if (ended) return;
          this.abortWatch = abort;
          if (this.stopped) abort();
          // Connected: the server replays whatever happened since resourceVersion, so the cache is current.
          else this.markInSync('watch connected');
        },
        (error: unknown) => onDone(error ?? new Error('watch failed')),
      );
    });
  }
}
