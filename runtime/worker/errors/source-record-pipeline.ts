// A source record → the producer's message: each transformation, then the header, key and value
// converters, in Java's order and with Java's stages, under the retry-and-tolerance operator. Records
// that do not fail take a plain synchronous path; a failure goes to the operator, and one it may retry
// runs again asynchronously.
import type { SourceRecord } from '../../api/index.ts';
import type { RecordConverters, TransformationChain, TransformationStage } from '../plugins-for-connector.ts';
import { ProcessingContext, type Stage } from './processing-context.ts';
import { RETRY_ASYNC, type RetryWithToleranceOperator } from './retry-with-tolerance.ts';

export type ProducerMessage = {
  topic: string;
  partition?: number;
  key?: Buffer;
  value?: Buffer;
  headers?: Map<Buffer, Buffer>;
  timestamp?: bigint;
};

/** The bytes as a Buffer, without a copy (and without a new view when they already are one). */
const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export class SourceRecordPipeline {
  private readonly operator: RetryWithToleranceOperator<SourceRecord>;
  private readonly converters: RecordConverters;
  private readonly transforms: readonly TransformationStage<SourceRecord>[];

  constructor(
    operator: RetryWithToleranceOperator<SourceRecord>,
    converters: RecordConverters,
    chain: TransformationChain<SourceRecord>,
  ) {
    this.operator = operator;
    this.converters = converters;
    this.transforms = chain.stages;
  }

  /** The message to produce; null when a transformation dropped the record or it was skipped. */
  process(record: SourceRecord): ProducerMessage | null | Promise<ProducerMessage | null> {
    const names = this.converters.classNames;
    let stage: Stage = 'TRANSFORMATION';
    let executingClass = '';
    let step = -1; // the stage's place in the pipeline: each transformation, then headers, key, value
    try {
      let current: SourceRecord | null = record;
      for (const transform of this.transforms) {
        executingClass = transform.className;
        step++;
        current = transform.apply(current);
        if (current === null) return null;
      }
      stage = 'HEADER_CONVERTER';
      executingClass = names.header;
      step = this.transforms.length;
      const headers = this.headers(current);
      stage = 'KEY_CONVERTER';
      executingClass = names.key;
      step++;
      const key = this.convert(current, 'key');
      stage = 'VALUE_CONVERTER';
      executingClass = names.value;
      step++;
      return message(current, headers, key, this.convert(current, 'value'));
    } catch (error) {
      const context = new ProcessingContext(record);
      if (this.operator.failedSync(context, stage, executingClass, error) === RETRY_ASYNC)
        return this.processRetrying(record, step, error);
      return null;
    }
  }

  /**
   * process() again from the start, each stage retried with back-off while it throws a
   * RetriableException; the stage at `failedStep` already failed once with `failure`.
   */
  private async processRetrying(
    record: SourceRecord,
    failedStep: number,
    failure: unknown,
  ): Promise<ProducerMessage | null> {
    const names = this.converters.classNames;
    const context = new ProcessingContext(record);
    const prior = (step: number) => (step === failedStep ? failure : undefined);
    let current: SourceRecord | null | undefined = record;
    for (const [i, transform] of this.transforms.entries()) {
      const input: SourceRecord = current;
      current = await this.operator.execute(
        context,
        'TRANSFORMATION',
        transform.className,
        () => transform.apply(input),
        prior(i),
      );
      if (current === null || current === undefined) return null;
    }
    const transformed: SourceRecord = current;
    const converted = this.transforms.length;
    const headers = await this.operator.execute(
      context,
      'HEADER_CONVERTER',
      names.header,
      () => this.headers(transformed),
      prior(converted),
    );
    const key = await this.operator.execute(
      context,
      'KEY_CONVERTER',
      names.key,
      () => this.convert(transformed, 'key'),
      prior(converted + 1),
    );
    const value = await this.operator.execute(
      context,
      'VALUE_CONVERTER',
      names.value,
      () => this.convert(transformed, 'value'),
      prior(converted + 2),
    );
    // Only a failed stage gives undefined (a record without headers has undefined headers too).
    if (context.failed || key === undefined || value === undefined) return null;
    return message(transformed, headers, key, value);
  }

  private headers(record: SourceRecord): Map<Buffer, Buffer> | undefined {
    // Per-record allocations add up at 100k+ records/s: no header map unless there are headers.
    let headers: Map<Buffer, Buffer> | undefined;
    for (const header of record.headers) {
      const bytes = this.converters.header.fromConnectHeader(
        record.topic,
        header.key,
        header.schema,
        header.value,
      );
      headers ??= new Map();
      headers.set(Buffer.from(header.key), bytes ? Buffer.from(bytes) : Buffer.alloc(0));
    }
    return headers;
  }

  private convert(record: SourceRecord, part: 'key' | 'value'): Uint8Array | null {
    const schema = part === 'key' ? record.keySchema : record.valueSchema;
    return this.converters[part].fromConnectData(record.topic, record.headers, schema, record[part]);
  }
}

function message(
  record: SourceRecord,
  headers: Map<Buffer, Buffer> | undefined,
  key: Uint8Array | null,
  value: Uint8Array | null,
): ProducerMessage {
  const result: ProducerMessage = { topic: record.topic };
  if (key) result.key = asBuffer(key);
  if (value) result.value = asBuffer(value);
  if (headers) result.headers = headers;
  if (record.kafkaPartition !== null) result.partition = record.kafkaPartition;
  if (record.timestamp !== null) result.timestamp = BigInt(record.timestamp);
  return result;
}
