import { describe, expect, it } from 'vitest';
import { WindowedStat } from './windowed-stat.ts';

describe('WindowedStat (Kafka sampled stats: 2 windows of 30 s)', () => {
  it('reports NaN average and maximum before anything is recorded, and a rate of 0', () => {
    const stat = new WindowedStat(0);
    expect(stat.avg(1000)).toBeNaN();
    expect(stat.max(1000)).toBeNaN();
    expect(stat.rate(1000)).toBe(0);
  });

  it('averages and maximises over both windows, then forgets values older than both', () => {
    const stat = new WindowedStat(0);
    stat.record(10, 1_000);
    stat.record(30, 2_000);
    stat.record(-5, 31_000); // second window
    expect(stat.avg(40_000)).toBeCloseTo(35 / 3);
    expect(stat.max(40_000)).toBe(30);
    stat.record(4, 61_000); // third window replaces the first
    expect(stat.avg(61_000)).toBeCloseTo(-0.5);
    expect(stat.max(61_000)).toBe(4);
    expect(stat.avg(200_000)).toBeNaN();
  });

  it('a maximum of negative values is the largest of them', () => {
    const stat = new WindowedStat(0);
    stat.record(-7, 1);
    stat.record(-3, 2);
    expect(stat.max(3)).toBe(-3);
  });

  it('rates over at least one full window, so a burst in a fresh stat is not a huge rate', () => {
    const stat = new WindowedStat(0);
    stat.record(3000, 1_000);
    // 1 s elapsed, counted as 1 s + one full window (30 s), as Kafka's Rate does.
    expect(stat.rate(1_000)).toBeCloseTo(3000 / 31);
    stat.record(3000, 45_000);
    expect(stat.rate(45_000)).toBeCloseTo(6000 / 45);
  });
});
