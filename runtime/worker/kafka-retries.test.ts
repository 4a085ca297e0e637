import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, retryDelay, retrySettings, unreachableAddresses } from './kafka-retries.ts';

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

describe('a broker out of reach', () => {
  it('is reported at once and every 5 s in one line for all clients, and its return once', () => {
    vi.useFakeTimers();
    try {
      const lines: string[] = [];
      const reportTo = {
        warn: (m: string) => lines.push(`WARN ${m}`),
        info: (m: string) => lines.push(`INFO ${m}`),
      };
      const delay = retryDelay({ backoffMs: 100, backoffMaxMs: 1000 }, reportTo as never);
      const refused = Object.assign(new Error('Cannot connect to any broker.'), {
        errors: [
          new Error('Connection to 10.1.2.3:9092 failed.', { cause: new Error('connect ECONNREFUSED') }),
        ],
      });
      const a = Object.assign(new EventEmitter(), { clientId: 'a' });
      const b = Object.assign(new EventEmitter(), { clientId: 'b' });
      delay(a, 'metadata', 1, 9, refused);
      delay(b, 'fetch', 1, 9, refused);
      vi.advanceTimersByTime(3000);
      delay(a, 'metadata', 2, 9, refused);
      vi.advanceTimersByTime(2500);
      delay(b, 'fetch', 2, 9, refused);
      a.emit('client:broker:connect', { broker: { host: '10.1.2.3', port: 9092 } });
      b.emit('client:broker:connect', { broker: { host: '10.1.2.3', port: 9092 } });
      expect(lines).toEqual([
        expect.stringMatching(
          /^WARN Cannot reach Kafka at 10\.1\.2\.3:9092 \(connect ECONNREFUSED\) for 0 s, retrying every 1000 ms at most until it answers \(clients: a \(metadata\)\): check that a broker runs there/,
        ),
        expect.stringMatching(/ for 6 s, .*\(clients: b \(fetch\), a \(metadata\)\): check/),
        'INFO Kafka at 10.1.2.3:9092 answers again, after 5.5 s out of reach',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
