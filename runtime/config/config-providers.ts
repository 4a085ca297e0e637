// Config providers, as Kafka's ConfigProvider: `${provider:[path:]key}` placeholders in worker and
// connector settings are replaced when the settings are used, so secrets need not sit in a properties
// file or in the config topic. Configured like Kafka's:
//   config.providers=env,file,directory
//   config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
// EnvVarConfigProvider: ${env:VAR}; FileConfigProvider: ${file:/path/to.properties:key};
// DirectoryConfigProvider: ${directory:/path/to/dir:filename} (the file's content). The file and
// directory providers read only under their `allowed.paths` when it is set, as Kafka's.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigException } from '../api/index.ts';
import { allowedPaths } from './allowed-paths.ts';
import { parseProperties } from './properties.ts';

export type ConfigProvider = (path: string, key: string) => string | undefined;

/** A path the provider may not read; the message is Kafka's, plus where to allow it. */
function notAllowed(provider: string, path: string, allowed: readonly string[]): Error {
  return new Error(
    `The path ${path} is not allowed to be accessed (config.providers.${provider}.param.allowed.paths=${allowed.join(',')}: add its folder there to allow it)`,
  );
}

const PROVIDER_CLASSES: Record<string, (config: Record<string, string>, name: string) => ConfigProvider> = {
  EnvVarConfigProvider: (config) => {
    const allow = config['allowlist.pattern'] ? new RegExp(`^(?:${config['allowlist.pattern']})$`) : null;
    return (_path, key) => (allow && !allow.test(key) ? undefined : process.env[key]);
  },
  FileConfigProvider: (config, name) => {
    const allowed = allowedPaths(config['allowed.paths'], `config.providers.${name}.param.allowed.paths`);
    return (path, key) => {
      if (!path) return undefined;
      const file = allowed.parseUntrustedPath(path);
      if (file === null) throw notAllowed(name, path, allowed.paths ?? []);
      return parseProperties(readFileSync(file, 'utf8'), file)[key];
    };
  },
  DirectoryConfigProvider: (config, name) => {
    const allowed = allowedPaths(config['allowed.paths'], `config.providers.${name}.param.allowed.paths`);
    return (path, key) => {
      if (!path) return undefined;
      const dir = allowed.parseUntrustedPath(path);
      if (dir === null) throw notAllowed(name, path, allowed.paths ?? []);
      // As Kafka's: the regular files of that one folder, by name (a key is never a path).
      if (!readdirSync(dir).includes(key) || !statSync(join(dir, key)).isFile()) return undefined;
      return readFileSync(join(dir, key), 'utf8');
    };
  },
};

/** The providers named in `config.providers`, each configured by config.providers.<name>.class / .param.*. */
export function configProviders(props: Readonly<Record<string, string>>): Map<string, ConfigProvider> {
  const providers = new Map<string, ConfigProvider>();
  const names = (props['config.providers'] ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  for (const name of names) {
    const className = props[`config.providers.${name}.class`]?.trim();
    if (!className) {
      throw new ConfigException(
        `config.providers.${name}.class`,
        undefined,
        `Missing required configuration "config.providers.${name}.class": the class of config provider "${name}", e.g. org.apache.kafka.common.config.provider.EnvVarConfigProvider`,
      );
    }
    const simple = className.slice(className.lastIndexOf('.') + 1);
    const factory = PROVIDER_CLASSES[simple];
    if (!factory) {
      throw new ConfigException(
        `config.providers.${name}.class`,
        className,
        `unknown config provider; known: ${Object.keys(PROVIDER_CLASSES).join(', ')}`,
      );
    }
    const prefix = `config.providers.${name}.param.`;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) params[k.slice(prefix.length)] = v;
    providers.set(name, factory(params, name));
  }
  return providers;
}

const PLACEHOLDER = /\$\{([^}:]+):(?:([^}]*):)?([^}:]+)\}/g;

/** Whether `value` holds a `${provider:[path:]key}` placeholder (of any provider, known or not). */
export function hasPlaceholder(value: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(value);
}

/**
 * What to do with a placeholder a known provider cannot resolve: 'throw' a ConfigException naming
 * every such setting (starting connectors and tasks), or 'keep' it as written (validation, as
 * Kafka's ConfigTransformer leaves a reference it has no value for).
 */
export type Unresolved = 'throw' | 'keep';

/**
 * Replaces `${provider:[path:]key}` in every value. An unknown provider is left as written (as Kafka
 * does); a known provider that has no value for the key is an error naming the setting, unless
 * `unresolved` is 'keep'.
 */
export function resolvePlaceholders(
  props: Readonly<Record<string, string>>,
  providers: ReadonlyMap<string, ConfigProvider>,
  unresolved: Unresolved = 'throw',
  onResolved?: (placeholder: string, value: string) => void,
): Record<string, string> {
  if (providers.size === 0) return { ...props };
  const out: Record<string, string> = {};
  const problems: { name: string; message: string }[] = [];
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith('config.providers')) {
      out[name] = value;
      continue;
    }
    out[name] = value.replace(
      PLACEHOLDER,
      (whole, provider: string, path: string | undefined, key: string) => {
        const resolve = providers.get(provider);
        if (!resolve) return whole;
        let resolved: string | undefined;
        try {
          resolved = resolve(path ?? '', key);
        } catch (error) {
          problems.push({
            name,
            message: `${name}: ${whole} could not be read: ${(error as Error).message}`,
          });
          return whole;
        }
        if (resolved === undefined) {
          problems.push({
            name,
            message: `${name}: ${whole} has no value (config provider "${provider}" knows no "${key}")`,
          });
          return whole;
        }
        onResolved?.(whole, resolved);
        return resolved;
      },
    );
  }
  if (problems.length > 0 && unresolved === 'throw') throw new ConfigException(problems);
  return out;
}

/**
 * Task configs as they are stored, from those a connector generated with its resolved config (as
 * Kafka's AbstractHerder.reverseTransform): each setting the connector config gives with a
 * placeholder gets that placeholder back wherever a task config has the same key, so a secret the
 * connector copies into its task configs never reaches the config topic or the REST API. Tasks
 * resolve the placeholders again when they start.
 */
export function reverseTransform(
  rawConnectorConfig: Readonly<Record<string, string>>,
  taskConfigs: readonly Readonly<Record<string, string>>[],
): Record<string, string>[] {
  const withPlaceholders = Object.entries(rawConnectorConfig).filter(([, value]) => hasPlaceholder(value));
  return taskConfigs.map((config) => {
    const stored = { ...config };
    for (const [key, raw] of withPlaceholders) if (Object.hasOwn(stored, key)) stored[key] = raw;
    return stored;
  });
}

/** Worker settings with their placeholders resolved by the providers they configure. */
export function resolveWorkerProperties(props: Readonly<Record<string, string>>): Record<string, string> {
  return resolvePlaceholders(props, configProviders(props));
}
