import { describe, expect, it } from 'vitest';
import { backoffDelay, WorkQueue, type ReconcileResult } from './work-queue.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A promise with its resolve and reject exposed. */
function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function until(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

describe('backoffDelay', () => {
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 5, 300_000))).toEqual([5, 10, 20, 40]);
    expect(backoffDelay(17, 5, 300_000)).toBe(300_000);
    expect(backoffDelay(10_000, 5, 300_000)).toBe(300_000);
    expect(backoffDelay(0, 5, 300_000)).toBe(0);
  });
});

describe('WorkQueue', () => {
  it('de-duplicates keys that wait', async () => {
    const runs: string[] = [];
    const gate = deferred();
    const q = new WorkQueue(
      async (key) => {
        runs.push(key);
        if (key === 'blocker') await gate.promise;
      },
      { concurrency: 1 },
    );
    q.add('blocker');
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    gate.resolve();
    await q.idle();
    expect(runs).toEqual(['blocker', 'a', 'b']);
  });

  it('never runs the same key twice at once, and reruns a key added while it ran', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const gates = [deferred(), deferred()];
    const q = new WorkQueue(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await gates[runs++]?.promise;
      active--;
    });
    q.add('ns/x');
    await until('first run', () => runs === 1);
    q.add('ns/x');
    q.add('ns/x');
    await sleep(20);
    expect(runs).toBe(1);
    gates[0]?.resolve();
    await until('second run', () => runs === 2);
    gates[1]?.resolve();
    await q.idle();
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
  });

  it('runs different keys side by side up to the concurrency', async () => {
    let active = 0;
    let maxActive = 0;
    const gate = deferred();
    const q = new WorkQueue(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await gate.promise;
        active--;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 10; i++) q.add(`k${i}`);
    await until('three running', () => active === 3);
    expect(q.running).toBe(3);
    expect(q.length).toBe(7);
    gate.resolve();
    await q.idle();
    expect(maxActive).toBe(3);
  });

  it('retries a failing key with doubling back-off and resets it after a success', async () => {
    const times: number[] = [];
    let failUntil = 5;
    const outcomes: string[] = [];
    const q = new WorkQueue(
      async () => {
        times.push(Date.now());
        if (times.length < failUntil) throw new Error('boom');
      },
      { baseDelayMs: 20, onReconciled: (e) => outcomes.push(e.outcome) },
    );
    q.add('bad');
    await until('five runs', () => times.length === 5);
    await q.idle();
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    // 20, 40, 80, 160 ms (timers fire late, never early)
    [20, 40, 80, 160].forEach((min, i) => expect(gaps[i]).toBeGreaterThanOrEqual(min - 2));
    expect(gaps[3]).toBeGreaterThan(gaps[0] ?? 0);
    expect(q.failuresOf('bad')).toBe(0);
    expect(outcomes).toEqual(['error', 'error', 'error', 'error', 'success']);
    // After the success the next failure starts again at the base delay.
    failUntil = Infinity;
    const before = times.length;
    q.add('bad');
    await until('two more runs', () => times.length === before + 2);
    expect((times.at(-1) ?? 0) - (times.at(-2) ?? 0)).toBeLessThan(150);
    await q.stop();
  });

  it('caps the back-off', async () => {
    let runs = 0;
    const q = new WorkQueue(
      async () => {
        runs++;
        throw new Error('always');
      },
      { baseDelayMs: 1, maxDelayMs: 10 },
    );
    q.add('k');
    await until('20 runs', () => runs >= 20, 1000);
    await q.stop();
  });

  it('honours requeueAfter and keeps the earlier of two schedules', async () => {
    const runs: number[] = [];
    const started = Date.now();
    let result: ReconcileResult = { requeueAfter: 60 };
    const q = new WorkQueue(async () => {
      runs.push(Date.now() - started);
      const r = result;
      result = undefined;
      return r;
    });
    q.add('k');
    await until('requeued run', () => runs.length === 2);
    expect(runs[1]).toBeGreaterThanOrEqual(58);
    q.addAfter('k', 500);
    q.addAfter('k', 30);
    expect(q.scheduled).toBe(1);
    await until('third run', () => runs.length === 3);
    expect((runs[2] ?? 0) - (runs[1] ?? 0)).toBeLessThan(400);
    await sleep(600);
    expect(runs.length).toBe(3);
    await q.stop();
  });

  it('a slow key and a failing key do not delay others beyond the concurrency', async () => {
    const slow = deferred();
    const done: string[] = [];
    const q = new WorkQueue(
      async (key) => {
        if (key === 'slow') await slow.promise;
        if (key === 'failing') throw new Error('no');
        done.push(key);
      },
      { concurrency: 2, baseDelayMs: 1, maxDelayMs: 5 },
    );
    q.add('slow');
    q.add('failing');
    for (let i = 0; i < 20; i++) q.add(`ok${i}`);
    await until('all fast keys', () => done.length === 20, 2000);
    expect(q.running).toBeGreaterThanOrEqual(1);
    slow.resolve();
    await q.stop();
    expect(done).toContain('slow');
  });

  it('gives the slot of a reconcile that outlives its timeout to others, without running it twice', async () => {
    const stuck = deferred();
    const done: string[] = [];
    let stuckRuns = 0;
    const q = new WorkQueue(
      async (key) => {
        if (key === 'stuck') {
          stuckRuns++;
          await stuck.promise;
        }
        done.push(key);
      },
      { concurrency: 1, timeoutMs: 30 },
    );
    q.add('stuck');
    q.add('other');
    await until('other ran although the only slot was taken', () => done.includes('other'), 1000);
    q.add('stuck');
    await sleep(50);
    expect(stuckRuns).toBe(1);
    stuck.resolve();
    await until('stuck reran after it settled', () => stuckRuns === 2);
    await q.stop();
  });

  it('treats a reconciler that throws synchronously as a failure', async () => {
    let runs = 0;
    const q = new WorkQueue(
      ((): Promise<void> => {
        runs++;
        if (runs === 1) throw new Error('sync');
        return Promise.resolve();
      }) as () => Promise<void>,
      { baseDelayMs: 1 },
    );
    q.add('k');
    await until('retry', () => runs === 2);
    await q.stop();
  });

  it('forget drops a scheduled run and the failure count', async () => {
    let runs = 0;
    const q = new WorkQueue(
      async () => {
        runs++;
        throw new Error('x');
      },
      { baseDelayMs: 100 },
    );
    q.add('gone');
    await until('first run', () => runs === 1);
    await q.idle();
    expect(q.failuresOf('gone')).toBe(1);
    q.forget('gone');
    expect(q.scheduled).toBe(0);
    await sleep(150);
    expect(runs).toBe(1);
    await q.stop();
  });
});
