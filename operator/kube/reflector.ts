// The loop behind an informer, for one namespace (or all): list page by page, replace that part of
// the cache (reporting what vanished as deleted), watch from the list's resourceVersion, resume after
// a watch ends, re-list on 410 Gone, and after any failure log a warning and retry with capped,
// jittered exponential back-off. It has no exit but stop().
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { isGone, KubeApiError, objectKey, type ResourceType } from './client.ts';
import type { InformerOptions, ListWatchSource, WatchEventType } from './informer.ts';

/** What a reflector needs of its informer: the cache and the handlers behind upsert / remove. */
export interface ReflectorHost<T extends KubernetesObject> {
  readonly name: string;
  readonly cache: Map<string, T>;
  readonly type: ResourceType;
  readonly source: ListWatchSource<T>;
  readonly options: InformerOptions<T>;
  readonly log: Logger;
  upsert(obj: T): void;
  remove(obj: T): void;
}

/** One list + watch loop over one namespace (or all). */
export class Reflector<T extends KubernetesObject> {
  private readonly informer: ReflectorHost<T>;
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

  constructor(informer: ReflectorHost<T>, namespace: string | undefined) {
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
      listed.add(objectKey(obj));
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
        else this.lastSyncTime = new Date();
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
