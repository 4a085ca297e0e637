import { describe, expect, it } from 'vitest';
import { DataException, Schemas, type SinkRecord } from '../../api/index.ts';
import { ErrorMetrics } from '../../metrics/task-metrics.ts';
import { WorkerErrantRecordReporter } from './errant-record-reporter.ts';
import { errorSettings } from './error-settings.ts';
import type { ConsumedRecord } from './log-reporter.ts';
import type { ProcessingContext } from './processing-context.ts';
import { RetryWithToleranceOperator } from './retry-with-tolerance.ts';
import { recordConverters } from './testing/record-converters.ts';

function reporter(props: Record<string, string>) {
  const operator = new RetryWithToleranceOperator<ConsumedRecord>(errorSettings(props), new ErrorMetrics());
  const reported: ConsumedRecord[] = [];
  const writes: { resolve: () => void; reject: (e: Error) => void }[] = [];
  operator.reporters([
    {
      report: (context: ProcessingContext<ConsumedRecord>) => {
        reported.push(context.original);
        return new Promise<void>((resolve, reject) => void writes.push({ resolve, reject }));
      },
      close: () => Promise.resolve(),
    },
  ]);
  return { errant: new WorkerErrantRecordReporter(operator, recordConverters(), true), reported, writes };
}

const sinkRecord = (offset: bigint, value: unknown): SinkRecord => ({
  topic: 'orders',
  kafkaPartition: 1,
  kafkaOffset: offset,
  keySchema: Schemas.STRING,
  key: 'k',
  valueSchema: null,
  value,
  timestamp: 1_700_000_000_000,
  timestampType: 'CreateTime',
  headers: [{ key: 'h', schema: Schemas.STRING, value: 'v' }],
  originalTopic: 'orders',
  originalKafkaPartition: 1,
  originalKafkaOffset: offset,
});

describe('WorkerErrantRecordReporter', () => {
  it('reports the consumed record behind a record given to put()', () => {
    const { errant, reported } = reporter({ 'errors.tolerance': 'all' });
    const record = sinkRecord(5n, { a: 1 });
    const original: ConsumedRecord = {
      topic: 'orders',
      partition: 1,
      offset: 5n,
      timestamp: 1n,
      key: Buffer.from('raw-key'),
      value: Buffer.from('raw value bytes'),
      headerEntries: [],
    };
    errant.track(record, original);
    void errant.report(record, new DataException('no'));
    expect(reported[0]).toBe(original);
  });

  it('converts a record the task made itself, as Java does', () => {
    const { errant, reported } = reporter({ 'errors.tolerance': 'all' });
    void errant.report(sinkRecord(9n, { a: 1 }), new DataException('no'));
    expect(reported[0]).toMatchObject({
      topic: 'orders',
      partition: 1,
      offset: 9n,
      timestamp: 1_700_000_000_000n,
    });
    expect(reported[0]?.key?.toString()).toBe('k');
    expect(reported[0]?.value?.toString()).toBe('{"a":1}');
    expect(reported[0]?.headerEntries.map(([k, v]) => [k.toString(), v?.toString()])).toEqual([['h', 'v']]);
  });

  it("holds a partition's offsets until its reports are written, and fails when one is not", async () => {
    const { errant, writes } = reporter({ 'errors.tolerance': 'all' });
    const report = errant.report(sinkRecord(1n, 1), new DataException('no'));
    let done = false;
    const waiting = errant.awaitReports([{ topic: 'orders', partition: 1 }]).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    writes[0]?.resolve();
    await waiting;
    await expect(report).resolves.toBeUndefined();

    void errant.report(sinkRecord(2n, 2), new DataException('no'));
    writes[1]?.reject(new Error('DLQ down'));
    await expect(errant.awaitReports([{ topic: 'orders', partition: 1 }])).rejects.toThrow(
      'Encountered an error while awaiting an errant record report',
    );
  });

  it('errors.tolerance=none: reporting fails the task at once, and after put() too', () => {
    const { errant, reported } = reporter({ 'errors.deadletterqueue.topic.name': 'dlq' });
    expect(() => errant.report(sinkRecord(1n, 1), new DataException('no'))).toThrow(
      'Tolerance exceeded in error handler',
    );
    expect(reported).toHaveLength(1);
    expect(() => errant.maybeThrowAsyncError()).toThrow('Tolerance exceeded in error handler');
  });
});
