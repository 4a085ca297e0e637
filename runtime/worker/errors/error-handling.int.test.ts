// Error handling on the real broker, herders in this process: a sink task's errant record reporter
// (KIP-610) writing to the dead letter queue, offsets committed once the reports are in; the reporter
// absent without a DLQ or error log; errors.tolerance=none failing the task after the DLQ has the
// record; a DLQ replication factor the cluster cannot meet failing the task at start, as in Java.
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import {
  ConfigDef,
  DataException,
  SinkConnector,
  SinkTask,
  type ErrantRecordReporter,
  type Props,
  type SinkRecord,
} from '../../api/index.ts';
import { ConnectMetrics } from '../../metrics/connect-metrics.ts';
import { parseExposition, valueOf } from '../../metrics/testing/exposition.ts';
import { readTopic } from '../../../tools/kafka/read-topic.ts';
import { kafkaBootstrap, uniqueName } from '../../../tools/vitest/kafka.ts';
import { waitFor } from '../../../tools/weir-process.ts';
import type { Herder } from '../../herder/herder.ts';
import { pluginsWithSink } from '../../herder/testing/in-process-herders.ts';
import { standaloneHerdersPerTest } from '../../../tools/vitest/standalone-herders.ts';

/** What the test sink's tasks saw, by connector name. */
const seen = new Map<
  string,
  { reporter: ErrantRecordReporter | null; written: string[]; reported: string[] }
>();

/** Writes values to memory; reports those starting with "bad" through the errant record reporter and waits for it. */
class ReportingSinkTask extends SinkTask {
  private name = '';
  version = () => '1';
  start(props: Props): void {
    this.name = props['name'] ?? '';
    seen.set(this.name, { reporter: this.context.errantRecordReporter(), written: [], reported: [] });
  }
  async put(records: SinkRecord[]): Promise<void> {
    const state = seen.get(this.name);
    if (!state) return;
    for (const record of records) {
      const value = String(record.value);
      if (!value.startsWith('bad') || !state.reporter) state.written.push(value);
      else {
        await state.reporter(record, new DataException(`refused ${value}`));
        state.reported.push(value);
      }
    }
  }
  stop(): void {}
}

class ReportingSink extends SinkConnector {
  private props: Props = {};
  version = () => '1';
  start(props: Props): void {
    this.props = props;
  }
  taskClass = () => ReportingSinkTask;
  taskConfigs = (maxTasks: number): Props[] => Array.from({ length: maxTasks }, () => ({ ...this.props }));
  stop(): void {}
  config = () => new ConfigDef();
}

const herder = standaloneHerdersPerTest('weir-error-handling-', () =>
  pluginsWithSink('ReportingSink', () => new ReportingSink()),
);

/** Sends raw values (no JSON encoding): `"ok"` is the JSON string ok, `{oops` is not JSON. */
async function send(topic: string, values: string[]): Promise<void> {
  const producer = new Producer({
    clientId: 'error-handling-test',
    bootstrapBrokers: [kafkaBootstrap()],
    serializers: stringSerializers,
    autocreateTopics: true,
  });
  try {
    await producer.send({ messages: values.map((value) => ({ topic, key: 'k', value })), acks: -1 });
  } finally {
    await producer.close();
  }
}

const NEW = { allowReplace: false };

const header = (record: { headers: [string, Buffer | null][] }, name: string) =>
  record.headers.find(([k]) => k === `__connect.errors.${name}`)?.[1]?.toString();

const taskState = (h: Herder, name: string) =>
  waitFor(`${name}'s task status`, async () => {
    try {
      const status = await h.taskStatus(name, 0);
      return status.state === 'RUNNING' || status.state === 'FAILED' ? status : undefined;
    } catch {
      return undefined;
    }
  });

