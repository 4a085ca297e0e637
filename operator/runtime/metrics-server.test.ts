import { afterEach, describe, expect, it } from 'vitest';
import type { InformerStatus } from '../kube/informer.ts';
import { WorkQueue } from '../kube/work-queue.ts';
import { OperatorMetrics, startMetricsServer, type MetricsServer } from './metrics-server.ts';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const informer = (over: Partial<InformerStatus>): { status: () => InformerStatus } => ({
  status: () => ({
    name: 'kafkaconnects.weir.dev/v1beta1',
    started: true,
    synced: true,
    healthy: true,
    lastSyncTime: new Date(1_700_000_000_000),
    consecutiveFailures: 0,
    lastError: undefined,
    ...over,
  }),
});

describe('metrics server', () => {
  it('serves reconcile counts, durations, queue depth and informer health', async () => {
    const metrics = new OperatorMetrics({ defaultMetrics: false });
    let fail = true;
    const queue = new WorkQueue(
      async () => {
        if (fail) {
          fail = false;
          throw new Error('x');
        }
      },
      { baseDelayMs: 1, onReconciled: metrics.reconcileObserver('KafkaConnect') },
    );
    metrics.watchQueue('KafkaConnect', queue);
    metrics.watchInformer(informer({}));
    metrics.setLeader(true);
    queue.add('ns/a');
    await new Promise((r) => setTimeout(r, 50));
    await queue.stop();
    server = await startMetricsServer({ metrics, port: 0, host: '127.0.0.1' });
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(text).toContain('weir_operator_reconcile_total{kind="KafkaConnect",result="error"} 1');
    expect(text).toContain('weir_operator_reconcile_total{kind="KafkaConnect",result="success"} 1');
    expect(text).toContain('weir_operator_reconcile_errors_total{kind="KafkaConnect"} 1');
    expect(text).toContain('weir_operator_reconcile_duration_seconds_count{kind="KafkaConnect"} 2');
    expect(text).toContain('weir_operator_workqueue_depth{kind="KafkaConnect"} 0');
    expect(text).toContain('weir_operator_informer_healthy{informer="kafkaconnects.weir.dev/v1beta1"} 1');
    expect(text).toContain('weir_operator_leader 1');
  });

  it('answers /healthz, and /readyz from the started informers and extra checks', async () => {
    const metrics = new OperatorMetrics({ defaultMetrics: false });
    let healthy = false;
    let synced = false;
    metrics.watchInformer({
      status: () => informer({ healthy, synced, lastError: 'ECONNREFUSED' }).status(),
    });
    metrics.watchInformer(informer({ started: false, synced: false, healthy: false }));
    let check: string | undefined = 'starting';
    server = await startMetricsServer({
      metrics,
      port: 0,
      host: '127.0.0.1',
      checks: { leader: () => check },
    });
    const url = (p: string): string => `http://127.0.0.1:${server?.port}${p}`;
    expect((await fetch(url('/healthz'))).status).toBe(200);
    let res = await fetch(url('/readyz'));
    expect(res.status).toBe(503);
    const body = (await res.json()) as { reasons: string[] };
    expect(body.reasons).toEqual(['informer kafkaconnects.weir.dev/v1beta1: not synced', 'leader: starting']);
    synced = true;
    check = undefined;
    res = await fetch(url('/readyz'));
    expect(((await res.json()) as { reasons: string[] }).reasons[0]).toContain('failing (ECONNREFUSED)');
    healthy = true;
    expect((await fetch(url('/readyz'))).status).toBe(200);
  });
});
