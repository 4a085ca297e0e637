// Side by side with Apache Kafka Connect 4.3.1: a Java ConnectStandalone and `weir connect-standalone`
// on the same broker run the same FileStreamSink connectors over the same poison records, with
// errors.tolerance=all, a dead letter queue of their own and context headers; the two DLQ topics are
// compared record by record (key, value, timestamp, header names in order and their values), and so
// are the files written and the error log lines; and a DLQ replication factor the broker cannot meet
// fails the task at start on both.
//
// Compared by nature rather than by value:
// - __connect.errors.connector.name: each side's own connector name;
// - __connect.errors.exception.stacktrace: present on both (Java frames vs JavaScript frames);
// - __connect.errors.exception.message of bad JSON: Java's is "Converting byte[] to Kafka Connect data
//   failed due to serialization error: " (Jackson's reason is only in the cause); Weir's is the same
//   text followed by its parser's reason, so Java's must be a prefix of Weir's.
// Everything else, exception class names included, must be equal.
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJavaConnectStandalone, type JavaConnectProcess } from '../../../tools/java-connect-process.ts';
import { readTopic, type RawRecord } from '../../../tools/kafka/read-topic.ts';
import { kafkaBootstrap, uniqueName } from '../../../tools/vitest/kafka.ts';
import { http, startWeirStandalone, waitFor, type WeirProcess } from '../../../tools/weir-process.ts';

type Side = 'java' | 'weir';
const SIDES: Side[] = ['java', 'weir'];
const STACKTRACE = '__connect.errors.exception.stacktrace';
const MESSAGE = '__connect.errors.exception.message';
const CONNECTOR = '__connect.errors.connector.name';

const dir = mkdtempSync(join(tmpdir(), 'weir-dlq-compat-'));
const run = uniqueName('dlq');
const topics = { json: `${run}-json`, cast: `${run}-cast` };
const workers: Partial<Record<Side, { url: string; log: string; stop: () => Promise<unknown> }>> = {};

const connectorName = (side: Side, kind: 'json' | 'cast') => `${run}-${kind}-${side}`;
const dlqTopic = (side: Side, kind: 'json' | 'cast') => `${run}-${kind}-dlq-${side}`;
const outputFile = (side: Side, kind: 'json' | 'cast') => join(dir, `${side}-${kind}.txt`);

/** Records with keys, headers and timestamps of their own; values are raw bytes (not all JSON). */
const POISON: Record<
  'json' | 'cast',
  { key: string | undefined; value: string; headers?: Record<string, string> }[]
> = {
  json: [
    { key: 'a', value: '"ok-1"', headers: { src: 't1' } },
    { key: 'b', value: '{"broken": ', headers: { src: 't2' } },
    { key: undefined, value: '"ok-2"' },
    { key: undefined, value: 'not json at all', headers: { src: 't4', extra: 'x' } },
  ],
  // Cast$Value spec=int32 on string values: Integer.parseInt refuses "abc" and "1.5".
  cast: [
    { key: 'n1', value: '"12"' },
    { key: 'n2', value: '"abc"', headers: { why: 'letters' } },
    { key: 'n3', value: '"7"' },
    { key: 'n4', value: '"1.5"' },
  ],
};
const FIRST_TIMESTAMP = 1_700_000_000_000n;

function connectorConfig(side: Side, kind: 'json' | 'cast'): Record<string, string> {
  return {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    topics: topics[kind],
    file: outputFile(side, kind),
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    'errors.tolerance': 'all',
    'errors.log.enable': 'true',
    'errors.log.include.messages': 'true',
    'errors.deadletterqueue.topic.name': dlqTopic(side, kind),
    'errors.deadletterqueue.topic.replication.factor': '1',
    'errors.deadletterqueue.context.headers.enable': 'true',
    ...(kind === 'cast'
      ? {
          transforms: 'cast',
          'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value',
          'transforms.cast.spec': 'int32',
        }
      : {}),
  };
}

async function sendPoison(): Promise<void> {
  const admin = new Admin({ clientId: 'dlq-compat', bootstrapBrokers: [kafkaBootstrap()] });
  try {
    await admin.createTopics({ topics: Object.values(topics), partitions: 1, replicas: 1 });
  } finally {
    await admin.close();
  }
  const producer = new Producer({
    clientId: 'dlq-compat',
    bootstrapBrokers: [kafkaBootstrap()],
    serializers: stringSerializers,
  });
  try {
    for (const kind of ['json', 'cast'] as const) {
      await producer.send({
        acks: -1,
        messages: POISON[kind].map((r, i) => ({
          topic: topics[kind],
          ...(r.key === undefined ? {} : { key: r.key }),
          value: r.value,
          timestamp: FIRST_TIMESTAMP + BigInt(i),
          ...(r.headers ? { headers: new Map(Object.entries(r.headers)) } : {}),
        })),
      });
    }
  } finally {
    await producer.close();
  }
}

beforeAll(async () => {
  const [java, weir] = await Promise.all([
    startJavaConnectStandalone({ dir, bootstrap: kafkaBootstrap() }),
    startWeirStandalone({ dir: join(dir, 'weir'), bootstrap: kafkaBootstrap() }),
  ]);
  workers.java = {
    url: (java as JavaConnectProcess).url,
    log: join(dir, 'java-connect.log'),
    stop: () => java.stop(),
  };
  workers.weir = {
    url: (weir as WeirProcess).url,
    log: join(dir, 'weir', 'weir.log'),
    stop: () => weir.stop(),
  };
  await sendPoison();
  for (const side of SIDES) {
    for (const kind of ['json', 'cast'] as const) {
      const name = connectorName(side, kind);
      const r = await http(
        'PUT',
        `${workers[side]?.url}/connectors/${name}/config`,
        connectorConfig(side, kind),
      );
      expect(r.status, `${side}: PUT ${name}: ${JSON.stringify(r.body)}`).toBe(201);
    }
  }
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(SIDES.map((side) => workers[side]?.stop()));
});

