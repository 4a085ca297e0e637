import { describe, expect, it } from 'vitest';
import {
  CommittedEnd,
  connectorConfig,
  costPercent,
  formatExactlyOnceTable,
  msPerTransaction,
  workerSettings,
} from './exactly-once.ts';

describe('bench exactly-once', () => {
  it('enables exactly-once on the worker and asks for it on the connector, with the boundary', () => {
    expect(workerSettings('off')).toEqual({});
    expect(workerSettings('poll')).toEqual({ 'exactly.once.source.support': 'enabled' });
    const off = connectorConfig('off', '/in.txt', 't');
    expect(off['exactly.once.support']).toBeUndefined();
    expect(off['transaction.boundary']).toBeUndefined();
    expect(connectorConfig('poll', '/in.txt', 't')).toMatchObject({
      'exactly.once.support': 'required',
      'transaction.boundary': 'poll',
    });
    expect(connectorConfig('interval', '/in.txt', 't')).toMatchObject({
      'transaction.boundary': 'interval',
      'transaction.boundary.interval.ms': '1000',
    });
  });

  it('finishes when the end offset was first seen, once committed and quiet', () => {
    const end = new CommittedEnd(10n, 100);
    expect(end.observe(0, 5n, 5n)).toBeUndefined();
    expect(end.observe(20, 12n, 8n)).toBeUndefined(); // records written, the transaction open
    expect(end.observe(200, 12n, 8n)).toBeUndefined(); // quiet, but not committed
    expect(end.observe(220, 13n, 13n)).toBeUndefined(); // the commit marker
    expect(end.observe(300, 13n, 13n)).toBeUndefined();
    expect(end.observe(320, 13n, 13n)).toBe(220);
    expect(end.beyond).toBe(3n);
  });

  it('does not finish below the record count', () => {
    const end = new CommittedEnd(10n, 0);
    expect(end.observe(0, 9n, 9n)).toBeUndefined();
    expect(end.observe(10, 9n, 9n)).toBeUndefined();
  });

  it('prints each mode with its transactions and its cost against the same system without', () => {
    expect(costPercent(100, 80)).toBeCloseTo(20);
    expect(costPercent(undefined, 80)).toBeUndefined();
    // 1,000,000 records: 4 s without, 5 s with 500 transactions: 2 ms each.
    expect(msPerTransaction(1_000_000, 250_000, 200_000, 500)).toBeCloseTo(2);
    expect(msPerTransaction(1_000_000, 250_000, 200_000, 0)).toBeUndefined();
    const table = formatExactlyOnceTable(
      [
        {
          system: 'Weir',
          mode: 'off',
          firstMs: 300,
          recordsPerSec: 200_000,
          flowingRecordsPerSec: 250_000,
          transactions: 0,
        },
        {
          system: 'Weir',
          mode: 'poll',
          firstMs: 900,
          recordsPerSec: 150_000,
          flowingRecordsPerSec: 225_000,
          transactions: 500,
        },
        {
          system: 'Java',
          mode: 'off',
          firstMs: 400,
          recordsPerSec: 100_000,
          flowingRecordsPerSec: 120_000,
          transactions: 0,
        },
        {
          system: 'Java',
          mode: 'poll',
          firstMs: 1500,
          recordsPerSec: 50_000,
          flowingRecordsPerSec: undefined,
          transactions: 500,
        },
      ],
      1_000_000,
    );
    expect(table).toBe(
      [
        '|                                                  | first record ms |   rec/s |   cost | rec/s once flowing |   cost | transactions | ms per transaction |',
        '|--------------------------------------------------|----------------:|--------:|-------:|-------------------:|-------:|-------------:|-------------------:|',
        '| Weir, exactly-once off                           |             300 | 200,000 |      – |            250,000 |      – |            – |                  – |',
        '| Weir, exactly-once on, transaction.boundary=poll |             900 | 150,000 | 25.0 % |            225,000 | 10.0 % |          500 |                0.9 |',
        '| Java, exactly-once off                           |             400 | 100,000 |      – |            120,000 |      – |            – |                  – |',
        '| Java, exactly-once on, transaction.boundary=poll |           1,500 |  50,000 | 50.0 % |                  – |      – |          500 |                  – |',
        '',
        'Weir/Java (rec/s): off 2.00×, poll 3.00×',
      ].join('\n'),
    );
  });
});
