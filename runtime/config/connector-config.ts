// Settings every connector has (ConnectorConfig, SourceConnectorConfig, SinkConnectorConfig in Java):
// they feed validation, the validate endpoint and the worker.
import { ConfigDef, Validators, invalid, type Validator } from '../api/index.ts';
import { pluginVersionValidator } from './plugin-versions.ts';

const COMMON = 'Common';
const TRANSFORMS = 'Transforms';
const PREDICATES = 'Predicates';
const ERRORS = 'Error Handling';
const EXACTLY_ONCE = 'Exactly Once Support';

type KeyOptions = Parameters<ConfigDef['define']>[1];

/** Versions the framework's settings default to: the connector's, and the converters' in force. */
export interface PluginVersionDefaults {
  /** connector.plugin.version's default: the connector plugin's version (null when unknown). */
  connector?: string | null;
  /** *.converter.plugin.version's default and recommended value in validate (null in the plugin's listing). */
  converters?: string | null;
}

const converterVersion = (kind: string, versions: PluginVersionDefaults): KeyOptions => ({
  type: 'STRING',
  defaultValue: versions.converters ?? null,
  validator: pluginVersionValidator,
  importance: 'LOW',
  documentation: `Version of the ${kind} converter. This worker has one version of each converter: the value must name it, be a range that contains it, or be latest.`,
  width: 'SHORT',
  displayName: `${kind[0]?.toUpperCase()}${kind.slice(1)} converter version`,
  ...(versions.converters && { recommendedValues: [versions.converters] }),
});

const converterClass = (kind: string): KeyOptions => ({
  type: 'CLASS',
  defaultValue: null,
  importance: 'LOW',
  documentation: `Converter class for ${kind}s; overrides the worker's ${kind}.converter.`,
  width: 'SHORT',
  displayName: `${kind[0]?.toUpperCase()}${kind.slice(1)} converter class`,
});

/**
 * The settings every connector has, in Java's order, groups, widths and display names (ConnectorConfig:
 * one order counter for the Common, Transforms and Predicates groups, another for Error Handling).
 */
export function connectorConfigDef(versions: PluginVersionDefaults = {}): ConfigDef {
  let order = 0;
  const common = (options: KeyOptions, group = COMMON): KeyOptions => ({
    ...options,
    group,
    orderInGroup: ++order,
  });
  let errorsOrder = 0;
  const errors = (options: KeyOptions): KeyOptions => ({
    ...options,
    group: ERRORS,
    orderInGroup: ++errorsOrder,
  });
  return new ConfigDef()
    .define(
      'name',
      common({
        type: 'STRING',
        validator: nameValidator,
        importance: 'HIGH',
        documentation: 'Globally unique name to use for this connector.',
        width: 'MEDIUM',
        displayName: 'Connector name',
      }),
    )
    .define(
      'connector.class',
      common({
        type: 'STRING',
        importance: 'HIGH',
        documentation:
          'Name or alias of the class for this connector, e.g. org.apache.kafka.connect.file.FileStreamSinkConnector, FileStreamSinkConnector or FileStreamSink.',
        width: 'LONG',
        displayName: 'Connector class',
      }),
    )
    .define(
      'connector.plugin.version',
      common({
        type: 'STRING',
        defaultValue: versions.connector ?? null,
        validator: pluginVersionValidator,
        importance: 'MEDIUM',
        documentation:
          'Version of the connector. This worker has one version of each connector: the value must name it, be a range that contains it, or be latest.',
        width: 'MEDIUM',
        displayName: 'Connector version',
        ...(versions.connector && { recommendedValues: [versions.connector] }),
      }),
    )
    .define(
      'tasks.max',
      common({
        type: 'INT',
        defaultValue: 1,
        validator: Validators.atLeast(1),
        importance: 'HIGH',
        documentation: 'Maximum number of tasks to use for this connector.',
        width: 'SHORT',
        displayName: 'Tasks max',
      }),
    )
    .define(
      'tasks.max.enforce',
      common({
        type: 'BOOLEAN',
        defaultValue: true,
        importance: 'LOW',
        documentation: '(Deprecated) Whether to enforce that the tasks.max property is respected.',
        width: 'SHORT',
        displayName: 'Enforce tasks max',
      }),
    )
    .define('key.converter', common(converterClass('key')))
    .define('key.converter.plugin.version', common(converterVersion('key', versions)))
    .define('value.converter', common(converterClass('value')))
    .define('value.converter.plugin.version', common(converterVersion('value', versions)))
    .define('header.converter', common(converterClass('header')))
    .define('header.converter.plugin.version', common(converterVersion('header', versions)))
    .define(
      'transforms',
      common(
        {
          type: 'LIST',
          defaultValue: '',
          validator: aliasesValidator('transforms'),
          importance: 'LOW',
          documentation: 'Aliases for the transformations to apply to records, in order.',
          width: 'LONG',
          displayName: 'Transforms',
        },
        TRANSFORMS,
      ),
    )
    .define(
      'predicates',
      common(
        {
          type: 'LIST',
          defaultValue: '',
          validator: aliasesValidator('predicates'),
          importance: 'LOW',
          documentation: 'Aliases for the predicates used by transformations.',
          width: 'LONG',
          displayName: 'Predicates',
        },
        PREDICATES,
      ),
    )
    .define(
      'config.action.reload',
      common({
        type: 'STRING',
        defaultValue: 'restart',
        validator: Validators.inIgnoreCase('none', 'restart'),
        importance: 'LOW',
        documentation: 'What to do when a config provider reports a change.',
        width: 'MEDIUM',
        displayName: 'Reload Action',
      }),
    )
    .define(
      'errors.retry.timeout',
      errors({
        type: 'LONG',
        defaultValue: 0,
        importance: 'MEDIUM',
        documentation: 'How long to retry a failed operation, in ms; 0 none, -1 forever.',
        width: 'MEDIUM',
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
        width: 'MEDIUM',
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
        width: 'SHORT',
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
        width: 'SHORT',
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
        width: 'SHORT',
        displayName: 'Log Error Details',
      }),
    );
}

