// A source task's errors on the real broker, herders in this process: with errors.tolerance=all a
// record the broker refuses (larger than message.max.bytes) is skipped and acknowledged, so the
// offsets after it still commit (KIP-779), and a record its converter refuses is skipped; with
// errors.tolerance=none the refused record fails the task and its offset is not committed.
import { describe, expect, it } from 'vitest';
import {
  ConfigDef,
  Schemas,
  SourceConnector,
  SourceTask,
  sourceRecord,
  type Props,
  type SourceRecord,
} from '../../api/index.ts';
import { ConnectMetrics } from '../../metrics/connect-metrics.ts';
import { parseExposition, valueOf } from '../../metrics/testing/exposition.ts';
import { builtinPlugins } from '../../plugins/builtin.ts';
import { readTopic } from '../../../tools/kafka/read-topic.ts';
import { kafkaBootstrap, uniqueName } from '../../../tools/vitest/kafka.ts';
import { waitFor } from '../../../tools/weir-process.ts';
import type { Herder } from '../../herder/herder.ts';
import { standaloneHerdersPerTest } from '../../../tools/vitest/standalone-herders.ts';

const PARTITION = { source: 'poison' };
/** One record per poll: small, too large for the broker, small, not an int32, small. */
function records(topic: string): SourceRecord[] {
  const at = (position: number, value: unknown, valueSchema = Schemas.STRING) =>
    sourceRecord({ sourcePartition: PARTITION, sourceOffset: { position }, topic, valueSchema, value });
  return [
    at(1, 'first'),
    at(2, 'x'.repeat(2 * 1024 * 1024)),
    at(3, 'third'),
    at(4, 'not a number', Schemas.INT32),
    at(5, 'fifth'),
  ];
}

class PoisonSourceTask extends SourceTask {
  private pending: SourceRecord[] = [];
  version = () => '1';
  start(props: Props): void {
    this.pending = records(props['topic'] ?? '').slice(0, Number(props['records'] ?? 5));
  }
  async poll(): Promise<SourceRecord[] | null> {
    const next = this.pending.shift();
    if (next) return [next];
    await new Promise((r) => setTimeout(r, 100));
    return null;
  }
  stop(): void {}
}

class PoisonSource extends SourceConnector {
  private props: Props = {};
  version = () => '1';
  start(props: Props): void {
    this.props = props;
  }
  taskClass = () => PoisonSourceTask;
  taskConfigs = (): Props[] => [{ ...this.props }];
  stop(): void {}
  config = () => new ConfigDef();
}

const herder = standaloneHerdersPerTest('weir-source-errors-', () =>
  builtinPlugins().register({
    className: 'dev.weir.test.PoisonSourceConnector',
    type: 'source',
    version: '1',
    create: () => new PoisonSource(),
  }),
);

const committedPosition = async (h: Herder, name: string): Promise<number | undefined> => {
  const { offsets } = await h.connectorOffsets(name);
  return (offsets[0]?.offset as { position?: number } | undefined)?.position;
};

describe('a source task whose records fail', () => {
  it('errors.tolerance=all: skips what the broker or the converter refuses; offsets commit past them', async () => {
    const metrics = new ConnectMetrics();
    const h = await herder(metrics);
    const name = uniqueName('poison');
    const topic = uniqueName('poison');
    await h.putConnectorConfig(
      name,
      {
        'connector.class': 'PoisonSource',
        topic,
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'true',
        'errors.tolerance': 'all',
        'errors.log.enable': 'true',
      },
      { allowReplace: false },
    );
    const written = await readTopic(kafkaBootstrap(), topic, 3);
    expect(written.map((r) => JSON.parse(r.value?.toString() ?? 'null').payload)).toEqual([
      'first',
      'third',
      'fifth',
    ]);
    await waitFor('offset 5 committed', async () => (await committedPosition(h, name)) === 5);
    expect((await h.taskStatus(name, 0)).state).toBe('RUNNING');
    const m = parseExposition(await metrics.registry.metrics());
    const labels = { connector: name, task: '0' };
    // The producer failure (KAFKA_PRODUCE) and the converter failure (VALUE_CONVERTER).
    expect(valueOf(m, 'kafka_connect_task_error_total_record_failures', labels)).toBe(2);
    expect(valueOf(m, 'kafka_connect_task_error_total_errors_logged', labels)).toBe(2);
    expect(valueOf(m, 'kafka_connect_task_error_total_records_skipped', labels)).toBe(1);
  });

  it('errors.tolerance=none: the record the broker refuses fails the task; its offset is not committed', async () => {
    const h = await herder();
    const name = uniqueName('strict');
    const topic = uniqueName('strict');
    // The first three records only: the failure is the broker's, not the converter's.
    await h.putConnectorConfig(
      name,
      { 'connector.class': 'PoisonSource', topic, records: '3' },
      { allowReplace: false },
    );
    const status = await waitFor('the task FAILED', async () => {
      const s = await h.taskStatus(name, 0).catch(() => undefined);
      return s?.state === 'FAILED' ? s : undefined;
    });
    expect(status.trace).toContain('Producing messages failed');
    const position = await committedPosition(h, name);
    expect(position === undefined || position === 1).toBe(true);
  });
});
