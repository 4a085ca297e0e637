// Connector config validation, as AbstractHerder.validateConnectorConfig: the framework's settings
// (common, source or sink), the connector's own ConfigDef and validate(), converters and transforms.
// Feeds the validate endpoint and refuses invalid configs on create/update with every problem listed.
import type { ConfigDef, ConfigKey, ConfigValue, Connector } from '../api/index.ts';
import { renderConfigValue } from '../api/index.ts';
import {
  clientOverrides,
  clientsOf,
  overridePrefix,
  refusal,
  type ClientOverridePolicy,
} from '../config/client-overrides.ts';
import {
  connectorConfigDef,
  sinkConnectorConfigDef,
  sinkTopicsProblems,
  sourceConnectorConfigDef,
} from '../config/connector-config.ts';
import { hasPlaceholder } from '../config/config-providers.ts';
import { redactSecrets } from '../config/secrets.ts';
import { badRequest, WeirError } from '../errors.ts';
import { versionMismatch } from '../config/plugin-versions.ts';
import type { PluginDescriptor, PluginRegistry } from '../plugins/registry.ts';
import type { ConfigInfos, ConfigKeyInfo, PluginInfo, PluginType } from '../rest/types.ts';
import { sinkGroupInstanceId } from '../worker/sink-group-instance.ts';
import { unknownPredicateProblems, withTransformSettings } from './transform-settings.ts';
import { checkExactlyOnce, type ExactlyOnceMode } from './exactly-once-validation.ts';
import { connectorOffsetsTopic } from './connector-offset-topics.ts';

export function configKeyInfo(key: ConfigKey): ConfigKeyInfo {
  return {
    name: key.name,
    type: key.type,
    required: key.defaultValue === undefined,
    default_value: key.defaultValue === undefined ? null : renderConfigValue(key.defaultValue, key.type),
    importance: key.importance,
    documentation: key.documentation,
    group: key.group ?? null,
    order_in_group: key.orderInGroup,
    width: key.width,
    display_name: key.displayName,
    dependents: key.dependents,
  };
}

function configDefOf(plugin: { config?: () => ConfigDef }): ConfigDef | undefined {
  try {
    return plugin.config?.();
  } catch {
    return undefined;
  }
}

/** The settings a plugin documents (GET /connector-plugins/{plugin}/config). */
export function pluginConfigKeys(plugins: PluginRegistry, name: string): ConfigKeyInfo[] {
  const plugin = plugins.find(name);
  if (!plugin) {
    throw new WeirError(
      'WEIR_NOT_FOUND',
      `Unknown plugin ${name}. GET /connector-plugins?connectorsOnly=false lists the available plugins.`,
    );
  }
  const def = configDefOf(plugin.create() as { config?: () => ConfigDef });
  const own = (def?.configKeys() ?? []).map(configKeyInfo);
  // As Apache Kafka Connect 4.x: a connector's own settings, then the framework's source or sink ones.
  if (plugin.type !== 'source' && plugin.type !== 'sink') return own;
  const versions = { connector: plugin.version };
  const framework =
    plugin.type === 'sink' ? sinkConnectorConfigDef(versions) : sourceConnectorConfigDef(versions);
  const names = new Set(own.map((k) => k.name));
  return [
    ...own,
    ...framework
      .configKeys()
      .filter((k) => !names.has(k.name))
      .map(configKeyInfo),
  ];
}

function extraProblems(
  config: Record<string, string>,
  plugins: PluginRegistry,
  kind: 'source' | 'sink',
): [string, string][] {
  const problems: [string, string][] = [];
  const check = (setting: string, types: PluginType[]) => {
    const className = config[setting]?.trim();
    if (!className) return;
    try {
      plugins.resolve(className, types, setting);
    } catch (error) {
      problems.push([setting, (error as Error).message]);
    }
  };
  check('key.converter', ['converter']);
  check('value.converter', ['converter']);
  check('header.converter', ['header_converter']);
  problems.push(...unknownPredicateProblems(config));
  if (kind === 'sink') problems.push(...sinkTopicsProblems(config));
  return problems;
}

/**
 * Plugin version requirements Weir's one version of a plugin does not meet, on the class setting and
 * on the version setting, as Java reports them. As in Java, a converter's version is checked only where
 * the connector names the converter, and not at all when the connector's own version is not met.
 */
function versionProblems(
  config: Record<string, string>,
  plugins: PluginRegistry,
  connector: PluginDescriptor,
): [string, string][] {
  const mismatch = versionMismatch(
    connector.className,
    connector.version,
    config['connector.plugin.version'],
  );
  if (mismatch)
    return [
      ['connector.class', mismatch],
      ['connector.plugin.version', mismatch],
    ];
  const problems: [string, string][] = [];
  for (const kind of ['key', 'value', 'header']) {
    const className = config[`${kind}.converter`]?.trim();
    const converter = className
      ? plugins.find(className, [kind === 'header' ? 'header_converter' : 'converter'])
      : undefined;
    const setting = `${kind}.converter.plugin.version`;
    const problem = converter && versionMismatch(converter.className, converter.version, config[setting]);
    if (problem) problems.push([`${kind}.converter`, problem], [setting, problem]);
  }
  return problems;
}

