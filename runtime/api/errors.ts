// Exceptions a plugin raises, as in org.apache.kafka.connect.errors. The runtime maps them to task
// states, retries and REST error bodies.

/** Something went wrong in a connector, task or the framework. */
export class ConnectException extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Data that cannot be converted or does not fit its schema. */
export class DataException extends ConnectException {}

/** A schema that cannot be built as asked (SchemaBuilderException in Java). */
export class SchemaBuilderException extends DataException {}

/** A temporary failure: the framework retries the same operation (poll, put) later. */
export class RetriableException extends ConnectException {}

/** The operation is not supported by this plugin. */
export class NotFoundException extends ConnectException {}

/** One or more configuration problems, each naming the setting and what is wrong. */
export class ConfigException extends ConnectException {
  readonly problems: readonly { name: string; message: string }[];

  constructor(problems: { name: string; message: string }[] | string, value?: unknown, reason?: string) {
    const list =
      typeof problems === 'string'
        ? [
            {
              name: problems,
              message:
                value === undefined && reason === undefined
                  ? problems
                  : `Invalid value ${String(value)} for configuration ${problems}${reason ? `: ${reason}` : ''}`,
            },
          ]
        : problems;
    super(list.map((p) => p.message).join('; '));
    this.problems = list;
  }
}
