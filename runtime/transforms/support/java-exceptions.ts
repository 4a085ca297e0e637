// Java exceptions Kafka's transforms throw that are not Connect exceptions. The class name is the
// Java one, so that errors read (and compare with Java's) the same.

/** java.lang.IllegalArgumentException, e.g. ExtractField's "Unknown field: …". */
export class IllegalArgumentException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalArgumentException';
  }
}

/** java.lang.NullPointerException, where Kafka's transform dereferences a missing field. */
export class NullPointerException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NullPointerException';
  }
}
