// Settings every connector has (ConnectorConfig, SourceConnectorConfig, SinkConnectorConfig in Java):
// they feed validation, the validate endpoint and the worker.
import { ConfigDef, Validators, invalid } from '../api/index.ts';

const COMMON = 'Common';
const TRANSFORMS = 'Transforms';
const PREDICATES = 'Predicates';
const ERRORS = 'Error Handling';

export function connectorConfigDef(): ConfigDef {
  let order = 0;
  const common = (name: string, options: Parameters<ConfigDef['define']>[1]) => ({
    ...options,
    group: COMMON,
    orderInGroup: ++order,
    displayName: options.displayName ?? name,
  });
  let errorsOrder = 0;
  const errors = (options: Parameters<ConfigDef['define']>[1]) => ({
    ...options,
    group: ERRORS,
    orderInGroup: ++errorsOrder,
  });
  return new ConfigDef()
    .define(
      'name',
      common('Connector name', {
        type: 'STRING',
        validator: Validators.nonEmptyString(),
        importance: 'HIGH',
        documentation: 'Globally unique name to use for this connector.',
        displayName: 'Connector name',
      }),
    )
    .define(
      'connector.class',
      common('Connector class', {
        type: 'STRING',
        importance: 'HIGH',
        documentation:
          'Name or alias of the class for this connector, e.g. org.apache.kafka.connect.file.FileStreamSinkConnector, FileStreamSinkConnector or FileStreamSink.',
        displayName: 'Connector class',
      }),
    )
    .define(
      'tasks.max',
      common('Tasks max', {
        type: 'INT',
        defaultValue: 1,
        validator: Validators.atLeast(1),
        importance: 'HIGH',
        documentation: 'Maximum number of tasks to use for this connector.',
        displayName: 'Tasks max',
      }),
    )
    .define(
      'tasks.max.enforce',
      common('Enforce tasks max', {
        type: 'BOOLEAN',
        defaultValue: true,
        importance: 'LOW',
        documentation: '(Deprecated) Whether to enforce that the tasks.max property is respected.',
      }),
    )
    .define(
      'key.converter',
      common('Key converter class', {
        type: 'CLASS',
        defaultValue: null,
        importance: 'LOW',
        documentation: 'Converter for keys; overrides the worker setting.',
      }),
    )
    .define(
      'value.converter',
      common('Value converter class', {
        type: 'CLASS',
        defaultValue: null,
        importance: 'LOW',
        documentation: 'Converter for values; overrides the worker setting.',
      }),
    )
    .define(
      'header.converter',
      common('Header converter class', {
        type: 'CLASS',
        defaultValue: null,
        importance: 'LOW',
        documentation: 'Converter for header values; overrides the worker setting.',
      }),
    )
    .define(
      'config.action.reload',
      common('Reload action', {
        type: 'STRING',
        defaultValue: 'restart',
        validator: Validators.inIgnoreCase('none', 'restart'),
        importance: 'LOW',
        documentation: 'What to do when a config provider reports a change.',
      }),
    )
    .define('transforms', {
      type: 'LIST',
      defaultValue: '',
      validator: aliasesValidator('transforms'),
      importance: 'LOW',
      documentation: 'Aliases for the transformations to apply to records, in order.',
      group: TRANSFORMS,
      orderInGroup: 1,
      displayName: 'Transforms',
    })
    .define('predicates', {
      type: 'LIST',
      defaultValue: '',
      validator: aliasesValidator('predicates'),
      importance: 'LOW',
      documentation: 'Aliases for the predicates used by transformations.',
      group: PREDICATES,
      orderInGroup: 1,
      displayName: 'Predicates',
    })
    .define(
      'errors.retry.timeout',
      errors({
        type: 'LONG',
        defaultValue: 0,
        importance: 'MEDIUM',
        documentation: 'How long to retry a failed operation, in ms; 0 none, -1 forever.',
        displayName: 'Retry Timeout for Errors',
      }),
    )
    .define(
      'errors.retry.delay.max.ms',
      errors({
        type: 'LONG',
        defaultValue: 60000,
        importance: 'MEDIUM',
        documentation: 'Maximum delay between retries, in ms.',
        displayName: 'Maximum Delay Between Retries for Errors',
      }),
    )
    .define(
      'errors.tolerance',
      errors({
        type: 'STRING',
        defaultValue: 'none',
        validator: Validators.inIgnoreCase('none', 'all'),
        importance: 'MEDIUM',
        documentation: 'none: any error fails the task; all: skip problematic records.',
        displayName: 'Error Tolerance',
      }),
    )
    .define(
      'errors.log.enable',
      errors({
        type: 'BOOLEAN',
        defaultValue: false,
        importance: 'MEDIUM',
        documentation: 'Log each error and the failed operation.',
        displayName: 'Log Errors',
      }),
    )
    .define(
      'errors.log.include.messages',
      errors({
        type: 'BOOLEAN',
        defaultValue: false,
        importance: 'MEDIUM',
        documentation: 'Include the failed record in the log.',
        displayName: 'Log Error Details',
      }),
    );
}

