import { describe, expect, it } from 'vitest';
import type { ConnectRecord, Transformation } from '../../runtime/api/index.ts';
import { ConfigDef, DataException, withChanges } from '../../runtime/api/index.ts';
import { builtinPlugins } from '../../runtime/plugins/builtin.ts';
import { compareResults, describeDifferences, type GoldenResult } from './compare.ts';
import { expandFile, type GoldenCase } from './corpus.ts';
import { runWeirCase } from './weir-golden.ts';

/** A stand-in for a Weir transform: renames the topic, or refuses records whose value is null. */
class FakeRename implements Transformation {
  private suffix = '';
  configure(configs: Readonly<Record<string, string>>): void {
    this.suffix = configs['suffix'] ?? '';
  }
  apply(record: ConnectRecord): ConnectRecord | null {
    if (record.value === null) throw new DataException('no value');
    return withChanges(record, { topic: `${record.topic}${this.suffix}` });
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
  close(): void {}
}

const plugins = builtinPlugins().register({
  className: 'test.FakeRename',
  type: 'transformation',
  version: '1',
  create: () => new FakeRename(),
});

const [golden] = expandFile('Fake', {
  props: { transforms: 'r', 'transforms.r.type': 'test.FakeRename', 'transforms.r.suffix': '-x' },
  cases: [
    {
      name: 'renames',
      schemas: { key: false, value: true, headers: false },
      records: [
        {
          key: { b: 1, a: 2 },
          value: { schema: { type: 'string', optional: true }, payload: 'v' },
          headers: [{ key: 'h', value: 'x' }],
        },
        { value: { schema: { type: 'string', optional: true }, payload: null } },
      ],
    },
  ],
}) as [GoldenCase];

/** What Java would report for the case if Java did what the fake does. */
const java: GoldenResult = {
  name: 'Fake/renames',
  records: [
    {
      topic: 'orders-x',
      partition: 0,
      timestamp: 1_700_000_000_000,
      headers: [{ key: 'h', value: '{"schema":null,"payload":"x"}' }],
      key: '{"schema":null,"payload":{"a":2,"b":1}}',
      value: '{"schema":{"type":"string","optional":true},"payload":"v"}',
    },
    { error: { stage: 'transform', class: 'DataException', message: 'no value' } },
  ],
};

describe('the golden comparison', () => {
  it('expands a corpus case with the defaults and the exact JSON texts', () => {
    expect(golden.records[0]).toEqual({
      topic: 'orders',
      partition: 0,
      timestamp: 1_700_000_000_000,
      key: '{"b":1,"a":2}',
      value: '{"schema":{"type":"string","optional":true},"payload":"v"}',
      headers: [{ key: 'h', value: '"x"' }],
    });
  });

  it("finds no difference when Weir's chain does what Java did, map keys sorted on both sides", () => {
    expect(compareResults(java, runWeirCase(golden, plugins))).toEqual([]);
  });

  it('names the record, the field and both texts where they differ', () => {
    const weir = runWeirCase({ ...golden, props: { ...golden.props, 'transforms.r.suffix': '-y' } }, plugins);
    expect(describeDifferences(golden.name, compareResults(java, weir))).toBe(
      [
        'Fake/renames: Weir differs from Java',
        '  record 0 topic:',
        '    java: "orders-x"',
        '    weir: "orders-y"',
      ].join('\n'),
    );
  });

  it('tells an error from a record, and a chain that cannot be built', () => {
    const weir = runWeirCase({ ...golden, props: { transforms: 'r', 'transforms.r.type': 'test.Nothing' } });
    expect(weir.error).toMatchObject({ stage: 'config', class: 'WeirError' });
    expect(compareResults(java, weir)[0]).toBe('chain:');
    const dropped: GoldenResult = { name: java.name, records: [{ dropped: true }, java.records![1]!] };
    expect(compareResults(java, dropped)).toEqual(['record 0: java a record, weir dropped']);
  });

  it("compares a converter's errors by stage and class, a transform's by message too", () => {
    const failed = (stage: 'output' | 'transform', message: string): GoldenResult => ({
      name: 'x',
      records: [{ error: { stage, class: 'DataException', message } }],
    });
    expect(compareResults(failed('output', 'Java class …'), failed('output', 'Value of type …'))).toEqual([]);
    expect(compareResults(failed('transform', 'a'), failed('transform', 'b'))).toHaveLength(3);
  });
});
