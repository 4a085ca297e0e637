import { describe, expect, it } from 'vitest';
import { formatTransformsTable, routedTopic, transformsConnectorConfig } from './transforms.ts';

describe('bench transforms', () => {
  it('routes the bench topic where the chain sends it', () => {
    expect(routedTopic('bench-weir-abc')).toBe('routed-weir-abc');
    const config = transformsConnectorConfig('/tmp/in.txt', 'bench-java-1');
    expect(config['transforms']).toBe('hoist,insert,route');
    expect(new RegExp(`^${config['transforms.route.regex']}$`).test('bench-java-1')).toBe(true);
    expect('bench-java-1'.replace(/^bench-(.*)$/, config['transforms.route.replacement']!)).toBe(
      routedTopic('bench-java-1'),
    );
  });

  it('prints records/s, MB/s, start-up and peak RSS with the ratios', () => {
    const table = formatTransformsTable(
      { name: 'Weir', sourceRecordsPerSec: 200_000, startupMs: 400, peakRssMb: 300 },
      { name: 'Java', sourceRecordsPerSec: 100_000, startupMs: 4000, peakRssMb: 1200 },
    );
    expect(table).toBe(
      [
        '|      |   rec/s | MB/s | start-up ms | peak RSS MB |',
        '|------|--------:|-----:|------------:|------------:|',
        '| Weir | 200,000 | 20.0 |         400 |         300 |',
        '| Java | 100,000 | 10.0 |       4,000 |       1,200 |',
        '',
        'Weir/Java: source 2.00×, start-up 0.10×, peak RSS 0.25×',
      ].join('\n'),
    );
  });
});
