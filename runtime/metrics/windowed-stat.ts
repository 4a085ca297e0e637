// Average, maximum and per-second rate over the last samples, as Kafka's sampled stats compute them
// (metrics.sample.window.ms 30 s × metrics.num.samples 2): the `-avg`, `-max` and `-rate` metrics of
// Apache Kafka Connect. A record is a few number operations, so it fits the record path (once per batch).

export const SAMPLE_WINDOW_MS = 30_000;
export const SAMPLES = 2;

interface Sample {
  start: number;
  count: number;
  sum: number;
  max: number;
}

export class WindowedStat {
  private readonly samples: Sample[];
  private readonly windowMs: number;
  private current = 0;

  constructor(now = Date.now(), windowMs = SAMPLE_WINDOW_MS, sampleCount = SAMPLES) {
    this.windowMs = windowMs;
    this.samples = Array.from({ length: sampleCount }, () => ({ start: now, count: 0, sum: 0, max: 0 }));
  }

  record(value: number, now = Date.now()): void {
    let sample = this.samples[this.current] as Sample;
    if (now - sample.start >= this.windowMs) {
      this.current = (this.current + 1) % this.samples.length;
      sample = this.samples[this.current] as Sample;
      reset(sample, now);
    }
    sample.count++;
    sample.sum += value;
    if (sample.count === 1 || value > sample.max) sample.max = value;
  }

  /** Samples older than all the windows together no longer count. */
  private live(now: number): Sample[] {
    const expiry = this.windowMs * this.samples.length;
    for (const s of this.samples) if (now - s.start >= expiry) reset(s, now);
    return this.samples;
  }

  /** Mean of the recorded values; NaN when none is recent (as Kafka reports it). */
  avg(now = Date.now()): number {
    let count = 0;
    let sum = 0;
    for (const s of this.live(now)) {
      count += s.count;
      sum += s.sum;
    }
    return count === 0 ? NaN : sum / count;
  }

  /** Largest recent value; NaN when none is recent. */
  max(now = Date.now()): number {
    let max = -Infinity;
    for (const s of this.live(now)) if (s.count > 0 && s.max > max) max = s.max;
    return max === -Infinity ? NaN : max;
  }

  /**
   * Sum of the recent values per second. Like Kafka's Rate, the elapsed time counts at least all
   * windows but the current one, so a fresh task does not report a burst as a huge rate.
   */
  rate(now = Date.now()): number {
    const samples = this.live(now);
    let sum = 0;
    let oldest = now;
    for (const s of samples) {
      sum += s.sum;
      oldest = Math.min(oldest, s.start);
    }
    let elapsed = now - oldest;
    const fullWindows = Math.floor(elapsed / this.windowMs);
    const minFullWindows = samples.length - 1;
    if (fullWindows < minFullWindows) elapsed += (minFullWindows - fullWindows) * this.windowMs;
    return elapsed <= 0 ? 0 : (sum * 1000) / elapsed;
  }
}

function reset(sample: Sample, now: number): void {
  sample.start = now;
  sample.count = 0;
  sample.sum = 0;
  sample.max = 0;
}