describe('error handling of a sink task', () => {
  it('reports errant records to the DLQ (TASK_PUT), resolves each report, and commits past them', async () => {
    const metrics = new ConnectMetrics();
    const h = await herder(metrics);
    const topic = uniqueName('errant');
    const dlq = `${topic}-dlq`;
    const name = uniqueName('reporting');
    await send(topic, ['"ok-1"', '"bad-1"', '"ok-2"', '"bad-2"']);
    await h.putConnectorConfig(
      name,
      {
        'connector.class': 'ReportingSink',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        topics: topic,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
      NEW,
    );
    await waitFor('both bad records reported', () => seen.get(name)?.reported.length === 2);
    expect(seen.get(name)).toMatchObject({ written: ['ok-1', 'ok-2'], reported: ['bad-1', 'bad-2'] });

    const records = await readTopic(kafkaBootstrap(), dlq, 2);
    expect(records.map((r) => r.value?.toString())).toEqual(['"bad-1"', '"bad-2"']);
    expect(records.map((r) => r.key?.toString())).toEqual(['k', 'k']);
    expect(records.map((r) => header(r, 'offset'))).toEqual(['1', '3']);
    expect(header(records[0] as never, 'stage')).toBe('TASK_PUT');
    expect(header(records[0] as never, 'class.name')).toBe('org.apache.kafka.connect.sink.SinkTask');
    expect(header(records[0] as never, 'exception.class.name')).toBe(
      'org.apache.kafka.connect.errors.DataException',
    );
    expect(header(records[0] as never, 'exception.message')).toBe('refused bad-1');

    await waitFor('offsets committed past the reported records', async () => {
      const { offsets } = await h.connectorOffsets(name);
      return offsets.some((o) => (o.offset as { kafka_offset?: number }).kafka_offset === 4);
    });
    const m = parseExposition(await metrics.registry.metrics());
    const labels = { connector: name, task: '0' };
    expect(valueOf(m, 'kafka_connect_task_error_deadletterqueue_produce_requests', labels)).toBe(2);
    expect(valueOf(m, 'kafka_connect_task_error_total_record_failures', labels)).toBe(2);
    expect(valueOf(m, 'kafka_connect_task_error_total_records_skipped', labels)).toBe(0);
  });

  it('gives no errant record reporter without a DLQ or errors.log.enable, as Java', async () => {
    const h = await herder();
    const name = uniqueName('plain');
    await h.putConnectorConfig(
      name,
      {
        'connector.class': 'ReportingSink',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        topics: uniqueName('plain'),
        'errors.tolerance': 'all',
      },
      NEW,
    );
    await waitFor('the task started', () => seen.has(name));
    expect(seen.get(name)?.reporter).toBeNull();
  });

  it('errors.tolerance=none: bad JSON fails the task, and the DLQ still gets the record first', async () => {
    const h = await herder();
    const topic = uniqueName('strict');
    const dlq = `${topic}-dlq`;
    const name = uniqueName('strict');
    await send(topic, ['"fine"', '{oops']);
    await h.putConnectorConfig(
      name,
      {
        'connector.class': 'ReportingSink',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        topics: topic,
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
      NEW,
    );
    const status = await waitFor('the task FAILED', async () => {
      const s = await taskState(h, name);
      return s.state === 'FAILED' ? s : undefined;
    });
    expect(status.trace).toContain('Tolerance exceeded in error handler');
    expect(status.trace).toContain('Converting byte[] to Kafka Connect data failed');
    const [record] = await readTopic(kafkaBootstrap(), dlq, 1);
    expect(record?.value?.toString()).toBe('{oops');
    expect(header(record as never, 'stage')).toBe('VALUE_CONVERTER');
    expect(header(record as never, 'class.name')).toBe('org.apache.kafka.connect.json.JsonConverter');
  });

  it('a DLQ replication factor above the broker count fails the task at start, as Java', async () => {
    const h = await herder();
    const name = uniqueName('rf');
    const dlq = uniqueName('rf-dlq');
    await h.putConnectorConfig(
      name,
      {
        'connector.class': 'ReportingSink',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        topics: uniqueName('rf'),
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
      },
      NEW,
    );
    const status = await taskState(h, name);
    expect(status.state).toBe('FAILED');
    expect(status.trace).toContain(`Could not initialize dead letter queue with topic=${dlq}`);
    expect(status.trace).toMatch(/replication factor/i);
    const admin = new Admin({ clientId: 'rf-check', bootstrapBrokers: [kafkaBootstrap()] });
    try {
      expect(await admin.listTopics()).not.toContain(dlq);
    } finally {
      await admin.close();
    }
  });
});
