// The tokenizer of Values.parseString: text split at unescaped delimiters (: , { } [ ] "), with
// one token of look-ahead, marks and rewinding, and Java's notion of whitespace (String.trim()).

const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"']);
/** Java's String.trim(): strips every character up to U+0020 from both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}
export const isBlank = (s: string) => javaTrim(s) === '';

/** Splits text at unescaped delimiters; the parser looks ahead one token and can rewind. */
export class Tokenizer {
  readonly original: string;
  private index = 0;
  private peeked: string | null = null;
  private last: string | null = null;

  constructor(original: string) {
    this.original = original;
  }

  position(): number {
    return this.index;
  }
  mark(): number {
    return this.index - (this.peeked?.length ?? 0);
  }
  rewindTo(position: number): void {
    this.index = position;
    this.peeked = null;
    this.last = null;
  }
  hasNext(): boolean {
    return this.peeked !== null || this.index < this.original.length;
  }
  previous(): string | null {
    return this.last;
  }

  next(): string {
    this.last = this.peeked ?? this.consume();
    this.peeked = null;
    return this.last;
  }

  /** The text of the next n tokens, or null (consuming nothing) when there are fewer. */
  nextTokens(n: number): string | null {
    const start = this.mark();
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.original.slice(start, this.position());
  }

  /** Consumes the next token when, whitespace aside, it is `expected`; blank tokens are skipped. */
  canConsume(expected: string): boolean {
    if (this.peeked === null) {
      if (!this.hasNext()) return false;
      this.peeked = this.consume();
    }
    while (isBlank(this.peeked) && this.index < this.original.length) this.peeked = this.consume();
    if (javaTrim(this.peeked) !== expected) return false;
    this.peeked = null;
    return true;
  }

  private consume(): string {
    const start = this.index;
    let escaped = false;
    for (; this.index < this.original.length; this.index++) {
      const c = this.original[this.index] as string;
      if (c === '\\') {
        escaped = !escaped;
      } else if (DELIMITERS.has(c) && !escaped) {
        if (start < this.index) return this.original.slice(start, this.index);
        this.index++;
        return c;
      } else {
        escaped = false;
      }
    }
    return this.original.slice(start);
  }
}
