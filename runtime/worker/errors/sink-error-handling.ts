// A sink task's error handling, put together as Java's Worker does for a WorkerSinkTask: the retry-
// and-tolerance operator, its reporters (the log, and the dead letter queue when it has a topic), the
// errant record reporter a task may use (when there is a DLQ or errors.log.enable, else null), and the
// pipeline that converts and transforms consumed records under the operator.
import type { ErrantRecordReporter, Props, SinkRecord } from '../../api/index.ts';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { logger } from '../../logging.ts';
import type { ErrorMetrics } from '../../metrics/task-metrics.ts';
import type { TaskId } from '../../storage/status-store.ts';
import type { RecordConverters, TransformationChain } from '../plugins-for-connector.ts';
import { DeadLetterQueueReporter } from './dead-letter-queue-reporter.ts';
import { WorkerErrantRecordReporter } from './errant-record-reporter.ts';
import { errorSettings } from './error-settings.ts';
import { describeConsumedRecord, LogReporter, type ConsumedRecord } from './log-reporter.ts';
import { RetryWithToleranceOperator, type ErrorReporter } from './retry-with-tolerance.ts';
import { SinkRecordPipeline } from './sink-record-pipeline.ts';

export interface SinkErrorHandling {
  readonly operator: RetryWithToleranceOperator<ConsumedRecord>;
  readonly pipeline: SinkRecordPipeline;
  readonly errant: WorkerErrantRecordReporter;
  /** What SinkTaskContext.errantRecordReporter() returns. */
  readonly errantRecordReporter: ErrantRecordReporter | null;
  /** Waits for the reports in flight, then closes the reporters (the DLQ producer). */
  close(): Promise<void>;
}

export async function sinkErrorHandling(options: {
  id: TaskId;
  connectorProps: Props;
  worker: WorkerConfig;
  converters: RecordConverters;
  chain: TransformationChain<SinkRecord>;
  metrics: ErrorMetrics;
}): Promise<SinkErrorHandling> {
  const { id, connectorProps, worker, converters, metrics } = options;
  const settings = errorSettings(connectorProps);
  const operator = new RetryWithToleranceOperator<ConsumedRecord>(settings, metrics);
  const reporters: ErrorReporter<ConsumedRecord>[] = [
    new LogReporter(id, settings, metrics, describeConsumedRecord),
  ];
  if (settings.dlqTopic !== '') {
    const log = logger('org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter').child(id);
    reporters.push(await DeadLetterQueueReporter.create(id, settings, metrics, log, worker, connectorProps));
  }
  operator.reporters(reporters);
  const enabled = settings.dlqTopic !== '' || settings.logErrors;
  const errant = new WorkerErrantRecordReporter(operator, converters, enabled);
  operator.onReport = (context, reported) => errant.hold(context.original, reported);
  return {
    operator,
    pipeline: new SinkRecordPipeline(operator, converters, options.chain),
    errant,
    errantRecordReporter: enabled ? errant.report : null,
    async close() {
      try {
        await errant.awaitAll();
      } finally {
        await operator.close();
      }
    },
  };
}
