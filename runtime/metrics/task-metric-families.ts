// The per-task metric families, labelled {connector, task}, named as Strimzi's JMX exporter rules name
// Java's connector-task-metrics, source-task-metrics, sink-task-metrics and task-error-metrics:
// kafka_connect_<group without -metrics>_<metric>. Help texts follow Kafka's ConnectMetricsRegistry.
import type { Registry } from 'prom-client';
import { defineCollected } from './collected.ts';
import { SinkTaskMetrics, SourceTaskMetrics, type TaskMetrics } from './task-metrics.ts';

type Family<T> = [name: string, help: string, value: (task: T, now: number) => number, type?: 'counter'];

const COMMON: Family<TaskMetrics>[] = [
  [
    'batch_size_avg',
    'The average size of the batches processed by the connector.',
    (t, now) => t.batchSize.avg(now),
  ],
  [
    'batch_size_max',
    'The maximum size of the batches processed by the connector.',
    (t, now) => t.batchSize.max(now),
  ],
  [
    'offset_commit_avg_time_ms',
    'The average time in milliseconds taken by this task to commit offsets.',
    (t, now) => t.commitTime.avg(now),
  ],
  [
    'offset_commit_max_time_ms',
    'The maximum time in milliseconds taken by this task to commit offsets.',
    (t, now) => t.commitTime.max(now),
  ],
  [
    'running_ratio',
    'The fraction of time this task has spent in the running state.',
    (t, now) => t.ratio('RUNNING', now),
  ],
  [
    'pause_ratio',
    'The fraction of time this task has spent in the pause state.',
    (t, now) => t.ratio('PAUSED', now),
  ],
];

const POLLED = 'records produced/polled (before transformation) by this task';
const WRITTEN =
  'records output from the transformations and written to Kafka by this task (filtered ones excluded)';
const ACTIVE = 'records that have been produced by this task but not yet completely written to Kafka';

const SOURCE: Family<SourceTaskMetrics>[] = [
  ['source_record_poll_total', `The total number of ${POLLED}.`, (t) => t.pollTotal, 'counter'],
  [
    'source_record_poll_rate',
    `The average per-second number of ${POLLED}.`,
    (t, now) => t.pollRate.rate(now),
  ],
  ['source_record_write_total', `The number of ${WRITTEN}.`, (t) => t.writeTotal, 'counter'],
  [
    'source_record_write_rate',
    `The average per-second number of ${WRITTEN}.`,
    (t, now) => t.writeRate.rate(now),
  ],
  ['source_record_active_count', `The number of ${ACTIVE}.`, (t) => t.activeCount],
  ['source_record_active_count_max', `The maximum number of ${ACTIVE}.`, (t, now) => t.activeCounts.max(now)],
  ['source_record_active_count_avg', `The average number of ${ACTIVE}.`, (t, now) => t.activeCounts.avg(now)],
  [
    'poll_batch_avg_time_ms',
    'The average time in milliseconds taken by this task to poll for a batch of source records.',
    (t, now) => t.pollTime.avg(now),
  ],
  [
    'poll_batch_max_time_ms',
    'The maximum time in milliseconds taken by this task to poll for a batch of source records.',
    (t, now) => t.pollTime.max(now),
  ],
];

const READ = 'records read from Kafka by this task (before transformations)';
const SENT = 'records output from the transformations and sent/put to this task';

