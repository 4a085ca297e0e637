// A rate-limited work queue in the manner of client-go's workqueue: keys (`kind/namespace/name`) are
// de-duplicated while they wait, a key never runs twice at once (one added while it runs runs again
// after), up to `concurrency` keys run side by side, a failing key waits out its own exponential
// back-off (5 ms doubling to 5 min, reset by a success), and `{ requeueAfter }` schedules the next
// run. A failing or slow key holds at most one slot: a reconcile that outlives `timeoutMs` gives its
// slot back (the key itself stays busy until it settles, so it still never runs twice at once).
import { logger } from '../../runtime/logging.ts';

export type ReconcileResult = { requeueAfter?: number } | void;
/** Level-triggered and idempotent: brings the world in line with the key's resource. */
export type Reconciler = (key: string) => Promise<ReconcileResult>;

export type ReconcileOutcome = 'success' | 'requeue' | 'error';

export interface WorkQueueOptions {
  /** Used in logs and metrics. */
  name?: string;
  /** Keys reconciled at the same time; default 4. */
  concurrency?: number;
  /** First back-off after an error; default 5 ms. */
  baseDelayMs?: number;
  /** Back-off cap; default 5 min. */
  maxDelayMs?: number;
  /** A reconcile running longer gives its slot back and counts as failed; default 10 min. */
  timeoutMs?: number;
  /** Called after every reconcile (metrics). */
  onReconciled?: (event: {
    key: string;
    outcome: ReconcileOutcome;
    durationMs: number;
    error?: unknown;
  }) => void;
}

/** The back-off before retry number `failures` (1-based): base·2^(failures−1), capped. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 52));
}

export class WorkQueue {
  readonly name: string;
  private readonly reconcile: Reconciler;
  private readonly concurrency: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly onReconciled: WorkQueueOptions['onReconciled'];
  private readonly log;
  /** Waiting to run, in order, de-duplicated. */
  private readonly ready = new Set<string>();
  /** Running now (including ones past their timeout that have not settled). */
  private readonly busy = new Set<string>();
  /** Added while running: run again once the current run settles. */
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private slotsInUse = 0;
  private stopped = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(reconcile: Reconciler, options: WorkQueueOptions = {}) {
    this.reconcile = reconcile;
    this.name = options.name ?? 'queue';
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.onReconciled = options.onReconciled;
    this.log = logger(`weir.operator.queue.${this.name}`);
  }

  /** Keys waiting to run now (the queue depth). */
  get length(): number {
    return this.ready.size + this.dirty.size;
  }

  /** Keys running now. */
  get running(): number {
    return this.busy.size;
  }

  /** Keys scheduled for later (back-off or requeueAfter). */
  get scheduled(): number {
    return this.delayed.size;
  }

  /** Consecutive failures of `key`. */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Runs `key` as soon as a slot is free (once, however often it is added meanwhile). */
  add(key: string): void {
    if (this.stopped) return;
    if (this.busy.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.ready.add(key);
    this.pump();
  }

  /** Runs `key` after `ms`; an earlier schedule of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Forgets `key`'s failures and any scheduled run (the resource is gone). */
  forget(key: string): void {
    this.failures.delete(key);
    const existing = this.delayed.get(key);
    if (existing) clearTimeout(existing.timer);
    this.delayed.delete(key);
  }

  /** Resolves when nothing waits or runs (scheduled keys may remain). */
  idle(): Promise<void> {
    if (this.length === 0 && this.busy.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work, drops scheduled runs and waits for running reconciles to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.ready.clear();
    this.dirty.clear();
    await this.idle();
  }

  private pump(): void {
    while (!this.stopped && this.slotsInUse < this.concurrency) {
      const key = this.ready.values().next().value;
      if (key === undefined) break;
      this.ready.delete(key);
      this.run(key);
    }
    if (this.length === 0 && this.busy.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private run(key: string): void {
    this.busy.add(key);
    this.slotsInUse++;
    const started = Date.now();
    let slotHeld = true;
    const releaseSlot = (): void => {
      if (!slotHeld) return;
      slotHeld = false;
      this.slotsInUse--;
    };
    const timer = setTimeout(() => {
      this.log.warn({ key, ms: this.timeoutMs }, 'reconcile is taking too long; giving its slot to others');
      releaseSlot();
      this.pump();
    }, this.timeoutMs);
    let result: Promise<ReconcileResult>;
    try {
      result = this.reconcile(key);
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => this.settle(key, started, timer, releaseSlot, value, undefined, false),
      (error: unknown) => this.settle(key, started, timer, releaseSlot, undefined, error, true),
    );
  }

  private settle(
    key: string,
    started: number,
    timer: NodeJS.Timeout,
    releaseSlot: () => void,
    value: ReconcileResult,
    error: unknown,
    failed: boolean,
  ): void {
    clearTimeout(timer);
    const durationMs = Date.now() - started;
    const timedOut = !failed && durationMs >= this.timeoutMs;
    releaseSlot();
    this.busy.delete(key);
    let outcome: ReconcileOutcome;
    if (failed || timedOut) {
      outcome = 'error';
      const failures = this.failuresOf(key) + 1;
      this.failures.set(key, failures);
      const delay = backoffDelay(failures, this.baseDelayMs, this.maxDelayMs);
      this.log.warn(
        { key, failures, retryInMs: delay, err: failed ? error : undefined },
        failed ? 'reconcile failed' : 'reconcile timed out',
      );
      this.addAfter(key, delay);
    } else {
      this.failures.delete(key);
      const requeueAfter = value?.requeueAfter;
      outcome = requeueAfter !== undefined ? 'requeue' : 'success';
      if (requeueAfter !== undefined) this.addAfter(key, requeueAfter);
    }
    try {
      this.onReconciled?.({ key, outcome, durationMs, error: failed ? error : undefined });
    } catch (hookError) {
      this.log.warn({ err: hookError }, 'onReconciled hook failed');
    }
    if (this.dirty.delete(key)) this.add(key);
    else this.pump();
  }
}
