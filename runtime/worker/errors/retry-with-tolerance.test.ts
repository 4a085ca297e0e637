import { describe, expect, it } from 'vitest';
import { ConnectException, DataException, RetriableException } from '../../api/index.ts';
import { ErrorMetrics } from '../../metrics/task-metrics.ts';
import { errorSettings } from './error-settings.ts';
import { ProcessingContext, type Stage } from './processing-context.ts';
import {
  backoffDelay,
  RETRY_ASYNC,
  RetryWithToleranceOperator,
  type Clock,
  type ErrorReporter,
} from './retry-with-tolerance.ts';

/** Time that moves only when the operator sleeps; every sleep is recorded. */
function fakeClock(random = 0.5): Clock & { sleeps: number[]; time: number } {
  const clock = {
    time: 1_000_000,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
      return Promise.resolve();
    },
    random: () => random,
  };
  return clock;
}

function operatorWith(props: Record<string, string>, clock: Clock = fakeClock()) {
  const metrics = new ErrorMetrics();
  const reported: { stage: Stage | undefined; className: string; error: unknown }[] = [];
  const reporter: ErrorReporter<string> = {
    report: (c) => void reported.push({ stage: c.stage, className: c.executingClass, error: c.error }),
    close: () => Promise.resolve(),
  };
  const operator = new RetryWithToleranceOperator<string>(errorSettings(props), metrics, clock);
  operator.reporters([reporter]);
  return { operator, metrics, reported };
}

/** An operation that throws RetriableException `failures` times, then returns 'done'. */
function failing(failures: number): () => string {
  let calls = 0;
  return () => {
    if (calls++ < failures) throw new RetriableException(`attempt ${calls}`);
    return 'done';
  };
}

describe('backoff', () => {
  it('starts at 300 ms and doubles per attempt', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a, 60_000, 0, Infinity, () => 0.5));
    expect(delays).toEqual([300, 600, 1200, 2400, 4800, 9600, 19200, 38400]);
  });

  it('is random below errors.retry.delay.max.ms once doubling would pass it', () => {
    expect(backoffDelay(9, 60_000, 0, Infinity, () => 0.25)).toBe(15_000);
    expect(backoffDelay(3, 1000, 0, Infinity, () => 0.9)).toBe(900);
    expect(backoffDelay(2, 1000, 0, Infinity, () => 0)).toBe(600);
  });

  it('never waits past the deadline', () => {
    expect(backoffDelay(4, 60_000, 10_000, 11_000, () => 0.5)).toBe(1000);
    expect(backoffDelay(1, 60_000, 12_000, 11_000, () => 0.5)).toBe(0);
  });
});

