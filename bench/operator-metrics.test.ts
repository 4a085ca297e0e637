import { describe, expect, it } from 'vitest';
import { parseMetrics, total } from '../e2e/operator-process.ts';

describe('parseMetrics', () => {
  it('reads samples with and without labels, and sums them by name and labels', () => {
    const samples = parseMetrics(
      [
        '# HELP weir_operator_reconcile_total Reconciles finished',
        '# TYPE weir_operator_reconcile_total counter',
        'weir_operator_reconcile_total{kind="KafkaConnector",result="success"} 40',
        'weir_operator_reconcile_total{kind="KafkaConnect",result="requeue"} 2',
        'weir_operator_connect_requests_total{method="GET",route="/connectors"} 7',
        'weir_operator_leader 1',
        'process_resident_memory_bytes 1.25e+08',
      ].join('\n'),
    );
    expect(total(samples, 'weir_operator_reconcile_total')).toBe(42);
    expect(total(samples, 'weir_operator_reconcile_total', { kind: 'KafkaConnect' })).toBe(2);
    expect(total(samples, 'weir_operator_connect_requests_total', { route: '/connectors' })).toBe(7);
    expect(total(samples, 'weir_operator_leader')).toBe(1);
    expect(total(samples, 'process_resident_memory_bytes')).toBe(125_000_000);
    expect(total(samples, 'missing')).toBe(0);
  });
});
