// Splits a byte stream into UTF-8 text lines, tracking the byte position after each line's
// terminator. Lines end at "\n", "\r\n" or a lone "\r". The reader works on bytes and decodes only
// whole lines: terminators are ASCII and never occur inside a multi-byte UTF-8 sequence, so a
// character split across two reads simply stays buffered with the rest of its unfinished line.
//
// A "\r" that is the last byte read so far ends its line at once; a "\n" arriving first in the next
// read is then swallowed (`skipLF`), so "\r\n" split across reads never yields an empty line.

/** Reads up to `length` bytes into `buffer` at `offset`, from byte `position` of the input; 0 = none now. */
export type ByteSource = (
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
) => Promise<number>;

/** Receives one line and the input position just past its terminator. */
export type LineSink = (line: string, endPosition: number) => void;

const LF = 0x0a;
const CR = 0x0d;
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

export class LineReader {
  private buffer: Buffer;
  /** Unconsumed bytes are buffer[start, end). */
  private start = 0;
  private end = 0;
  /** Input position of buffer[start]: just past the last line handed out. */
  private consumed = 0;
  /** The last line ended with a "\r" at the end of the data; a "\n" that follows belongs to it. */
  private skipLF = false;
  private readonly source: ByteSource;

  constructor(source: ByteSource, chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.source = source;
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** The input position just past the last line handed out. */
  get position(): number {
    return this.consumed;
  }

  /** Where the next read starts: after everything buffered. */
  get readPosition(): number {
    return this.consumed + (this.end - this.start);
  }

  /** Bytes buffered but not yet handed out as a line. */
  get buffered(): number {
    return this.end - this.start;
  }

  get capacity(): number {
    return this.buffer.length;
  }

  /**
   * Discards buffered data and continues from `position`. `afterCR` says the byte before `position`
   * is a "\r", so a "\n" at `position` ends that earlier line and is skipped.
   */
  reset(position: number, afterCR = false): void {
    this.start = this.end = 0;
    this.consumed = position;
    this.skipLF = afterCR;
  }

  /** Reads once from the source into free buffer space; returns the number of bytes read. */
  async fill(): Promise<number> {
    this.makeRoom();
    const n = await this.source(this.buffer, this.end, this.buffer.length - this.end, this.readPosition);
    this.end += n;
    return n;
  }

  /** Hands out up to `limit` complete lines from the buffered bytes; returns how many. */
  drain(limit: number, sink: LineSink): number {
    const data = this.buffer.subarray(this.start, this.end);
    const length = data.length;
    const base = this.consumed;
    let i = 0;
    let count = 0;
    // The next "\r" at or after i, or -1 when data holds none from there on. Searching "\r" once per
    // pass (not per line) keeps "\n"-only input linear.
    let cr = data.indexOf(CR);
    while (count < limit) {
      if (this.skipLF) {
        if (i >= length) break;
        if (data[i] === LF) i++;
        this.skipLF = false;
      }
      if (cr !== -1 && cr < i) cr = data.indexOf(CR, i);
      const lf = data.indexOf(LF, i);
      let until: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        until = cr;
        if (cr + 1 < length) {
          next = data[cr + 1] === LF ? cr + 2 : cr + 1;
        } else {
          next = cr + 1;
          this.skipLF = true;
        }
      } else if (lf !== -1) {
        until = lf;
        next = lf + 1;
      } else {
        break;
      }
      const line = data.toString('utf8', i, until);
      i = next;
      count++;
      sink(line, base + i);
    }
    this.start += i;
    this.consumed += i;
    return count;
  }

  /** The buffered bytes of an unfinished last line, as text, consuming them (for input that ended). */
  takeRemainder(): string | null {
    if (this.start === this.end) return null;
    const text = this.buffer.toString('utf8', this.start, this.end);
    this.consumed += this.end - this.start;
    this.start = this.end = 0;
    return text;
  }

  /** Frees space for the next read: moves an unfinished line to the front, or grows for a long one. */
  private makeRoom(): void {
    if (this.start === this.end) {
      this.start = this.end = 0;
      return;
    }
    const free = this.buffer.length - this.end;
    if (free >= this.buffer.length / 4) return;
    if (this.start > 0) {
      this.buffer.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.buffer.length - this.end < this.buffer.length / 4) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, this.end);
      this.buffer = bigger;
    }
  }
}