const headerValue = (record: RawRecord, name: string) =>
  record.headers.find(([k]) => k === name)?.[1]?.toString() ?? null;

/** The differences between Java's and Weir's DLQ record (none when they match). */
function differences(java: RawRecord, weir: RawRecord, kind: 'json' | 'cast'): string[] {
  const problems: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (a !== b) problems.push(`${what}: Java ${String(a)}, Weir ${String(b)}`);
  };
  same('key', java.key?.toString() ?? null, weir.key?.toString() ?? null);
  same('value', java.value?.toString() ?? null, weir.value?.toString() ?? null);
  same('timestamp', java.timestamp, weir.timestamp);
  same('header names', java.headers.map(([k]) => k).join(','), weir.headers.map(([k]) => k).join(','));
  for (const [name, value] of java.headers) {
    const javaText = value?.toString() ?? null;
    const weirText = headerValue(weir, name);
    if (name === STACKTRACE) same(`${name} present`, javaText !== null, weirText !== null);
    else if (name === CONNECTOR) {
      same(name, javaText, connectorName('java', kind));
      same(name, weirText, connectorName('weir', kind));
    } else if (name === MESSAGE && kind === 'json') {
      if (!(weirText ?? '').startsWith(javaText ?? ''))
        problems.push(`${name}: Weir's ${weirText} does not start with Java's ${javaText}`);
    } else same(name, javaText, weirText);
  }
  return problems;
}

/** The error log line of each side for the connector, its names replaced by {NAME}, {TOPIC}. */
function errorLogLines(side: Side, kind: 'json' | 'cast'): string[] {
  const file = workers[side]?.log as string;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const pattern = new RegExp(
    `Error encountered in task ${connectorName(side, kind)}-0\\. [^"\\n]*?\\}\\.`,
    'g',
  );
  return [...text.matchAll(pattern)].map((m) =>
    m[0].replaceAll(connectorName(side, kind), '{NAME}').replaceAll(topics[kind], '{TOPIC}'),
  );
}

describe('the dead letter queue, side by side with Apache Kafka Connect 4.3.1', () => {
  it.each(['json', 'cast'] as const)(
    '%s: the same DLQ records, files and error log lines',
    async (kind) => {
      const [java, weir] = await Promise.all(
        SIDES.map((side) => readTopic(kafkaBootstrap(), dlqTopic(side, kind), 2, 60_000)),
      );
      expect(java).toHaveLength(2);
      expect(weir).toHaveLength(2);
      java.forEach((record, i) => expect(differences(record, weir[i] as RawRecord, kind)).toEqual([]));
      // Both hold the failed records as consumed, in order.
      expect(weir.map((r) => headerValue(r, '__connect.errors.offset'))).toEqual(['1', '3']);
      for (const record of weir) expect(headerValue(record, STACKTRACE)).toMatch(/\n\tat /);

      // One partition each, as Java creates it.
      const admin = new Admin({ clientId: 'dlq-compat-check', bootstrapBrokers: [kafkaBootstrap()] });
      try {
        const metadata = await admin.metadata({ topics: SIDES.map((side) => dlqTopic(side, kind)) });
        for (const side of SIDES) expect(metadata.topics.get(dlqTopic(side, kind))?.partitionsCount).toBe(1);
      } finally {
        await admin.close();
      }

      const lines = (side: Side) =>
        waitFor(`${side}'s ${kind} output`, () => {
          const file = outputFile(side, kind);
          const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
          return text.split('\n').filter(Boolean).length >= 2 ? text : undefined;
        });
      expect(await lines('weir')).toBe(await lines('java'));

      const javaLog = await waitFor('Java error log lines', () =>
        errorLogLines('java', kind).length >= 2 ? errorLogLines('java', kind) : undefined,
      );
      expect(errorLogLines('weir', kind)).toEqual(javaLog);
    },
    120_000,
  );

  it('a DLQ replication factor above the broker count fails the task at start on both', async () => {
    const states = await Promise.all(
      SIDES.map(async (side) => {
        const url = workers[side]?.url as string;
        const name = `${run}-rf-${side}`;
        const config = {
          ...connectorConfig(side, 'json'),
          'errors.deadletterqueue.topic.name': `${run}-rf-dlq-${side}`,
          'errors.deadletterqueue.topic.replication.factor': '3',
        };
        expect((await http('PUT', `${url}/connectors/${name}/config`, config)).status).toBe(201);
        return waitFor(`${side}: ${name}'s task FAILED`, async () => {
          const { body } = await http('GET', `${url}/connectors/${name}/status`);
          const task = (body as { tasks?: { state: string; trace?: string }[] }).tasks?.[0];
          return task?.state === 'FAILED' ? task : undefined;
        });
      }),
    );
    for (const [i, side] of SIDES.entries())
      expect(states[i]?.trace).toContain(
        `Could not initialize dead letter queue with topic=${run}-rf-dlq-${side}`,
      );
  }, 120_000);
});
