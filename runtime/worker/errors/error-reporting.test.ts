import { describe, expect, it } from 'vitest';
import {
  DataException,
  RetriableException,
  Schemas,
  sourceRecord,
  type ConnectRecord,
  type SinkRecord,
  type SourceRecord,
  type Transformation,
} from '../../api/index.ts';
import { NullPointerException } from '../../transforms/support/java-exceptions.ts';
import { setLoggerLevel } from '../../logging.ts';
import { ErrorMetrics } from '../../metrics/task-metrics.ts';
import { TransformationChain } from '../plugins-for-connector.ts';
import { deadLetterMessage } from './dead-letter-queue-reporter.ts';
import { errorSettings } from './error-settings.ts';
import {
  describeConsumedRecord,
  describeSourceRecord,
  LogReporter,
  type ConsumedRecord,
} from './log-reporter.ts';
import { exceptionClassName, ProcessingContext } from './processing-context.ts';
import { RetryWithToleranceOperator, type Clock } from './retry-with-tolerance.ts';
import { SinkRecordPipeline } from './sink-record-pipeline.ts';
import { SourceRecordPipeline } from './source-record-pipeline.ts';
import { JSON_CONVERTER, recordConverters } from './testing/record-converters.ts';

const consumed = (value: string, offset = 7n): ConsumedRecord => ({
  topic: 'orders',
  partition: 2,
  offset,
  timestamp: 1_700_000_000_123n,
  key: Buffer.from('k1'),
  value: Buffer.from(value),
  headerEntries: [[Buffer.from('trace'), Buffer.from('abc')]],
});

/** A transformation that refuses odd numbers. */
const refuseOdd: Transformation<SinkRecord> = {
  configure: () => {},
  apply: (record) => {
    if ((record.value as number) % 2 === 1) throw new DataException(`odd: ${String(record.value)}`);
    return record;
  },
  config: () => undefined as never,
  close: () => {},
};

/** A transformation that throws RetriableException twice for the value 1000, then lets it through. */
function busyTwice<R extends ConnectRecord>(): Transformation<R> {
  let failures = 0;
  return {
    configure: () => {},
    apply: (record) => {
      if (record.value === 1000 && failures++ < 2) throw new RetriableException('busy');
      return record;
    },
    config: () => undefined as never,
    close: () => {},
  };
}

