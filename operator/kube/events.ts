// Kubernetes Events (events.k8s.io/v1) for the operator's actions and failures. A failing loop must
// not flood the API server: repeats of one event (same object, type, reason, action and note) within
// six minutes become a series — one Event whose `series.count` and `series.lastObservedTime` are
// patched at most every 30 s — as client-go's events recorder does; and each object gets a token
// bucket (25 distinct events, then one per 5 min) against notes that never repeat exactly. Writes are
// asynchronous and never throw at the caller; a failure to record is logged and dropped.
import { hostname } from 'node:os';
import type { KubernetesObject } from '@kubernetes/client-node';
import { logger } from '../../runtime/logging.ts';
import { isNotFound, resourcePath, RESOURCES, type KubeClient } from './client.ts';

const log = logger('weir.operator.events');

export type EventType = 'Normal' | 'Warning';

export interface EventReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
}

/** An events.k8s.io/v1 Event as sent. */
export interface KubeEvent {
  apiVersion: 'events.k8s.io/v1';
  kind: 'Event';
  metadata: { name: string; namespace: string };
  eventTime: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  note: string;
  type: EventType;
  regarding: EventReference;
  related?: EventReference;
  series?: { count: number; lastObservedTime: string };
}

/** Where events go: the API server, or a recorder in tests. */
export interface EventSink {
  create(event: KubeEvent): Promise<void>;
  /** Updates the series of an existing event; rejects with a 404 error when it is gone. */
  patchSeries(
    namespace: string,
    name: string,
    series: { count: number; lastObservedTime: string },
  ): Promise<void>;
}

export function apiServerEventSink(client: KubeClient): EventSink {
  return {
    create: async (event) => {
      await client.request('POST', resourcePath(RESOURCES.Event, event.metadata.namespace), { body: event });
    },
    patchSeries: async (namespace, name, series) => {
      await client.request('PATCH', resourcePath(RESOURCES.Event, namespace, name), {
        body: { series },
        contentType: 'application/merge-patch+json',
      });
    },
  };
}

/** MicroTime: RFC 3339 with exactly six fractional digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export interface EventRecorderOptions {
  reportingController?: string;
  /** Default: the pod name (HOSTNAME), else the machine's host name. */
  reportingInstance?: string;
  /** Repeats within this window join the series; default 6 min. */
  seriesWindowMs?: number;
  /** Series updates of one event at most this often; default 30 s. */
  seriesFlushMs?: number;
  /** Distinct events per object before throttling; default 25. */
  burst?: number;
  /** One more distinct event per object this often once the burst is spent; default 5 min. */
  refillMs?: number;
  /** Aggregation entries kept (oldest dropped first); default 4096. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  namespace: string;
  prefix: string;
  name: string;
  count: number;
  lastObserved: number;
  lastWritten: number;
  event: KubeEvent;
  timer: NodeJS.Timeout | undefined;
  write: Promise<void>;
}

export interface RecordedEvent {
  regarding: KubernetesObject | EventReference;
  related?: KubernetesObject | EventReference;
  type: EventType;
  /** CamelCase, why: `Created`, `ReconcileFailed`. */
  reason: string;
  /** CamelCase, what the operator did or tried: `Apply`, `Reconcile`. */
  action: string;
  /** Human-readable detail (cut to 1 kB). */
  note: string;
}

const reference = (o: KubernetesObject | EventReference): EventReference =>
  'metadata' in o && o.metadata
    ? {
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
      }
    : (o as EventReference);

export class EventRecorder {
  private readonly sink: EventSink;
  private readonly controller: string;
  private readonly instance: string;
  private readonly windowMs: number;
  private readonly flushMs: number;
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sequence = 0;
  /** Events dropped by the per-object throttle. */
  dropped = 0;

  constructor(sink: EventSink | KubeClient, options: EventRecorderOptions = {}) {
    this.sink = 'create' in sink ? sink : apiServerEventSink(sink);
    this.controller = options.reportingController ?? 'weir.dev/operator';
    this.instance = (options.reportingInstance ?? process.env.HOSTNAME ?? hostname()).slice(0, 128);
    this.windowMs = options.seriesWindowMs ?? 6 * 60_000;
    this.flushMs = options.seriesFlushMs ?? 30_000;
    this.burst = options.burst ?? 25;
    this.refillMs = options.refillMs ?? 5 * 60_000;
    this.maxEntries = options.maxEntries ?? 4096;
    this.now = options.now ?? Date.now;
  }