function aliasesValidator(setting: string) {
  return (name: string, value: unknown) => {
    const aliases = (value as string[] | null) ?? [];
    const seen = new Set<string>();
    for (const alias of aliases) {
      if (alias === '') invalid(name, value, `empty alias in ${setting}`);
      if (seen.has(alias)) invalid(name, value, `Duplicate alias provided.`);
      seen.add(alias);
    }
  };
}

export function sinkConnectorConfigDef(): ConfigDef {
  return connectorConfigDef()
    .define('topics', {
      type: 'LIST',
      defaultValue: '',
      importance: 'HIGH',
      documentation: 'Topics to consume, comma-separated.',
      group: COMMON,
      orderInGroup: 4,
      displayName: 'Topics',
    })
    .define('topics.regex', {
      type: 'STRING',
      defaultValue: '',
      importance: 'HIGH',
      documentation: 'Regular expression of topics to consume.',
      group: COMMON,
      orderInGroup: 4,
      displayName: 'Topics regex',
    })
    .define('errors.deadletterqueue.topic.name', {
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'Topic for records that failed, if any.',
      group: ERRORS,
      orderInGroup: 6,
      displayName: 'Dead Letter Queue Topic Name',
    })
    .define('errors.deadletterqueue.topic.replication.factor', {
      type: 'SHORT',
      defaultValue: 3,
      importance: 'MEDIUM',
      documentation: 'Replication factor of the dead letter queue topic.',
      group: ERRORS,
      orderInGroup: 7,
      displayName: 'Dead Letter Queue Topic Replication Factor',
    })
    .define('errors.deadletterqueue.context.headers.enable', {
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Add headers describing the error to dead letter queue records.',
      group: ERRORS,
      orderInGroup: 8,
      displayName: 'Enable Error Context Headers',
    });
}

export const EXACTLY_ONCE_GROUP = 'Exactly Once Support';

export function sourceConnectorConfigDef(): ConfigDef {
  // Java numbers the source settings on one counter across their groups.
  return connectorConfigDef()
    .define('topic.creation.groups', {
      type: 'LIST',
      defaultValue: '',
      validator: aliasesValidator('topic.creation.groups'),
      importance: 'LOW',
      documentation: 'Groups of configurations for topics created by source connectors',
      group: 'Topic Creation',
      orderInGroup: 1,
      width: 'LONG',
      displayName: 'Topic Creation Groups',
    })
    .define('exactly.once.support', {
      type: 'STRING',
      defaultValue: 'requested',
      validator: Validators.inIgnoreCase('requested', 'required'),
      importance: 'MEDIUM',
      documentation:
        'Permitted values are requested, required. If set to "required", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration; requests to create or validate the connector fail if the worker does not have exactly-once source support enabled.',
      group: EXACTLY_ONCE_GROUP,
      orderInGroup: 2,
      width: 'SHORT',
      displayName: 'Exactly once support',
    })
    .define('transaction.boundary', {
      type: 'STRING',
      defaultValue: 'poll',
      validator: Validators.inIgnoreCase('poll', 'interval', 'connector'),
      importance: 'MEDIUM',
      documentation:
        "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'connector', relies on connector-defined transaction boundaries. If set to 'interval', commits transactions only after a user-defined time interval has passed.",
      group: EXACTLY_ONCE_GROUP,
      orderInGroup: 3,
      width: 'SHORT',
      displayName: 'Transaction Boundary',
    })
    .define('transaction.boundary.interval.ms', {
      type: 'LONG',
      defaultValue: null,
      validator: (name, value) => {
        if (value !== null) Validators.atLeast(0)(name, value);
      },
      importance: 'LOW',
      documentation:
        "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
      group: EXACTLY_ONCE_GROUP,
      orderInGroup: 4,
      width: 'SHORT',
      displayName: 'Transaction boundary interval',
    })
    .define('offsets.storage.topic', {
      type: 'STRING',
      defaultValue: null,
      validator: (name, value) => {
        if (value !== null) Validators.nonEmptyString()(name, value);
      },
      importance: 'LOW',
      documentation:
        "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker's global offsets topic name will be used. Only applicable in distributed mode.",
      group: 'offsets.topic',
      orderInGroup: 1,
      width: 'LONG',
      displayName: 'Offsets topic',
    });
}

/** Sink-only cross-field rule: exactly one of topics and topics.regex. Returns problems as [setting, message]. */
export function sinkTopicsProblems(props: Readonly<Record<string, string>>): [string, string][] {
  const topics = (props['topics'] ?? '').trim();
  const regex = (props['topics.regex'] ?? '').trim();
  if (topics && regex) {
    const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
    return [
      ['topics', message],
      ['topics.regex', message],
    ];
  }
  if (!topics && !regex) {
    const message = 'Must configure one of topics or topics.regex';
    return [
      ['topics', message],
      ['topics.regex', message],
    ];
  }
  if (regex) {
    try {
      new RegExp(regex);
    } catch (error) {
      return [
        [
          'topics.regex',
          `Invalid value ${regex} for configuration topics.regex: ${(error as Error).message}`,
        ],
      ];
    }
  }
  const dlq = (props['errors.deadletterqueue.topic.name'] ?? '').trim();
  if (dlq && topics.split(/\s*,\s*/).includes(dlq)) {
    return [
      [
        'errors.deadletterqueue.topic.name',
        `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=${topics}') consumed by the connector`,
      ],
    ];
  }
  return [];
}
