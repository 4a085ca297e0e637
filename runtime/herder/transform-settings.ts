// The settings of a connector's transforms and predicates, as ConnectorConfig.enrich adds them to the
// connector's ConfigDef: for each alias of `transforms` (then `predicates`), its `type` and
// `plugin.version`, then the plugin's own settings under the alias' prefix (and a transform's implicit
// `predicate` and `negate`), in the group "Transforms: <alias>" / "Predicates: <alias>". Validate
// and the plugin endpoints read them from here.
import {
  ConfigDef,
  ConfigException,
  type ConfigKey,
  type Predicate,
  type Transformation,
  type Validator,
} from '../api/index.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { PluginType } from '../rest/types.ts';
import { splitList } from '../worker/plugins-for-connector.ts';

interface AliasKind {
  setting: 'transforms' | 'predicates';
  group: string;
  pluginType: PluginType;
  /** Java's base class: "Transformation" or "Predicate". */
  noun: string;
}

const TRANSFORMS: AliasKind = {
  setting: 'transforms',
  group: 'Transforms',
  pluginType: 'transformation',
  noun: 'Transformation',
};
const PREDICATES: AliasKind = {
  setting: 'predicates',
  group: 'Predicates',
  pluginType: 'predicate',
  noun: 'Predicate',
};

/** The settings every transform has (TransformationStage's predicate and negate). */
function implicitTransformSettings(): ConfigDef {
  return new ConfigDef()
    .define('predicate', {
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
    })
    .define('negate', {
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Whether the configured predicate should be negated.',
    });
}

const IMPORTANCE_ORDER = { HIGH: 0, MEDIUM: 1, LOW: 2 };

/** ConfigDef.sortedConfigs: by group, order in group, required first, importance, then name. */
function sortedKeys(def: ConfigDef): ConfigKey[] {
  const groups = def.groups();
  const groupIndex = (k: ConfigKey) => (k.group === undefined ? -1 : groups.indexOf(k.group));
  return def.configKeys().sort((a, b) => {
    const required = Number(b.defaultValue === undefined) - Number(a.defaultValue === undefined);
    return (
      groupIndex(a) - groupIndex(b) ||
      a.orderInGroup - b.orderInGroup ||
      required ||
      IMPORTANCE_ORDER[a.importance] - IMPORTANCE_ORDER[b.importance] ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    );
  });
}

/** ConfigDef.embed: the keys renamed under a prefix and group, their validators seeing the bare name. */
function embed(
  target: ConfigDef,
  prefix: string,
  group: string,
  startingOrder: number,
  child: ConfigDef,
): void {
  sortedKeys(child).forEach((key, i) => {
    const validator = key.validator;
    target.define(`${prefix}${key.name}`, {
      ...key,
      validator: validator && ((name, value) => validator(name.slice(prefix.length), value)),
      group: key.group === undefined ? group : `${group}: ${key.group}`,
      orderInGroup: startingOrder + i,
      dependents: key.dependents.map((d) => `${prefix}${d}`),
    });
  });
}

function pluginConfigDef(plugins: PluginRegistry, kind: AliasKind, className: string | undefined) {
  const descriptor = className ? plugins.find(className, [kind.pluginType]) : undefined;
  if (!descriptor) return undefined;
  const plugin = descriptor.create() as Transformation | Predicate;
  return { descriptor, def: plugin.config() };
}

function enrichKind(
  def: ConfigDef,
  plugins: PluginRegistry,
  config: Record<string, string>,
  kind: AliasKind,
): void {
  for (const alias of new Set(splitList(config[kind.setting]))) {
    const prefix = `${kind.setting}.${alias}.`;
    const group = `${kind.group}: ${alias}`;
    const typeSetting = `${prefix}type`;
    const found = pluginConfigDef(plugins, kind, config[typeSetting]?.trim());
    const typeValidator: Validator = (name, value) => {
      if (
        kind === TRANSFORMS &&
        config[`${prefix}negate`] !== undefined &&
        config[`${prefix}predicate`] === undefined
      ) {
        throw new ConfigException([
          {
            name,
            message: `Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`,
          },
        ]);
      }
      try {
        plugins.resolve(String(value), [kind.pluginType], name);
      } catch (error) {
        throw new ConfigException([
          {
            name,
            message: `Invalid value ${String(value)} for configuration ${name}: ${(error as Error).message}`,
          },
        ]);
      }
    };
    def.define(typeSetting, {
      type: 'CLASS',
      validator: typeValidator,
      importance: 'HIGH',
      documentation: `Class for the '${alias}' ${kind.noun.toLowerCase()}.`,
      group,
      orderInGroup: 0,
      width: 'LONG',
      displayName: `${kind.noun} type for ${alias}`,
      recommendedValues: plugins
        .list([kind.pluginType])
        .map((p) => p.className)
        .sort(),
    });
    def.define(`${prefix}plugin.version`, {
      type: 'STRING',
      defaultValue: found?.descriptor.version ?? null,
      importance: 'HIGH',
      documentation: `Version of the '${alias}' ${kind.noun.toLowerCase()}.`,
      group,
      orderInGroup: 1,
      width: 'LONG',
      displayName: `${kind.noun} version for ${alias}`,
      recommendedValues: found ? [found.descriptor.version] : [],
      // Weir has one version of each plugin: another is refused rather than ignored.
      validator: (name, value) => {
        if (value === null || !found || value === found.descriptor.version) return;
        throw new ConfigException([
          {
            name,
            message:
              `Invalid value ${String(value)} for configuration ${name}: Weir has version ${found.descriptor.version} ` +
              `of ${found.descriptor.className} only; set ${name}=${found.descriptor.version} or remove it`,
          },
        ]);
      },
    });
    if (!found) continue;
    const child = kind === TRANSFORMS ? implicitTransformSettings() : new ConfigDef();
    for (const key of found.def.configKeys()) {
      // The implicit settings mask a transform's own of the same name, as in Java.
      if (kind === TRANSFORMS && (key.name === 'predicate' || key.name === 'negate')) continue;
      child.define(key.name, key);
    }
    embed(def, prefix, group, 2, child);
  }
}

/** `base` plus the settings of the transforms and predicates `config` names (ConnectorConfig.enrich). */
export function withTransformSettings(
  base: ConfigDef,
  plugins: PluginRegistry,
  config: Record<string, string>,
): ConfigDef {
  const def = new ConfigDef().merge(base);
  enrichKind(def, plugins, config, TRANSFORMS);
  enrichKind(def, plugins, config, PREDICATES);
  return def;
}

/** A transform whose predicate names no alias of `predicates`: the setting and what to write. */
export function unknownPredicateProblems(config: Record<string, string>): [string, string][] {
  const predicates = new Set(splitList(config['predicates']));
  return splitList(config['transforms']).flatMap((alias): [string, string][] => {
    const setting = `transforms.${alias}.predicate`;
    const predicate = config[setting]?.trim();
    if (!predicate || predicates.has(predicate)) return [];
    return [
      [
        setting,
        `Invalid value ${predicate} for configuration ${setting}: "${predicate}" is not an alias in "predicates"; ` +
          `add it there and set predicates.${predicate}.type, or remove ${setting}`,
      ],
    ];
  });
}