  normal(regarding: RecordedEvent['regarding'], reason: string, action: string, note: string): void {
    this.record({ regarding, type: 'Normal', reason, action, note });
  }

  warning(regarding: RecordedEvent['regarding'], reason: string, action: string, note: string): void {
    this.record({ regarding, type: 'Warning', reason, action, note });
  }

  record(e: RecordedEvent): void {
    const regarding = reference(e.regarding);
    const note = e.note.length > 1024 ? `${e.note.slice(0, 1021)}...` : e.note;
    const object = `${regarding.kind}/${regarding.namespace ?? ''}/${regarding.name}/${regarding.uid ?? ''}`;
    const key = JSON.stringify([object, e.type, e.reason, e.action, note]);
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.lastObserved <= this.windowMs) {
      entry.count++;
      entry.lastObserved = now;
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, entry);
      this.scheduleSeries(entry);
      return;
    }
    if (!this.take(object, now)) {
      this.dropped++;
      log.debug({ object, reason: e.reason }, 'event throttled');
      return;
    }
    if (entry?.timer) clearTimeout(entry.timer);
    const namespace = regarding.namespace || 'default';
    const prefix = (regarding.name ?? 'weir').slice(0, 200);
    const name = this.eventName(prefix, now);
    const event: KubeEvent = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTime(now),
      reportingController: this.controller,
      reportingInstance: this.instance,
      action: e.action.slice(0, 128),
      reason: e.reason.slice(0, 128),
      note,
      type: e.type,
      regarding,
      related: e.related ? reference(e.related) : undefined,
    };
    const fresh: Entry = {
      namespace,
      prefix,
      name,
      count: 1,
      lastObserved: now,
      lastWritten: now,
      event,
      timer: undefined,
      write: this.guard(this.sink.create(event), 'create', name),
    };
    this.entries.delete(key);
    this.entries.set(key, fresh);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      const dropped = this.entries.get(oldest);
      if (dropped?.timer) clearTimeout(dropped.timer);
      this.entries.delete(oldest);
    }
  }

  /** Writes pending series updates now and waits for every write in flight. */
  async flush(): Promise<void> {
    for (const entry of this.entries.values()) {
      if (entry.timer) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        this.writeSeries(entry);
      }
    }
    await Promise.all([...this.entries.values()].map((e) => e.write));
  }

  private eventName(prefix: string, now: number): string {
    return `${prefix}.${now.toString(16)}${(this.sequence++ % 4096).toString(16).padStart(3, '0')}`;
  }

  private take(object: string, now: number): boolean {
    const bucket = this.buckets.get(object) ?? { tokens: this.burst, at: now };
    const refill = Math.floor((now - bucket.at) / this.refillMs);
    if (refill > 0) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + refill);
      bucket.at += refill * this.refillMs;
    }
    if (bucket.tokens === this.burst) bucket.at = now;
    this.buckets.delete(object);
    this.buckets.set(object, bucket);
    if (this.buckets.size > this.maxEntries) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens <= 0) return false;
    bucket.tokens--;
    return true;
  }

  private scheduleSeries(entry: Entry): void {
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastWritten + this.flushMs - this.now());
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.writeSeries(entry);
    }, wait);
    entry.timer.unref();
  }

  private writeSeries(entry: Entry): void {
    entry.lastWritten = this.now();
    const series = { count: entry.count, lastObservedTime: microTime(entry.lastObserved) };
    entry.write = entry.write.then(() =>
      this.sink.patchSeries(entry.namespace, entry.name, series).catch((error: unknown) => {
        if (!isNotFound(error)) return this.guard(Promise.reject(error), 'series', entry.name);
        // The event expired (events live an hour): start it again, carrying the count.
        entry.name = this.eventName(entry.prefix, this.now());
        const event = { ...entry.event, metadata: { ...entry.event.metadata, name: entry.name }, series };
        return this.guard(this.sink.create(event), 'create', entry.name);
      }),
    );
  }

  private guard(write: Promise<void>, what: string, name: string): Promise<void> {
    return write.catch((error: unknown) => {
      log.warn(
        { err: error instanceof Error ? error.message : String(error), event: name },
        `event ${what} failed`,
      );
    });
  }
}
