import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rejoinOnError, type RejoiningConsumer } from './consumer-rejoin.ts';

class FakeConsumer extends EventEmitter implements RejoiningConsumer {
  readonly groupId = 'connect-sink';
  closed = false;
  joins = 0;
  failJoins = 0;
  joinGroup(): Promise<unknown> {
    this.joins++;
    return this.joins <= this.failJoins
      ? Promise.reject(new Error('still out of reach'))
      : Promise.resolve('m');
  }
}

const retry = { backoffMs: 100, backoffMaxMs: 1000 };
const log = pino({ enabled: false });

describe('rejoinOnError', () => {
  afterEach(() => vi.useRealTimers());

  it("listens for the consumer's 'error' (no unhandled event) and joins again until it succeeds", async () => {
    vi.useFakeTimers();
    const consumer = new FakeConsumer();
    consumer.failJoins = 2;
    rejoinOnError(consumer, { log, retry, stopping: () => false });
    expect(() => consumer.emit('error', new Error('findGroupCoordinator failed'))).not.toThrow();
    await vi.advanceTimersByTimeAsync(5000);
    expect(consumer.joins).toBe(3);
  });

  it('joins no more once the task stops or the consumer is closed', async () => {
    vi.useFakeTimers();
    const consumer = new FakeConsumer();
    let stopping = false;
    rejoinOnError(consumer, { log, retry, stopping: () => stopping });
    consumer.emit('error', new Error('lost'));
    stopping = true;
    await vi.advanceTimersByTimeAsync(5000);
    expect(consumer.joins).toBe(0);
    stopping = false;
    consumer.closed = true;
    consumer.emit('error', new Error('lost'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(consumer.joins).toBe(0);
  });

  it('waits for one rejoin at a time however many errors come', async () => {
    vi.useFakeTimers();
    const consumer = new FakeConsumer();
    rejoinOnError(consumer, { log, retry, stopping: () => false });
    for (let i = 0; i < 5; i++) consumer.emit('error', new Error('lost'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(consumer.joins).toBe(1);
  });
});
