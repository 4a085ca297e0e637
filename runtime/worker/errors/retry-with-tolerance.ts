// Kafka Connect's RetryWithToleranceOperator: runs one stage of a record's pipeline, retries it while
// it throws RetriableException (300 ms doubling up to errors.retry.delay.max.ms, then random, never
// past errors.retry.timeout), and then either skips the record (errors.tolerance=all, and the stage
// tolerates the error) or fails the task. Every failure goes to the reporters (log, dead letter queue).
import { ConnectException, RetriableException } from '../../api/index.ts';
import type { ErrorMetrics } from '../../metrics/task-metrics.ts';
import type { ErrorSettings } from './error-settings.ts';
import type { ProcessingContext, Stage } from './processing-context.ts';

export const RETRIES_DELAY_MIN_MS = 300;

/** Converters and transformations may fail on any error and be skipped; other stages only on retriable ones. */
const TOLERATES_ANY_ERROR: ReadonlySet<Stage> = new Set([
  'TRANSFORMATION',
  'KEY_CONVERTER',
  'VALUE_CONVERTER',
  'HEADER_CONVERTER',
]);

export interface ErrorReporter<T> {
  /** Reports a failure; the promise (if any) settles when the report is durable (a DLQ write acknowledged). */
  report(context: ProcessingContext<T>): Promise<void> | undefined;
  close(): Promise<void>;
}

/** Time as the operator sees it; tests pass a fake one. */
export interface Clock {
  now(): number;
  /** Waits `ms`, or less once `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    }),
  random: () => Math.random(),
};

/** Returned by failedSync when the stage threw a RetriableException that may be retried (asynchronously). */
export const RETRY_ASYNC: unique symbol = Symbol('retry asynchronously');

/**
 * The wait before the next attempt after `attempt` failed ones (counting from 1): 300 ms doubled per
 * attempt, random below the cap once past it, and never beyond the deadline.
 */
export function backoffDelay(
  attempt: number,
  maxDelayMs: number,
  now: number,
  deadline: number,
  random: () => number,
): number {
  let delay = RETRIES_DELAY_MIN_MS * 2 ** (attempt - 1);
  if (delay > maxDelayMs) delay = Math.floor(random() * maxDelayMs);
  if (delay + now > deadline) delay = Math.max(0, deadline - now);
  return delay;
}

export class RetryWithToleranceOperator<T> {
  private readonly settings: ErrorSettings;
  private readonly metrics: ErrorMetrics;
  private readonly clock: Clock;
  private readonly stopRequested = new AbortController();
  private reporterList: ErrorReporter<T>[] = [];
  private totalFailures = 0;
  /** Told of each report still in flight after a record's pipeline failed (a sink holds its offsets back). */
  onReport: ((context: ProcessingContext<T>, reported: Promise<void>) => void) | undefined;

