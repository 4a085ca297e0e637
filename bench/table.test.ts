import { describe, expect, it } from 'vitest';
import {
  formatTable,
  markdownTable,
  mbPerSec,
  median,
  percentile,
  ratio,
  ratioLine,
  type BenchRow,
} from './table.ts';

const weir: BenchRow = {
  name: 'Weir',
  sourceRecordsPerSec: 250_000,
  sinkRecordsPerSec: 200_000,
  startupMs: 300,
  peakRssMb: 120,
};
const java: BenchRow = {
  name: 'Java',
  sourceRecordsPerSec: 200_000,
  sinkRecordsPerSec: 250_000,
  startupMs: 3000,
  peakRssMb: 600,
};
const raw: BenchRow = { name: 'raw', sourceRecordsPerSec: 500_000 };

describe('bench table', () => {
  it('computes MB/s with MB = 10^6 bytes', () => {
    expect(mbPerSec(250_000, 100)).toBe(25);
    expect(mbPerSec(undefined, 100)).toBeUndefined();
  });

  it('takes the median of the defined values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([undefined, 5])).toBe(5);
    expect(median([])).toBeUndefined();
  });

  it('prints one aligned row per system, with – for what a system lacks', () => {
    expect(formatTable([weir, java, raw], 100)).toBe(
      [
        '|      | source rec/s | source MB/s | sink rec/s | sink MB/s | start-up ms | peak RSS MB |',
        '|------|-------------:|------------:|-----------:|----------:|------------:|------------:|',
        '| Weir |      250,000 |        25.0 |    200,000 |      20.0 |         300 |         120 |',
        '| Java |      200,000 |        20.0 |    250,000 |      25.0 |       3,000 |         600 |',
        '| raw  |      500,000 |        50.0 |          – |         – |           – |           – |',
      ].join('\n'),
    );
  });

  it('prints ratios, leaving out metrics the other row lacks', () => {
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratioLine(weir, java)).toBe('Weir/Java: source 1.25×, sink 0.80×, start-up 0.10×, peak RSS 0.20×');
    expect(ratioLine(weir, raw)).toBe('Weir/raw: source 0.50×');
  });
});

describe('percentile and markdownTable', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1
    expect(percentile(values, 50)).toBe(10);
    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('aligns the first column left and the others right', () => {
    expect(
      markdownTable(
        ['what', 'ms'],
        [
          ['a', '1'],
          ['longer', '1,234'],
        ],
      ),
    ).toBe(
      ['| what   |    ms |', '|--------|------:|', '| a      |     1 |', '| longer | 1,234 |'].join('\n'),
    );
  });
});
