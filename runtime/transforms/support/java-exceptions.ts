// Java's unchecked exceptions that Kafka's transforms let through, by Java's simple class name, so
// that a failure reads the same in Weir as in Apache Kafka Connect.

export class IllegalArgumentException extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class IndexOutOfBoundsException extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NullPointerException extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** java.util.regex.PatternSyntaxException: its message names the problem, the index and the pattern. */
export class PatternSyntaxException extends IllegalArgumentException {
  constructor(description: string, pattern: string, index: number) {
    const caret = index >= 0 && index < pattern.length ? `\n${' '.repeat(index)}^` : '';
    super(`${description}${index >= 0 ? ` near index ${index}` : ''}\n${pattern}${caret}`);
  }
}