const SINK: Family<SinkTaskMetrics>[] = [
  ['sink_record_read_total', `The total number of ${READ}.`, (t) => t.readTotal, 'counter'],
  ['sink_record_read_rate', `The average per-second number of ${READ}.`, (t, now) => t.readRate.rate(now)],
  ['sink_record_send_total', `The total number of ${SENT}.`, (t) => t.sendTotal, 'counter'],
  ['sink_record_send_rate', `The average per-second number of ${SENT}.`, (t, now) => t.sendRate.rate(now)],
  [
    'put_batch_avg_time_ms',
    'The average time in milliseconds taken by this task to put a batch of sink records.',
    (t, now) => t.putTime.avg(now),
  ],
  [
    'put_batch_max_time_ms',
    'The maximum time in milliseconds taken by this task to put a batch of sink records.',
    (t, now) => t.putTime.max(now),
  ],
  [
    'offset_commit_completion_total',
    'The total number of offset commits that completed successfully.',
    (t) => t.commitCompletions,
    'counter',
  ],
  [
    'offset_commit_completion_rate',
    'The average per-second number of offset commits that completed successfully.',
    (t, now) => t.commitCompletionRate.rate(now),
  ],
  ['offset_commit_seq_no', 'The current sequence number for offset commits.', (t) => t.commitSeqNo],
  ['partition_count', 'The number of topic partitions assigned to this task.', (t) => t.partitionCount],
];

const ERRORS: Family<TaskMetrics>[] = [
  [
    'total_record_failures',
    'The number of record processing failures in this task.',
    (t) => t.errors.recordFailures,
    'counter',
  ],
  [
    'total_record_errors',
    'The number of record processing errors in this task.',
    (t) => t.errors.recordErrors,
    'counter',
  ],
  [
    'total_records_skipped',
    'The number of records skipped due to errors.',
    (t) => t.errors.recordsSkipped,
    'counter',
  ],
  ['total_retries', 'The number of operations retried.', (t) => t.errors.retries, 'counter'],
  ['total_errors_logged', 'The number of errors that were logged.', (t) => t.errors.errorsLogged, 'counter'],
  [
    'deadletterqueue_produce_requests',
    'The number of attempted writes to the dead letter queue.',
    (t) => t.errors.dlqProduceRequests,
    'counter',
  ],
  [
    'deadletterqueue_produce_failures',
    'The number of failed writes to the dead letter queue.',
    (t) => t.errors.dlqProduceFailures,
    'counter',
  ],
  [
    'last_error_timestamp',
    'The epoch timestamp (milliseconds) when this task last encountered an error; 0 if never.',
    (t) => t.errors.lastErrorTimestamp,
  ],
];

const taskLabels = (t: TaskMetrics) => ({ connector: t.connector, task: t.task });

function defineFamilies<T extends TaskMetrics>(
  registry: Registry,
  prefix: string,
  families: Family<T>[],
  items: () => Iterable<T>,
): void {
  for (const [name, help, value, type] of families) {
    defineCollected(registry, {
      name: `${prefix}_${name}`,
      help,
      type,
      labelNames: ['connector', 'task'],
      items,
      labels: taskLabels,
      value,
    });
  }
}

function* ofKind<T extends TaskMetrics>(
  tasks: Iterable<TaskMetrics>,
  kind: new (...a: never[]) => T,
): Iterable<T> {
  for (const t of tasks) if (t instanceof kind) yield t;
}

/** Defines every per-task family over `tasks` (the tasks this worker runs now). */
export function defineTaskMetrics(registry: Registry, tasks: Iterable<TaskMetrics>): void {
  defineCollected(registry, {
    name: 'kafka_connect_connector_task_status',
    help: 'The status of the connector task as the label status (running, paused, failed, unassigned); the value is always 1.',
    labelNames: ['connector', 'task', 'status'],
    items: () => tasks,
    labels: (t) => ({ ...taskLabels(t), status: t.state.toLowerCase() }),
    value: () => 1,
  });
  defineFamilies(registry, 'kafka_connect_connector_task', COMMON, () => tasks);
  defineFamilies(registry, 'kafka_connect_source_task', SOURCE, () => ofKind(tasks, SourceTaskMetrics));
  defineFamilies(registry, 'kafka_connect_sink_task', SINK, () => ofKind(tasks, SinkTaskMetrics));
  defineFamilies(registry, 'kafka_connect_task_error', ERRORS, () => tasks);
}
