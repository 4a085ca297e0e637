import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskConfigRetry } from './task-config-retry.ts';

describe('TaskConfigRetry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks the connector again after 250 ms, doubling, and starts over after a success', async () => {
    vi.useFakeTimers();
    const asked: number[] = [];
    const retry = new TaskConfigRetry(() => asked.push(Date.now()), pino({ level: 'silent' }));
    const start = Date.now();
    const fail = () => Promise.reject(new Error('409 from a worker that is not the leader'));
    await retry.submit('c', fail);
    await vi.advanceTimersByTimeAsync(250);
    expect(asked.map((t) => t - start)).toEqual([250]);
    await retry.submit('c', fail);
    await vi.advanceTimersByTimeAsync(500);
    expect(asked.map((t) => t - start)).toEqual([250, 750]);
    await retry.submit('c', () => Promise.resolve());
    await retry.submit('c', fail);
    await vi.advanceTimersByTimeAsync(250);
    expect(asked).toHaveLength(3);
    retry.stop();
  });

  it('never throws, and a new submission replaces a scheduled retry', async () => {
    vi.useFakeTimers();
    let asked = 0;
    const retry = new TaskConfigRetry(() => asked++, pino({ level: 'silent' }));
    await expect(retry.submit('c', () => Promise.reject(new Error('x')))).resolves.toBeUndefined();
    await retry.submit('c', () => Promise.resolve());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(asked).toBe(0);
  });
});
