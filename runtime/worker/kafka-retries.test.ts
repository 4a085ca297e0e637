import { describe, expect, it } from 'vitest';
import { backoffDelay, retrySettings, unreachableAddresses } from './kafka-retries.ts';

describe('Kafka client retries', () => {
  it("back off as Java's clients: retry.backoff.ms doubling up to retry.backoff.max.ms, 20% jitter", () => {
    const settings = retrySettings({});
    expect(settings).toEqual({ backoffMs: 100, backoffMaxMs: 1000 });
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 30].map((n) => backoffDelay(settings, n, middle))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(settings, 10, () => 0)).toBe(800);
    expect(backoffDelay(settings, 10, () => 1)).toBe(1200);
    expect(retrySettings({ 'retry.backoff.ms': '500', 'retry.backoff.max.ms': '200' })).toEqual({
      backoffMs: 500,
      backoffMaxMs: 500,
    });
  });

  it('names each address a request could not connect to, with the reason', () => {
    const refused = new Error('Connection to 127.0.0.1:1 failed.', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:1'),
    });
    const error = Object.assign(new Error('Cannot connect to any broker.'), { errors: [refused, refused] });
    expect(unreachableAddresses(new Error('metadata failed 3 times.', { cause: error }))).toEqual([
      { address: '127.0.0.1:1', reason: 'connect ECONNREFUSED 127.0.0.1:1' },
    ]);
    expect(unreachableAddresses(new Error('UNKNOWN_TOPIC_OR_PARTITION'))).toEqual([]);
  });
});
