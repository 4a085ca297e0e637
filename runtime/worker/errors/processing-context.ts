// What the error handling knows about one record while it goes through the pipeline: the original
// record, the stage running now and its class, the attempts made and the error, if any (as Java's
// ProcessingContext). Stage names and class names are Java's: they go into logs and DLQ headers.

export type Stage =
  | 'TASK_POLL'
  | 'TASK_PUT'
  | 'TRANSFORMATION'
  | 'KEY_CONVERTER'
  | 'VALUE_CONVERTER'
  | 'HEADER_CONVERTER'
  | 'KAFKA_PRODUCE'
  | 'KAFKA_CONSUME';

/** Java's names of the classes the worker itself runs a stage with. */
export const SINK_TASK_CLASS = 'org.apache.kafka.connect.sink.SinkTask';
export const WORKER_SOURCE_TASK_CLASS = 'org.apache.kafka.connect.runtime.WorkerSourceTask';

export class ProcessingContext<T> {
  readonly original: T;
  stage: Stage | undefined;
  /** The class running the stage, by its Java name (e.g. org.apache.kafka.connect.json.JsonConverter). */
  executingClass = '';
  attempt = 0;
  error: unknown = undefined;

  constructor(original: T) {
    this.original = original;
  }

  position(stage: Stage, executingClass: string): void {
    this.stage = stage;
    this.executingClass = executingClass;
  }

  get failed(): boolean {
    return this.error !== undefined;
  }
}

const JAVA_EXCEPTIONS: Readonly<Record<string, string>> = {
  ConnectException: 'org.apache.kafka.connect.errors.ConnectException',
  DataException: 'org.apache.kafka.connect.errors.DataException',
  RetriableException: 'org.apache.kafka.connect.errors.RetriableException',
  NotFoundException: 'org.apache.kafka.connect.errors.NotFoundException',
  SchemaBuilderException: 'org.apache.kafka.connect.errors.SchemaBuilderException',
  ConfigException: 'org.apache.kafka.common.config.ConfigException',
  // The Java exceptions Weir's transforms raise where Kafka's let them through (runtime/transforms/support).
  IllegalArgumentException: 'java.lang.IllegalArgumentException',
  IndexOutOfBoundsException: 'java.lang.IndexOutOfBoundsException',
  NullPointerException: 'java.lang.NullPointerException',
  PatternSyntaxException: 'java.util.regex.PatternSyntaxException',
};

/**
 * The exception's class name as Java would give it: Weir's stand-ins for Connect's and Java's
 * exceptions by Java's names, anything else by its own constructor name (e.g. TypeError).
 */
export function exceptionClassName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const name = error.constructor.name || error.name;
  return JAVA_EXCEPTIONS[name] ?? name;
}

export function exceptionMessage(error: unknown): string | null {
  return error instanceof Error
    ? error.message
    : error === undefined || error === null
      ? null
      : String(error);
}

/**
 * The error as Java's printStackTrace() writes it: "<class>: <message>", its frames, then each cause
 * after "Caused by: ". The frames are the JavaScript ones.
 */
export function javaStackTrace(error: unknown): string {
  const lines: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 10; depth++) {
    const message = exceptionMessage(current);
    const head = `${depth > 0 ? 'Caused by: ' : ''}${exceptionClassName(current)}${message ? `: ${message}` : ''}`;
    lines.push(head);
    if (!(current instanceof Error)) break;
    const frames = (current.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
    lines.push(...frames.map((l) => `\tat ${l.trim().slice(3)}`));
    current = current.cause;
  }
  return `${lines.join('\n')}\n`;
}