/** Client settings Java's client ConfigDefs type PASSWORD: validate shows them as [hidden]. */
const CLIENT_PASSWORDS = new Set([
  'sasl.jaas.config',
  'ssl.key.password',
  'ssl.keystore.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
]);

/** Why a sink's consumer.override.group.instance.id would fail its tasks (Kafka refuses the id), or null. */
function instanceIdProblem(configured: string, tasksMax: number): string | null {
  try {
    const last = Math.max(0, (Number.isInteger(tasksMax) ? tasksMax : 1) - 1);
    sinkGroupInstanceId({ scope: undefined, connector: '', task: last, tasksMax, configured });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The connector's client overrides for the clients it uses, each with the policy's verdict, as Java's
 * validateClientOverrides lists them (after the connector's own settings).
 */
function clientOverrideInfos(
  config: Record<string, string>,
  kind: 'source' | 'sink',
  policy: ClientOverridePolicy,
  exactlyOnce: ExactlyOnceMode,
): ConfigInfos['configs'] {
  // Distributed sources read and write offsets topics with their own clients when exactly-once is
  // enabled or they have their own offsets topic.
  const offsetsTopicClients =
    exactlyOnce.mode === 'distributed' &&
    (exactlyOnce.sourceSupportEnabled || connectorOffsetsTopic(config) !== null);
  return clientsOf(kind, config, offsetsTopicClients).flatMap((client) =>
    Object.entries(clientOverrides(config, client)).map(([setting, value]) => {
      const name = `${overridePrefix(client)}${setting}`;
      const password = CLIENT_PASSWORDS.has(setting);
      const problem =
        refusal(policy, client, setting) ??
        (kind === 'sink' && client === 'consumer' && setting === 'group.instance.id'
          ? instanceIdProblem(value, Number(config['tasks.max'] ?? '1'))
          : null);
      return {
        definition: {
          name,
          type: password ? 'PASSWORD' : 'STRING',
          required: false,
          default_value: null,
          importance: 'LOW',
          documentation: `Overrides ${setting} for the connector's ${client} (as connector.client.config.override.policy allows).`,
          group: null,
          order_in_group: -1,
          width: 'NONE',
          display_name: setting,
          dependents: [],
        },
        value: {
          name,
          value: password ? '[hidden]' : value,
          recommended_values: [],
          errors: problem ? [problem] : [],
          visible: true,
        },
      };
    }),
  );
}

/**
 * A setting's value as validate shows it: as given (or as validated when not given), and a PASSWORD
 * one as [hidden], as Java's ConfigDef.convertToString shows a Password.
 */
function shownValue(given: string | undefined, validated: unknown, type: ConfigKey['type']): string | null {
  if (given !== undefined) return type === 'PASSWORD' ? renderConfigValue(given, type) : given;
  return renderConfigValue(validated, type);
}

/** A CLASS setting's value as Java shows it once loaded: an alias becomes the class it names. */
function classNameOf(
  plugins: PluginRegistry,
  given: string | undefined,
  type: ConfigKey['type'],
): string | undefined {
  if (type !== 'CLASS' || given === undefined) return given;
  return plugins.find(given)?.className ?? given;
}

/**
 * Validates a connector config (its placeholders resolved by the caller, as Java validates the
 * transformed config); throws only when there is no usable connector.class.
 */
export async function validateConnectorConfig(
  plugins: PluginRegistry,
  config: Record<string, string>,
  policy: ClientOverridePolicy,
  exactlyOnce: ExactlyOnceMode = { mode: 'standalone' },
): Promise<ConfigInfos> {
  const className = config['connector.class']?.trim();
  if (!className) {
    throw badRequest(
      `Connector config ${JSON.stringify(config)} contains no connector type: set "connector.class", e.g. FileStreamSource`,
    );
  }
  const plugin = plugins.resolve(className, ['source', 'sink'], 'connector.class');
  const connector = plugin.create() as Connector;
  // Every converter Weir has is built in, all of one version: the converters' versions default to it.
  const versions = { connector: plugin.version, converters: plugins.list(['converter'])[0]?.version ?? null };
  const frameworkDef = withTransformSettings(
    connector.kind === 'sink' ? sinkConnectorConfigDef(versions) : sourceConnectorConfigDef(versions),
    plugins,
    config,
  );
  const ownDef = configDefOf(connector);
  const results = new Map<string, { key: ConfigKey; value: ConfigValue }>();
  const framework = frameworkDef.validateAll(config);
  if (connector.kind === 'source') await checkExactlyOnce(connector, config, framework, exactlyOnce);
  for (const [name, value] of framework)
    results.set(name, { key: frameworkDef.key(name) as ConfigKey, value });
  let ownValues: ConfigValue[];
  try {
    ownValues = await connector.validate(config);
  } catch (error) {
    ownValues = [
      {
        name: 'connector.class',
        value: className,
        recommendedValues: [],
        errors: [(error as Error).message],
        visible: true,
      },
    ];
  }
  for (const value of ownValues) {
    const key = ownDef?.key(value.name) ?? frameworkDef.key(value.name);
    const existing = results.get(value.name);
    if (existing)
      existing.value.errors.push(...value.errors.filter((e) => !existing.value.errors.includes(e)));
    else if (key) results.set(value.name, { key, value });
  }
  for (const [name, message] of [
    ...extraProblems(config, plugins, connector.kind),
    ...versionProblems(config, plugins, plugin),
  ]) {
    const existing = results.get(name);
    if (existing) existing.value.errors.push(message);
    else {
      const key = {
        ...(connectorConfigDef().key('name') as ConfigKey),
        name,
        displayName: name,
        group: undefined,
        documentation: '',
      };
      results.set(name, {
        key: key as ConfigKey,
        value: { name, value: config[name] ?? null, recommendedValues: [], errors: [message], visible: true },
      });
    }
  }
  const configs: ConfigInfos['configs'] = [...results.values()].map(({ key, value }) => ({
    definition: configKeyInfo(key),
    value: {
      name: value.name,
      value: shownValue(classNameOf(plugins, config[value.name], key.type), value.value, key.type),
      recommended_values: value.recommendedValues,
      errors: value.errors,
      visible: value.visible,
    },
  }));
  configs.push(...clientOverrideInfos(config, connector.kind, policy, exactlyOnce));
  const groups = [...new Set([...frameworkDef.groups(), ...(ownDef?.groups() ?? [])])];
  return {
    // Java echoes connector.class as given (an alias stays an alias).
    name: config['connector.class'] ?? plugin.className,
    error_count: configs.reduce((n, c) => n + c.value.errors.length, 0),
    groups,
    configs,
  };
}

/**
 * A validation of a config's resolved values as it is answered: a setting written with a placeholder
 * shows the placeholder, not what it resolved to, and no error message quotes a resolved secret.
 * (Java shows resolved values unless their type is PASSWORD; Weir keeps every resolved value hidden.)
 */
export function hidingResolved(infos: ConfigInfos, written: Readonly<Record<string, string>>): ConfigInfos {
  return {
    ...infos,
    configs: infos.configs.map(({ definition, value }) => {
      const raw = written[value.name];
      const shown =
        raw !== undefined && hasPlaceholder(raw) && value.value !== '[hidden]' ? raw : value.value;
      return {
        definition,
        value: {
          ...value,
          value: shown === null ? null : redactSecrets(shown),
          errors: value.errors.map(redactSecrets),
        },
      };
    }),
  };
}

/** Throws WEIR_INVALID_CONFIG with Java's message when the validation found problems. */
export function assertValid(infos: ConfigInfos): void {
  if (infos.error_count === 0) return;
  const lines = infos.configs.flatMap((c) => c.value.errors);
  throw new WeirError(
    'WEIR_INVALID_CONFIG',
    `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n${lines.join('\n')}\n` +
      'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
  );
}

/** Validates with the plugin named in the URL when the config names none (the validate endpoint). */
export function validateWithHint(
  plugins: PluginRegistry,
  pluginHint: string | null,
  config: Record<string, string>,
  policy: ClientOverridePolicy,
  exactlyOnce: ExactlyOnceMode,
): Promise<ConfigInfos> {
  const withClass =
    pluginHint && !config['connector.class'] ? { ...config, 'connector.class': pluginHint } : config;
  return validateConnectorConfig(plugins, withClass, policy, exactlyOnce);
}

/** Java's order of GET /connector-plugins: by kind, then by class name within each. */
const LISTING_ORDER: PluginType[] = [
  'sink',
  'source',
  'transformation',
  'predicate',
  'converter',
  'header_converter',
];

/** GET /connector-plugins: every plugin, or connectors only, in Java's order. */
export function pluginInfos(plugins: PluginRegistry, connectorsOnly: boolean): PluginInfo[] {
  const types = connectorsOnly ? (['source', 'sink'] as const) : undefined;
  return plugins
    .list(types)
    .map((p) => ({ class: p.className, type: p.type, version: p.version }))
    .sort(
      (a, b) =>
        LISTING_ORDER.indexOf(a.type) - LISTING_ORDER.indexOf(b.type) ||
        (a.class < b.class ? -1 : a.class > b.class ? 1 : 0),
    );
}
