// What source and sink task runners share: the lifecycle (start → run → stop), target states
// (RUNNING / PAUSED), status reporting, and the rule that a failing task becomes FAILED with its trace
// and never takes the worker down.
import type { Logger } from 'pino';
import type { Props } from '../api/index.ts';
import { traceOf } from '../errors.ts';
import type { TaskMetrics } from '../metrics/task-metrics.ts';
import type { ConnectorState, TargetState } from '../rest/types.ts';
import type { TaskId } from '../storage/status-store.ts';

export interface TaskStatusListener {
  onStateChange(id: TaskId, state: ConnectorState, trace: string | null): void;
}

export abstract class WorkerTask {
  readonly id: TaskId;
  /** What the task measures; the worker's metrics registry reads it while the task is assigned here. */
  abstract readonly metrics: TaskMetrics;
  protected readonly props: Props;
  protected readonly log: Logger;
  private readonly listener: TaskStatusListener;
  private targetState: TargetState;
  private resumeWaiters: (() => void)[] = [];
  protected stopping = false;
  private running: Promise<void> | undefined;
  private failed = false;

  constructor(id: TaskId, props: Props, targetState: TargetState, listener: TaskStatusListener, log: Logger) {
    this.id = id;
    this.props = props;
    this.targetState = targetState;
    this.listener = listener;
    this.log = log;
  }

  /** Starts the task in the background; the returned promise settles when it has started or failed. */
  start(): void {
    this.running = this.lifecycle();
  }

  private async lifecycle(): Promise<void> {
    try {
      await this.initializeAndStart();
      if (this.stopping) return;
      this.report(this.targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING');
      await this.execute();
    } catch (error) {
      // Stopping may interrupt a task mid-call (a consumer closed while it joins): that is no failure.
      if (this.stopping) this.log.debug({ err: error }, 'task interrupted while stopping');
      else this.fail(error);
    } finally {
      await this.close().catch((error: unknown) =>
        this.log.warn({ err: error }, 'task did not close cleanly'),
      );
      if (!this.failed) this.report('UNASSIGNED');
    }
  }

  /** Whether the task failed (its close() then must not commit what it was doing). */
  protected get hasFailed(): boolean {
    return this.failed;
  }

  protected fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.log.error(
      { err: error },
      `Task ${this.id.connector}-${this.id.task} failed; it stays FAILED until restarted`,
    );
    this.report('FAILED', traceOf(error));
  }

  private report(state: ConnectorState, trace: string | null = null): void {
    this.metrics.setState(state);
    this.listener.onStateChange(this.id, state, trace);
  }

  /** Creates the plugin task, its clients and converters, and calls its start(). */
  protected abstract initializeAndStart(): Promise<void>;
  /** The copy loop; returns when `stopping` is set. Throwing fails the task. */
  protected abstract execute(): Promise<void>;
  /** Flushes what can be flushed and releases clients; called once, after execute() or a failure. */
  protected abstract close(): Promise<void>;
  /** Makes a waiting poll or put return promptly. */
  protected abstract interrupt(): void;

  get isPaused(): boolean {
    return this.targetState === 'PAUSED';
  }

  transitionTo(state: TargetState): void {
    if (state === this.targetState || this.stopping || this.failed) return;
    this.targetState = state;
    if (state === 'RUNNING') {
      for (const wake of this.resumeWaiters.splice(0)) wake();
      this.report('RUNNING');
    } else if (state === 'PAUSED') {
      this.report('PAUSED');
    }
  }

  /** Resolves when the target state is RUNNING again, or when the task is stopping. */
  protected awaitResume(): Promise<void> {
    if (!this.isPaused || this.stopping) return Promise.resolve();
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }

  /**
   * Stops the task and waits up to `timeoutMs` for it to finish. Resolves true when it stopped in
   * time; false when it was abandoned (its clients are closed regardless).
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    for (const wake of this.resumeWaiters.splice(0)) wake();
    this.interrupt();
    if (!this.running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = await Promise.race([this.running.then(() => true), timedOut]);
    clearTimeout(timer);
    if (!finished) {
      this.log.warn(
        `Task ${this.id.connector}-${this.id.task} did not stop within ${timeoutMs} ms; abandoning it`,
      );
    }
    return finished;
  }
}

/**
 * Sleeps `ms`, or less when `signal` fires. The wake function may be called any number of times (a sink
 * calls it for every record it receives); after the first, or once the sleep is over, it does nothing.
 */
export function sleep(ms: number, signal?: { onWake: (wake: () => void) => void }): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined = setTimeout(() => {
      timer = undefined;
      resolve();
    }, ms);
    signal?.onWake(() => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      resolve();
    });
  });
}
