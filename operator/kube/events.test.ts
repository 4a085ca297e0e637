import { describe, expect, it } from 'vitest';
import { KubeApiError } from './client.ts';
import { EventRecorder, microTime, type EventSink, type KubeEvent } from './events.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class Sink implements EventSink {
  created: KubeEvent[] = [];
  patches: { name: string; count: number }[] = [];
  expired = new Set<string>();
  async create(event: KubeEvent): Promise<void> {
    this.created.push(event);
  }
  async patchSeries(_ns: string, name: string, series: { count: number }): Promise<void> {
    if (this.expired.has(name)) throw new KubeApiError(404, 'PATCH', name, { reason: 'NotFound' });
    this.patches.push({ name, count: series.count });
  }
}

const connector = {
  apiVersion: 'weir.dev/v1beta1',
  kind: 'KafkaConnector',
  metadata: { name: 'sink', namespace: 'team-a', uid: 'u-1' },
};

describe('EventRecorder', () => {
  it('writes an events.k8s.io/v1 Event about the object', async () => {
    const sink = new Sink();
    const rec = new EventRecorder(sink, { reportingInstance: 'weir-operator-0' });
    rec.normal(connector, 'Created', 'Apply', 'created Deployment my-connect');
    await rec.flush();
    expect(sink.created).toHaveLength(1);
    const e = sink.created[0];
    expect(e).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { namespace: 'team-a' },
      type: 'Normal',
      reason: 'Created',
      action: 'Apply',
      note: 'created Deployment my-connect',
      reportingController: 'weir.dev/operator',
      reportingInstance: 'weir-operator-0',
      regarding: { kind: 'KafkaConnector', name: 'sink', namespace: 'team-a', uid: 'u-1' },
    });
    expect(e?.metadata.name).toMatch(/^sink\.[0-9a-f]+$/);
    expect(e?.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(e?.series).toBeUndefined();
  });

  it('folds repeats into one series patched at most once per flush interval', async () => {
    const sink = new Sink();
    const rec = new EventRecorder(sink, { seriesFlushMs: 60 });
    for (let i = 0; i < 500; i++) rec.warning(connector, 'ReconcileFailed', 'Reconcile', 'PUT config: 500');
    await sleep(20);
    expect(sink.created).toHaveLength(1);
    expect(sink.patches).toHaveLength(0);
    await sleep(80);
    expect(sink.patches).toEqual([{ name: sink.created[0]?.metadata.name, count: 500 }]);
    rec.warning(connector, 'ReconcileFailed', 'Reconcile', 'PUT config: 500');
    await rec.flush();
    expect(sink.patches.at(-1)?.count).toBe(501);
    expect(sink.created).toHaveLength(1);
  });

  it('keeps distinct events apart', async () => {
    const sink = new Sink();
    const rec = new EventRecorder(sink);
    rec.warning(connector, 'ReconcileFailed', 'Reconcile', 'a');
    rec.warning(connector, 'ReconcileFailed', 'Reconcile', 'b');
    rec.normal(connector, 'ReconcileFailed', 'Reconcile', 'a');
    rec.warning(
      { ...connector, metadata: { ...connector.metadata, name: 'other' } },
      'ReconcileFailed',
      'Reconcile',
      'a',
    );
    await rec.flush();
    expect(sink.created).toHaveLength(4);
    expect(new Set(sink.created.map((e) => e.metadata.name)).size).toBe(4);
  });

  it('starts a new event when the series window has passed', async () => {
    const sink = new Sink();
    let now = 1_000_000;
    const rec = new EventRecorder(sink, { now: () => now, seriesWindowMs: 1000 });
    rec.normal(connector, 'Restarted', 'Restart', 'task 0');
    now += 500;
    rec.normal(connector, 'Restarted', 'Restart', 'task 0');
    now += 1500;
    rec.normal(connector, 'Restarted', 'Restart', 'task 0');
    await rec.flush();
    expect(sink.created).toHaveLength(2);
  });

  it('throttles an object whose notes never repeat: a burst, then one per refill period', async () => {
    const sink = new Sink();
    let now = 5_000_000;
    const rec = new EventRecorder(sink, { now: () => now, burst: 5, refillMs: 1000 });
    for (let i = 0; i < 20; i++)
      rec.warning(connector, 'Failed', 'Reconcile', `attempt ${i} at ${Math.random()}`);
    expect(sink.created).toHaveLength(5);
    expect(rec.dropped).toBe(15);
    now += 2500;
    for (let i = 0; i < 20; i++) rec.warning(connector, 'Failed', 'Reconcile', `later ${i}`);
    expect(sink.created).toHaveLength(7);
    // Another object has its own bucket.
    rec.warning({ kind: 'KafkaConnect', name: 'c', namespace: 'team-a' }, 'Failed', 'Reconcile', 'x');
    expect(sink.created).toHaveLength(8);
    await rec.flush();
  });

  it('re-creates an expired event with its count when the series patch finds it gone', async () => {
    const sink = new Sink();
    const rec = new EventRecorder(sink, { seriesFlushMs: 10 });
    rec.warning(connector, 'Failed', 'Reconcile', 'same');
    await rec.flush();
    sink.expired.add(sink.created[0]?.metadata.name ?? '');
    rec.warning(connector, 'Failed', 'Reconcile', 'same');
    rec.warning(connector, 'Failed', 'Reconcile', 'same');
    await rec.flush();
    expect(sink.created).toHaveLength(2);
    expect(sink.created[1]?.series?.count).toBe(3);
    expect(sink.created[1]?.metadata.name).not.toBe(sink.created[0]?.metadata.name);
  });

  it('never throws at the caller when the API server refuses', async () => {
    const rec = new EventRecorder({
      create: () => Promise.reject(new Error('forbidden')),
      patchSeries: () => Promise.reject(new Error('forbidden')),
    });
    rec.warning(connector, 'Failed', 'Reconcile', 'x');
    rec.warning(connector, 'Failed', 'Reconcile', 'x');
    await rec.flush();
  });

  it('formats MicroTime with six fractional digits', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05.678000Z');
  });
});