describe('RetryWithToleranceOperator', () => {
  it('retries a RetriableException with back-off until it succeeds, counting retries and failures', async () => {
    const clock = fakeClock();
    const { operator, metrics, reported } = operatorWith({ 'errors.retry.timeout': '60000' }, clock);
    const context = new ProcessingContext('record');
    const result = await operator.execute(context, 'VALUE_CONVERTER', 'Conv', failing(3));
    expect(result).toBe('done');
    expect(clock.sleeps).toEqual([300, 600, 1200]);
    expect(context.attempt).toBe(4);
    expect(metrics).toMatchObject({ recordFailures: 3, retries: 3, recordErrors: 0, recordsSkipped: 0 });
    expect(reported).toEqual([]);
  });

  it('stops retrying at errors.retry.timeout; the last wait is cut to the deadline', async () => {
    const clock = fakeClock();
    const { operator, metrics, reported } = operatorWith(
      { 'errors.retry.timeout': '2000', 'errors.tolerance': 'all' },
      clock,
    );
    const context = new ProcessingContext('record');
    expect(await operator.execute(context, 'TRANSFORMATION', 'T', failing(100))).toBeUndefined();
    // 300 + 600 = 900 elapsed, then 1200 would pass 2000: cut to 1100; the attempt after that fails for good.
    expect(clock.sleeps).toEqual([300, 600, 1100]);
    expect(context.attempt).toBe(4);
    // Java counts each failed attempt, then the failed operation once more.
    expect(metrics).toMatchObject({ recordFailures: 5, retries: 3, recordErrors: 1, recordsSkipped: 1 });
    expect(metrics.lastErrorTimestamp).toBe(clock.time);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ stage: 'TRANSFORMATION', className: 'T' });
  });

  it('retries for ever with errors.retry.timeout=-1, at most errors.retry.delay.max.ms apart', async () => {
    const clock = fakeClock(0.5);
    const { operator } = operatorWith(
      { 'errors.retry.timeout': '-1', 'errors.retry.delay.max.ms': '1000' },
      clock,
    );
    const result = await operator.execute(new ProcessingContext('r'), 'KEY_CONVERTER', 'K', failing(6));
    expect(result).toBe('done');
    expect(clock.sleeps).toEqual([300, 600, 500, 500, 500, 500]);
  });

  it('errors.retry.timeout=0: no retries; failedSync handles the failure at once', () => {
    const { operator, metrics, reported } = operatorWith({ 'errors.tolerance': 'all' });
    const context = new ProcessingContext('r');
    const error = new RetriableException('busy');
    expect(operator.failedSync(context, 'VALUE_CONVERTER', 'V', error)).toBeUndefined();
    expect(metrics).toMatchObject({ recordFailures: 2, retries: 0, recordErrors: 1, recordsSkipped: 1 });
    expect(reported[0]?.error).toBe(error);
  });

  it('failedSync hands a RetriableException over to execute() when retries are allowed', () => {
    const { operator, metrics } = operatorWith({ 'errors.retry.timeout': '1000' });
    const result = operator.failedSync(
      new ProcessingContext('r'),
      'TRANSFORMATION',
      'T',
      new RetriableException('x'),
    );
    expect(result).toBe(RETRY_ASYNC);
    expect(metrics.recordFailures).toBe(0);
  });

  it('converters and transformations tolerate any error with errors.tolerance=all', () => {
    for (const stage of ['TRANSFORMATION', 'KEY_CONVERTER', 'VALUE_CONVERTER', 'HEADER_CONVERTER'] as const) {
      const { operator, metrics } = operatorWith({ 'errors.tolerance': 'all' });
      expect(
        operator.failedSync(new ProcessingContext('r'), stage, 'C', new TypeError('bad')),
      ).toBeUndefined();
      expect(metrics.recordsSkipped).toBe(1);
    }
  });

  it('other stages tolerate only RetriableException, even with errors.tolerance=all', async () => {
    for (const stage of ['TASK_PUT', 'TASK_POLL', 'KAFKA_PRODUCE', 'KAFKA_CONSUME'] as const) {
      const { operator, reported } = operatorWith({ 'errors.tolerance': 'all' });
      const fatal = () =>
        operator.failedSync(new ProcessingContext('r'), stage, 'C', new DataException('no'));
      expect(fatal).toThrow('Unhandled exception in error handler');
      expect(reported).toHaveLength(1); // reported all the same, as Java does
      const retriable = new RetriableException('later');
      expect(operator.failedSync(new ProcessingContext('r'), stage, 'C', retriable)).toBeUndefined();
      await expect(
        operator.execute(new ProcessingContext('r'), stage, 'C', () => {
          throw new DataException('no');
        }),
      ).rejects.toThrow('Unhandled exception in error handler');
    }
  });

  it('errors.tolerance=none: the first failure fails the task, after it is reported', () => {
    const { operator, metrics, reported } = operatorWith({});
    const error = new DataException('bad json');
    let thrown: unknown;
    try {
      operator.failedSync(new ProcessingContext('r'), 'VALUE_CONVERTER', 'V', error);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConnectException);
    expect((thrown as Error).message).toBe('Tolerance exceeded in error handler');
    expect((thrown as Error).cause).toBe(error);
    expect(reported).toHaveLength(1);
    expect(metrics).toMatchObject({ recordFailures: 1, recordErrors: 1, recordsSkipped: 0 });
    expect(operator.withinToleranceLimits()).toBe(false);
  });

  it('executeFailed (errant records, producer failures) reports, and throws only when not tolerated', () => {
    const tolerant = operatorWith({ 'errors.tolerance': 'all' });
    const context = new ProcessingContext('r');
    expect(tolerant.operator.executeFailed(context, 'TASK_PUT', 'SinkTask', new Error('x'))).toBeUndefined();
    expect(context.stage).toBe('TASK_PUT');
    expect(tolerant.metrics).toMatchObject({ recordFailures: 1, recordErrors: 0, recordsSkipped: 0 });
    expect(tolerant.reported).toHaveLength(1);

    const strict = operatorWith({});
    expect(() =>
      strict.operator.executeFailed(new ProcessingContext('r'), 'TASK_PUT', 'SinkTask', new Error('x')),
    ).toThrow('Tolerance exceeded in error handler');
    expect(strict.metrics).toMatchObject({ recordFailures: 1, recordErrors: 1 });
    expect(strict.reported).toHaveLength(1);
  });

  it('a stage after a failed one does not run', async () => {
    const { operator } = operatorWith({ 'errors.tolerance': 'all' });
    const context = new ProcessingContext('r');
    operator.failedSync(context, 'KEY_CONVERTER', 'K', new Error('bad key'));
    let ran = false;
    expect(await operator.execute(context, 'VALUE_CONVERTER', 'V', () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    expect(context.stage).toBe('KEY_CONVERTER');
  });

  it('a stop ends the wait between retries; the record is dropped', async () => {
    // The real clock: the first wait is 300 ms, ended by the stop long before.
    const metrics = new ErrorMetrics();
    const real = new RetryWithToleranceOperator<string>(
      errorSettings({ 'errors.retry.timeout': '-1' }),
      metrics,
    );
    const context = new ProcessingContext('r');
    const running = real.execute(context, 'TRANSFORMATION', 'T', failing(1_000_000));
    setTimeout(() => real.triggerStop(), 5);
    expect(await running).toBeUndefined();
    expect(context.failed).toBe(true);
    expect(metrics).toMatchObject({ retries: 1, recordsSkipped: 1, recordErrors: 1 });
  });
});
