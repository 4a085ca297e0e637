// The soak's data: numbered lines appended to the source file, and a tally of what the sink wrote.
import { appendFileSync, closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';

/** The text of record `n` (1-based), as FileStreamSource reads it and FileStreamSink writes it back. */
export const recordLine = (n: number): string => `soak-${n}`;

/** Appends numbered lines to `file` at about `perSecond`, in batches every 100 ms. */
export class LineAppender {
  produced = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;

  private readonly file: string;
  private readonly perSecond: number;

  constructor(file: string, perSecond: number) {
    this.file = file;
    this.perSecond = perSecond;
    writeFileSync(file, '');
  }

  start(): void {
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tick(), 100);
  }

  /** Stops appending; returns how many lines were written in all. */
  stop(): number {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.produced;
  }

  private tick(): void {
    // Catch up to the rate from the start, so a busy event loop does not lower the total.
    const due = Math.floor(((Date.now() - this.startedAt) * this.perSecond) / 1000);
    if (due <= this.produced) return;
    let text = '';
    for (let n = this.produced + 1; n <= due; n++) text += `${recordLine(n)}\n`;
    appendFileSync(this.file, text);
    this.produced = due;
  }
}

/**
 * Reads the sink's output file as it grows and counts each record number seen. Several tasks on
 * several workers append to the one file; a task killed mid-write can leave half a line, so numbers
 * are picked out of the text rather than trusting line boundaries.
 */
export class SinkTally {
  /** Times each record number was seen (index = number). */
  private counts = new Uint16Array(1024);
  private offset = 0;
  private rest = '';
  total = 0;
  distinct = 0;
  highest = 0;

  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** Reads what was appended since the last call. */
  read(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return; // Not created yet.
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      this.add(buffer.subarray(0, read).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  }

  /** Counts the complete lines of `text`; a trailing partial line waits for the next read. */
  add(text: string): void {
    const all = this.rest + text;
    const end = all.lastIndexOf('\n');
    this.rest = end < 0 ? all : all.slice(end + 1);
    for (const match of all.slice(0, end + 1).matchAll(/soak-(\d+)\n/g)) this.count(Number(match[1]));
  }

  private count(n: number): void {
    if (n >= this.counts.length) {
      const grown = new Uint16Array(Math.max(n + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    const seen = this.counts[n] as number;
    if (seen === 0) this.distinct++;
    if (seen < 0xffff) this.counts[n] = seen + 1;
    this.total++;
    this.highest = Math.max(this.highest, n);
  }

  /** Whether every record 1..produced has been seen. */
  complete(produced: number): boolean {
    return this.missing(produced, 1).length === 0;
  }

  /** Up to `limit` records of 1..produced never seen, as ranges "a-b". */
  missing(produced: number, limit = 20): string[] {
    const ranges: string[] = [];
    let n = 1;
    while (n <= produced && ranges.length < limit) {
      if ((this.counts[n] ?? 0) > 0) {
        n++;
        continue;
      }
      const first = n;
      while (n <= produced && (this.counts[n] ?? 0) === 0) n++;
      ranges.push(first === n - 1 ? String(first) : `${first}-${n - 1}`);
    }
    return ranges;
  }

  /** How many of 1..produced were never seen. */
  lost(produced: number): number {
    let lost = 0;
    for (let n = 1; n <= produced; n++) if ((this.counts[n] ?? 0) === 0) lost++;
    return lost;
  }

  /** Deliveries beyond the first of each record. */
  get duplicates(): number {
    return this.total - this.distinct;
  }
}
