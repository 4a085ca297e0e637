// A sink's consumed message → SinkRecord: key, value and header converters, then each transformation,
// in Java's order and with Java's stages (KEY_CONVERTER, VALUE_CONVERTER, HEADER_CONVERTER,
// TRANSFORMATION), under the retry-and-tolerance operator. Records that do not fail take a plain
// synchronous path; a failure goes to the operator, and one it may retry runs again asynchronously.
import type { Header, SchemaAndValue, SinkRecord } from '../../api/index.ts';
import type { RecordConverters, TransformationChain, TransformationStage } from '../plugins-for-connector.ts';
import type { ConsumedRecord } from './log-reporter.ts';
import { ProcessingContext, type Stage } from './processing-context.ts';
import { RETRY_ASYNC, type RetryWithToleranceOperator } from './retry-with-tolerance.ts';

export class SinkRecordPipeline {
  private readonly operator: RetryWithToleranceOperator<ConsumedRecord>;
  private readonly converters: RecordConverters;
  private readonly transforms: readonly TransformationStage<SinkRecord>[];

  constructor(
    operator: RetryWithToleranceOperator<ConsumedRecord>,
    converters: RecordConverters,
    chain: TransformationChain<SinkRecord>,
  ) {
    this.operator = operator;
    this.converters = converters;
    this.transforms = chain.stages;
  }

  /** The record for put(); null when it was skipped or a transformation dropped it. */
  process(message: ConsumedRecord): SinkRecord | null | Promise<SinkRecord | null> {
    const names = this.converters.classNames;
    let stage: Stage = 'KEY_CONVERTER';
    let executingClass = names.key;
    let step = 0; // the stage's place in the pipeline: key, value, headers, then each transformation
    try {
      const { headers, headerError } = this.tryHeaders(message);
      const key = this.convert(message, headers, 'key');
      stage = 'VALUE_CONVERTER';
      executingClass = names.value;
      step = 1;
      const value = this.convert(message, headers, 'value');
      if (headerError !== undefined) {
        stage = 'HEADER_CONVERTER';
        executingClass = names.header;
        step = 2;
        throw headerError;
      }
      stage = 'TRANSFORMATION';
      step = 2;
      let current: SinkRecord | null = sinkRecord(message, key, value, headers);
      for (const transform of this.transforms) {
        executingClass = transform.className;
        step++;
        current = transform.apply(current);
        if (current === null) return null;
      }
      return current;
    } catch (error) {
      const context = new ProcessingContext(message);
      if (this.operator.failedSync(context, stage, executingClass, error) === RETRY_ASYNC)
        return this.processRetrying(message, step, error);
      return null;
    }
  }

  /**
   * process() again from the start, each stage retried with back-off while it throws a
   * RetriableException; the stage at `failedStep` already failed once with `failure`.
   */
  private async processRetrying(
    message: ConsumedRecord,
    failedStep: number,
    failure: unknown,
  ): Promise<SinkRecord | null> {
    const names = this.converters.classNames;
    const context = new ProcessingContext(message);
    const prior = (step: number) => (step === failedStep ? failure : undefined);
    const { headers, headerError } = this.tryHeaders(message);
    const key = await this.operator.execute(
      context,
      'KEY_CONVERTER',
      names.key,
      () => this.convert(message, headers, 'key'),
      prior(0),
    );
    const value = await this.operator.execute(
      context,
      'VALUE_CONVERTER',
      names.value,
      () => this.convert(message, headers, 'value'),
      prior(1),
    );
    await this.operator.execute(
      context,
      'HEADER_CONVERTER',
      names.header,
      () => (headerError === undefined ? headers : this.convertHeaders(message)),
      prior(2),
    );
    if (context.failed || key === undefined || value === undefined) return null;
    let current: SinkRecord | null | undefined = sinkRecord(message, key, value, headers);
    for (const [i, transform] of this.transforms.entries()) {
      const input: SinkRecord = current;
      current = await this.operator.execute(
        context,
        'TRANSFORMATION',
        transform.className,
        () => transform.apply(input),
        prior(3 + i),
      );
      if (current === null || current === undefined) return null;
    }
    return current;
  }

  /**
   * The headers, converted ahead of the key and value (their converters see them); a failure counts
   * after theirs, in Java's stage order.
   */
  private tryHeaders(message: ConsumedRecord): { headers: Header[]; headerError: unknown } {
    if (message.headerEntries.length === 0) return { headers: [], headerError: undefined };
    try {
      return { headers: this.convertHeaders(message), headerError: undefined };
    } catch (error) {
      return { headers: [], headerError: error };
    }
  }

  private convertHeaders(message: ConsumedRecord): Header[] {
    const converter = this.converters.header;
    return message.headerEntries.map(([k, v]) => {
      const key = k.toString();
      const { schema, value } = converter.toConnectHeader(message.topic, key, v);
      return { key, schema, value };
    });
  }

  private convert(message: ConsumedRecord, headers: Header[], part: 'key' | 'value'): SchemaAndValue {
    const raw = message[part];
    const bytes = raw && raw.length > 0 ? raw : null;
    return this.converters[part].toConnectData(message.topic, headers, bytes);
  }
}

function sinkRecord(
  message: ConsumedRecord,
  key: SchemaAndValue,
  value: SchemaAndValue,
  headers: Header[],
): SinkRecord {
  return {
    topic: message.topic,
    kafkaPartition: message.partition,
    kafkaOffset: message.offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: Number(message.timestamp),
    timestampType: 'CreateTime',
    headers,
    originalTopic: message.topic,
    originalKafkaPartition: message.partition,
    originalKafkaOffset: message.offset,
  };
}