  constructor(settings: ErrorSettings, metrics: ErrorMetrics, clock: Clock = systemClock) {
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  get tolerateAll(): boolean {
    return this.settings.tolerateAll;
  }

  reporters(reporters: ErrorReporter<T>[]): void {
    this.reporterList = reporters;
  }

  /**
   * A stage that failed when run without waiting (the caller's own try/catch, so that records that do
   * not fail cost nothing): undefined when the failure is tolerated and the record skipped; RETRY_ASYNC
   * when it is a RetriableException that errors.retry.timeout allows retrying: run the record through
   * execute() instead, which waits between attempts. Throws a ConnectException when not tolerated.
   */
  failedSync(
    context: ProcessingContext<T>,
    stage: Stage,
    executingClass: string,
    error: unknown,
  ): undefined | typeof RETRY_ASYNC {
    const retriable = error instanceof RetriableException;
    if (retriable && this.settings.retryTimeoutMs !== 0) return RETRY_ASYNC;
    context.position(stage, executingClass);
    context.attempt = 1;
    // Java counts a retriable failure twice when there is no time to retry it: as a failed attempt and
    // as the failed operation.
    this.metrics.recordFailures += retriable ? 2 : 1;
    return this.handleFailure(context, error);
  }

  /**
   * Runs a stage: its result, or undefined when it failed and was tolerated (or an earlier stage of
   * this record failed). A RetriableException is retried with back-off until errors.retry.timeout.
   * `priorFailure`: the RetriableException of an attempt already made (failedSync's RETRY_ASYNC), so
   * the next one waits first. Throws a ConnectException when the failure is not tolerated.
   */
  async execute<V>(
    context: ProcessingContext<T>,
    stage: Stage,
    executingClass: string,
    operation: () => V | Promise<V>,
    priorFailure?: unknown,
  ): Promise<V | undefined> {
    if (context.failed) return undefined;
    context.position(stage, executingClass);
    try {
      const result = await this.executeAndRetry(context, operation, priorFailure);
      if (context.failed) {
        // Stopped while waiting to retry: the record is dropped here; the task runners, stopping,
        // commit no offset past it, so it is delivered again after a restart.
        this.markAsFailed();
        this.metrics.recordsSkipped++;
        this.finish(context);
      }
      return result;
    } catch (error) {
      this.metrics.recordFailures++;
      return this.handleFailure(context, error);
    }
  }

  private async executeAndRetry<V>(
    context: ProcessingContext<T>,
    operation: () => V | Promise<V>,
    priorFailure: unknown,
  ): Promise<V | undefined> {
    const start = this.clock.now();
    const timeout = this.settings.retryTimeoutMs;
    const deadline = timeout >= 0 ? start + timeout : Number.POSITIVE_INFINITY;
    let failure = priorFailure;
    for (let attempt = priorFailure === undefined ? 1 : 2; ; attempt++) {
      if (failure !== undefined) {
        this.metrics.recordFailures++;
        const now = this.clock.now();
        if (now >= deadline) throw failure;
        const delay = backoffDelay(
          attempt - 1,
          this.settings.retryDelayMaxMs,
          now,
          deadline,
          this.clock.random,
        );
        await this.clock.sleep(delay, this.stopRequested.signal);
        this.metrics.retries++;
        if (this.stopRequested.signal.aborted) {
          context.error = failure;
          return undefined;
        }
      }
      context.attempt = attempt;
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof RetriableException)) throw error;
        failure = error;
      }
    }
  }

  /** The failure of a stage: skipped when tolerated, else a ConnectException for the task. */
  private handleFailure(context: ProcessingContext<T>, error: unknown): undefined {
    this.markAsFailed();
    context.error = error;
    try {
      const stage = context.stage as Stage;
      if (!TOLERATES_ANY_ERROR.has(stage) && !(error instanceof RetriableException))
        throw new ConnectException('Unhandled exception in error handler', { cause: error });
      if (!this.withinToleranceLimits())
        throw new ConnectException('Tolerance exceeded in error handler', { cause: error });
      this.metrics.recordsSkipped++;
      return undefined;
    } finally {
      this.finish(context);
    }
  }

  /** A failed record is an error whether tolerated or not, and is reported either way (as Java). */
  private finish(context: ProcessingContext<T>): void {
    this.metrics.recordErrors++;
    const reported = this.report(context);
    if (!reported) return;
    reported.catch(() => {});
    this.onReport?.(context, reported);
  }

  /**
   * An operation that failed outside the operator (a put() the task reported, a producer send):
   * reports it and returns when the reports are durable. Throws a ConnectException when not tolerated.
   */
  executeFailed(
    context: ProcessingContext<T>,
    stage: Stage,
    executingClass: string,
    error: unknown,
  ): Promise<void> | undefined {
    this.markAsFailed();
    context.position(stage, executingClass);
    context.error = error;
    this.metrics.recordFailures++;
    const reported = this.report(context);
    if (!this.withinToleranceLimits()) {
      void reported?.catch(() => {});
      this.metrics.recordErrors++;
      throw new ConnectException('Tolerance exceeded in error handler', { cause: error });
    }
    return reported;
  }

  /** Reports to every reporter; undefined when all are done already. */
  report(context: ProcessingContext<T>): Promise<void> | undefined {
    const pending = this.reporterList
      .map((r) => r.report(context))
      .filter((p): p is Promise<void> => p !== undefined);
    if (pending.length === 0) return undefined;
    return Promise.all(pending).then(() => undefined);
  }

  withinToleranceLimits(): boolean {
    return this.settings.tolerateAll || this.totalFailures === 0;
  }

  private markAsFailed(): void {
    this.metrics.lastErrorTimestamp = this.clock.now();
    this.totalFailures++;
  }

  /** Ends any wait between retries: the operation in progress fails and its record is dropped. */
  triggerStop(): void {
    this.stopRequested.abort();
  }

  async close(): Promise<void> {
    const reporters = this.reporterList;
    this.reporterList = [];
    const results = await Promise.allSettled(reporters.map((r) => r.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw new ConnectException('Failed to close all reporters', { cause: failed.reason });
  }
}
