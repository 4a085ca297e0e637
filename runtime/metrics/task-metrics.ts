// What one task measures while it runs, as plain fields the task runners bump once per batch; the
// registry (connect-metrics.ts) reads them when Prometheus scrapes. A task's numbers start at zero
// when it (re)starts, as Java's do ("since the task was last restarted").
import type { ConnectorState } from '../rest/types.ts';
import { WindowedStat } from './windowed-stat.ts';

/**
 * Record errors, retries and the dead letter queue (Java's task-error-metrics), bumped by the worker's
 * retry-and-tolerance operator and its reporters with the meanings of Java's ErrorHandlingMetrics.
 */
export class ErrorMetrics {
  /** Failed attempts, retriable ones included (total-record-failures). */
  recordFailures = 0;
  /** Operations that failed for good: tolerated, or fatal to the task (total-record-errors). */
  recordErrors = 0;
  /** Records skipped because errors.tolerance=all (total-records-skipped). */
  recordsSkipped = 0;
  /** Retries after a RetriableException (total-retries). */
  retries = 0;
  /** Errors logged because errors.log.enable=true (total-errors-logged). */
  errorsLogged = 0;
  /** Records sent to the dead letter queue (deadletterqueue-produce-requests). */
  dlqProduceRequests = 0;
  /** Dead letter queue writes that failed (deadletterqueue-produce-failures). */
  dlqProduceFailures = 0;
  /** Epoch milliseconds of the last failure, 0 when none. */
  lastErrorTimestamp = 0;
}

export abstract class TaskMetrics {
  abstract readonly kind: 'source' | 'sink';
  readonly connector: string;
  /** The task number as a label value. */
  readonly task: string;
  readonly errors = new ErrorMetrics();
  /** Records per batch: polled (source) or put (sink). */
  readonly batchSize: WindowedStat;
  /** Milliseconds an offset commit took. */
  readonly commitTime: WindowedStat;
  private currentState: ConnectorState = 'UNASSIGNED';
  private readonly createdAt: number;
  private stateSince: number;
  private readonly msInState = new Map<ConnectorState, number>();

  constructor(connector: string, task: number, now = Date.now()) {
    this.connector = connector;
    this.task = String(task);
    this.createdAt = now;
    this.stateSince = now;
    this.batchSize = new WindowedStat(now);
    this.commitTime = new WindowedStat(now);
  }

  get state(): ConnectorState {
    return this.currentState;
  }

  setState(state: ConnectorState, now = Date.now()): void {
    this.msInState.set(this.currentState, this.timeIn(this.currentState, now));
    this.currentState = state;
    this.stateSince = now;
  }

  private timeIn(state: ConnectorState, now: number): number {
    const past = this.msInState.get(state) ?? 0;
    return state === this.currentState ? past + (now - this.stateSince) : past;
  }

  /** Fraction of the task's life spent in `state` (Java: running-ratio, pause-ratio). */
  ratio(state: ConnectorState, now = Date.now()): number {
    const lifetime = now - this.createdAt;
    return lifetime <= 0 ? 0 : this.timeIn(state, now) / lifetime;
  }

  recordCommit(durationMs: number): void {
    this.commitTime.record(durationMs);
  }
}

export class SourceTaskMetrics extends TaskMetrics {
  readonly kind = 'source';
  /** Records returned by poll(), before transformations. */
  pollTotal = 0;
  readonly pollRate: WindowedStat;
  /** Records acknowledged by Kafka, after transformations (filtered ones excluded). */
  writeTotal = 0;
  readonly writeRate: WindowedStat;
  /** Records polled and not yet acknowledged by Kafka (or dropped). */
  activeCount = 0;
  readonly activeCounts: WindowedStat;
  /** Milliseconds a poll() took. */
  readonly pollTime: WindowedStat;

  constructor(connector: string, task: number, now = Date.now()) {
    super(connector, task, now);
    this.pollRate = new WindowedStat(now);
    this.writeRate = new WindowedStat(now);
    this.activeCounts = new WindowedStat(now);
    this.pollTime = new WindowedStat(now);
  }

  /** A poll() returned `records` records after `durationMs`. */
  recordPoll(records: number, durationMs: number): void {
    const now = Date.now();
    this.pollTotal += records;
    this.pollRate.record(records, now);
    this.batchSize.record(records, now);
    this.pollTime.record(durationMs, now);
    this.activeCount += records;
    this.activeCounts.record(this.activeCount, now);
  }

  /** Kafka acknowledged `written` records of a batch of `polled`; the rest were filtered or skipped. */
  recordWrite(written: number, polled: number): void {
    this.writeTotal += written;
    this.writeRate.record(written);
    this.activeCount -= polled;
  }
}

export class SinkTaskMetrics extends TaskMetrics {
  readonly kind = 'sink';
  /** Records read from Kafka, before transformations. */
  readTotal = 0;
  readonly readRate: WindowedStat;
  /** Records given to put(), after transformations. */
  sendTotal = 0;
  readonly sendRate: WindowedStat;
  /** Milliseconds a put() took. */
  readonly putTime: WindowedStat;
  /** Offset commits that completed. */
  commitCompletions = 0;
  readonly commitCompletionRate: WindowedStat;
  /** Offset commits attempted (Java: offset-commit-seq-no). */
  commitSeqNo = 0;
  /** Topic partitions assigned to the task's consumer. */
  partitionCount = 0;

  constructor(connector: string, task: number, now = Date.now()) {
    super(connector, task, now);
    this.readRate = new WindowedStat(now);
    this.sendRate = new WindowedStat(now);
    this.putTime = new WindowedStat(now);
    this.commitCompletionRate = new WindowedStat(now);
  }

  recordRead(records: number): void {
    this.readTotal += records;
    this.readRate.record(records);
  }

  /** put() took `records` records and returned after `durationMs`. */
  recordPut(records: number, durationMs: number): void {
    const now = Date.now();
    this.sendTotal += records;
    this.sendRate.record(records, now);
    this.batchSize.record(records, now);
    this.putTime.record(durationMs, now);
  }

  override recordCommit(durationMs: number): void {
    super.recordCommit(durationMs);
    this.commitCompletions++;
    this.commitCompletionRate.record(1);
  }
}