/** Time that moves only when the operator sleeps. */
function fakeClock(): Clock & { sleeps: number[] } {
  let time = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: (ms) => {
      sleeps.push(ms);
      time += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
}

function pipeline(props: Record<string, string>, clock?: Clock) {
  const metrics = new ErrorMetrics();
  const operator = new RetryWithToleranceOperator<ConsumedRecord>(errorSettings(props), metrics, clock);
  const contexts: ProcessingContext<ConsumedRecord>[] = [];
  operator.reporters([
    {
      report: (c) => void contexts.push(Object.assign(new ProcessingContext(c.original), c)),
      close: () => Promise.resolve(),
    },
  ]);
  const chain = new TransformationChain<SinkRecord>([
    { alias: 'odd', className: 'com.example.RefuseOdd', transformation: refuseOdd, negate: false },
    { alias: 'busy', className: 'com.example.Busy', transformation: busyTwice(), negate: false },
  ]);
  return { pipeline: new SinkRecordPipeline(operator, recordConverters(), chain), metrics, contexts };
}

describe('sink record pipeline', () => {
  it('converts and transforms a good record', () => {
    const { pipeline: p, contexts } = pipeline({ 'errors.tolerance': 'all' });
    const record = p.process(consumed('42')) as SinkRecord;
    expect(record).toMatchObject({ key: 'k1', value: 42, kafkaOffset: 7n, headers: [{ key: 'trace' }] });
    expect(contexts).toEqual([]);
  });

  it('skips bad JSON at VALUE_CONVERTER with the converter class, and a refused record at TRANSFORMATION', () => {
    const { pipeline: p, metrics, contexts } = pipeline({ 'errors.tolerance': 'all' });
    expect(p.process(consumed('{not json'))).toBeNull();
    expect(p.process(consumed('3'))).toBeNull();
    expect(contexts.map((c) => [c.stage, c.executingClass])).toEqual([
      ['VALUE_CONVERTER', JSON_CONVERTER],
      ['TRANSFORMATION', 'com.example.RefuseOdd'],
    ]);
    expect(exceptionClassName(contexts[0]?.error)).toBe('org.apache.kafka.connect.errors.DataException');
    expect(exceptionClassName(new NullPointerException('x'))).toBe('java.lang.NullPointerException');
    expect(exceptionClassName(new TypeError('x'))).toBe('TypeError');
    expect(metrics).toMatchObject({ recordFailures: 2, recordErrors: 2, recordsSkipped: 2 });
  });

  it('retries a transformation that throws RetriableException, waiting between attempts', async () => {
    const clock = fakeClock();
    const { pipeline: p, metrics } = pipeline({ 'errors.retry.timeout': '-1' }, clock);
    const pending = p.process(consumed('1000'));
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toMatchObject({ value: 1000, kafkaOffset: 7n });
    expect(clock.sleeps).toEqual([300, 600]);
    expect(metrics).toMatchObject({ retries: 2, recordFailures: 2, recordErrors: 0 });
  });

  it('fails on the first bad record with errors.tolerance=none', () => {
    const { pipeline: p } = pipeline({});
    expect(() => p.process(consumed('{not json'))).toThrow('Tolerance exceeded in error handler');
  });
});

describe('error reports', () => {
  const failed = () => {
    const context = new ProcessingContext(consumed('{not json'));
    context.position('VALUE_CONVERTER', JSON_CONVERTER);
    context.error = new DataException('Converting byte[] to Kafka Connect data failed');
    return context;
  };

  it('the DLQ record: the raw record, its headers, then the ten context headers in Java order', () => {
    const message = deadLetterMessage('dlq', failed(), { connector: 'sink', task: 0 }, true);
    expect(message.key?.toString()).toBe('k1');
    expect(message.value?.toString()).toBe('{not json');
    expect(message.timestamp).toBe(1_700_000_000_123n);
    const headers = message.headers.map(([k, v]) => [k.toString(), v?.toString()]);
    expect(headers.slice(0, 9)).toEqual([
      ['trace', 'abc'],
      ['__connect.errors.topic', 'orders'],
      ['__connect.errors.partition', '2'],
      ['__connect.errors.offset', '7'],
      ['__connect.errors.connector.name', 'sink'],
      ['__connect.errors.task.id', '0'],
      ['__connect.errors.stage', 'VALUE_CONVERTER'],
      ['__connect.errors.class.name', JSON_CONVERTER],
      ['__connect.errors.exception.class.name', 'org.apache.kafka.connect.errors.DataException'],
    ]);
    expect(headers[9]).toEqual([
      '__connect.errors.exception.message',
      'Converting byte[] to Kafka Connect data failed',
    ]);
    expect(headers[10]?.[0]).toBe('__connect.errors.exception.stacktrace');
    expect(headers[10]?.[1]).toMatch(
      /^org\.apache\.kafka\.connect\.errors\.DataException: Converting byte\[\] to Kafka Connect data failed\n\tat /,
    );
    expect(deadLetterMessage('dlq', failed(), { connector: 'sink', task: 0 }, false).headers).toHaveLength(1);
  });

  it("the log line is Java's LogReporter message", () => {
    setLoggerLevel('org.apache.kafka.connect.runtime.errors.LogReporter', 'OFF'); // not in the test output
    const metrics = new ErrorMetrics();
    const settings = errorSettings({ 'errors.log.enable': 'true', 'errors.log.include.messages': 'true' });
    const id = { connector: 'sink', task: 3 };
    const reporter = new LogReporter(id, settings, metrics, describeConsumedRecord);
    expect(reporter.message(failed())).toBe(
      "Error encountered in task sink-3. Executing stage 'VALUE_CONVERTER' with class " +
        "'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='orders', " +
        'partition=2, offset=7, timestamp=1700000000123, timestampType=CreateTime}.',
    );
    reporter.report(failed());
    expect(metrics.errorsLogged).toBe(1);
    new LogReporter(id, errorSettings({}), metrics, describeConsumedRecord).report(failed());
    expect(metrics.errorsLogged).toBe(1);
  });

  it("a source record in the log line is Java's SourceRecord.toString()", () => {
    const record = sourceRecord({
      sourcePartition: { filename: '/tmp/a' },
      sourceOffset: { position: 42 },
      topic: 't',
      valueSchema: Schemas.STRING,
      value: 'hello',
    });
    expect(describeSourceRecord(record)).toBe(
      ', where source record is = SourceRecord{sourcePartition={filename=/tmp/a}, sourceOffset={position=42}} ' +
        "ConnectRecord{topic='t', kafkaPartition=null, key=null, keySchema=null, value=hello, " +
        'valueSchema=Schema{STRING}, timestamp=null, headers=ConnectHeaders(headers=)}',
    );
    const withHeader = { ...record, headers: [{ key: 'h', schema: Schemas.INT32, value: 7 }] };
    expect(describeSourceRecord(withHeader)).toContain(
      'headers=ConnectHeaders(headers=[ConnectHeader(key=h, value=7, schema=Schema{INT32})])}',
    );
  });
});

describe('source record pipeline', () => {
  function sourcePipeline(props: Record<string, string>, clock?: Clock) {
    const metrics = new ErrorMetrics();
    const operator = new RetryWithToleranceOperator<SourceRecord>(errorSettings(props), metrics, clock);
    const stages: (string | undefined)[] = [];
    operator.reporters([{ report: (c) => void stages.push(c.stage), close: () => Promise.resolve() }]);
    const chain = new TransformationChain<SourceRecord>([
      { alias: 'busy', className: 'com.example.Busy', transformation: busyTwice(), negate: false },
    ]);
    return { pipeline: new SourceRecordPipeline(operator, recordConverters(), chain), metrics, stages };
  }
  const record = (value: unknown, valueSchema = Schemas.INT32) =>
    sourceRecord({ topic: 't', key: 'k', keySchema: Schemas.STRING, value, valueSchema });

  it('retries a transformation, then converts the record', async () => {
    const clock = fakeClock();
    const { pipeline: p } = sourcePipeline({ 'errors.retry.timeout': '10000' }, clock);
    const message = await p.process(record(1000));
    expect(message?.value?.toString()).toBe('1000');
    expect(message?.key?.toString()).toBe('k');
    expect(clock.sleeps).toEqual([300, 600]);
  });

  it('skips a record its value converter refuses, at VALUE_CONVERTER', () => {
    const { pipeline: p, metrics, stages } = sourcePipeline({ 'errors.tolerance': 'all' });
    expect(p.process(record('not a number'))).toBeNull();
    expect(stages).toEqual(['VALUE_CONVERTER']);
    expect(metrics.recordsSkipped).toBe(1);
  });
});