/** Java's rule for connector names: not empty, and no ISO control characters (U+0000–U+001F, U+007F–U+009F). */
export const nameValidator: Validator = (name, value) => {
  if (value === null || value === undefined) return;
  const text = String(value);
  if (text === '') invalid(name, value, 'String may not be empty');
  const control = [...text].map((c) => c.codePointAt(0) as number).filter(isIsoControl);
  if (control.length > 0)
    invalid(
      name,
      value,
      `String may not contain control sequences but had the following ASCII chars: ${control.join(', ')}`,
    );
};
nameValidator.describe = 'non-empty string without ISO control characters';

export const isIsoControl = (code: number): boolean => code <= 0x1f || (code >= 0x7f && code <= 0x9f);

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

export function sinkConnectorConfigDef(versions: PluginVersionDefaults = {}): ConfigDef {
  return connectorConfigDef(versions)
    .define('topics', {
      type: 'LIST',
      defaultValue: '',
      importance: 'HIGH',
      documentation: 'Topics to consume, comma-separated.',
      group: COMMON,
      orderInGroup: 4,
      width: 'LONG',
      displayName: 'Topics',
    })
    .define('topics.regex', {
      type: 'STRING',
      defaultValue: '',
      importance: 'HIGH',
      documentation: 'Regular expression of topics to consume.',
      group: COMMON,
      orderInGroup: 4,
      width: 'LONG',
      displayName: 'Topics regex',
    })
    .define('errors.deadletterqueue.topic.name', {
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation: 'Topic for records that failed, if any.',
      group: ERRORS,
      orderInGroup: 6,
      width: 'MEDIUM',
      displayName: 'Dead Letter Queue Topic Name',
    })
    .define('errors.deadletterqueue.topic.replication.factor', {
      type: 'SHORT',
      defaultValue: 3,
      importance: 'MEDIUM',
      documentation: 'Replication factor of the dead letter queue topic.',
      group: ERRORS,
      orderInGroup: 7,
      width: 'MEDIUM',
      displayName: 'Dead Letter Queue Topic Replication Factor',
    })
    .define('errors.deadletterqueue.context.headers.enable', {
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Add headers describing the error to dead letter queue records.',
      group: ERRORS,
      orderInGroup: 8,
      width: 'MEDIUM',
      displayName: 'Enable Error Context Headers',
    });
}

export function sourceConnectorConfigDef(versions: PluginVersionDefaults = {}): ConfigDef {
  // Java numbers the source settings on one counter across their groups.
  return connectorConfigDef(versions)
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
      group: EXACTLY_ONCE,
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
      group: EXACTLY_ONCE,
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
      group: EXACTLY_ONCE,
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
        "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker’s global offsets topic name will be used. If specified, the offsets topic will be created if it does not already exist on the Kafka cluster targeted by this connector (which may be different from the one used for the worker's global offsets topic if the bootstrap.servers property of the connector's producer has been overridden from the worker's). Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
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
  // As Java's SinkConnectorConfig.validate: the problem is the consumed topics' (a sink must not read its own DLQ).
  const dlq = (props['errors.deadletterqueue.topic.name'] ?? '').trim();
  if (dlq && topics) {
    const listed = [...new Set(topics.split(/\s*,\s*/).filter((t) => t !== ''))];
    if (listed.includes(dlq)) {
      return [
        [
          'topics',
          `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=[${listed.join(', ')}]') consumed by the connector`,
        ],
      ];
    }
  }
  if (dlq && regex && new RegExp(`^(?:${regex})$`).test(dlq)) {
    return [
      [
        'topics.regex',
        `The DLQ topic '${dlq}' may not be matched by the regex for the topics ('topics.regex=${regex}') consumed by the connector`,
      ],
    ];
  }
  return [];
}
