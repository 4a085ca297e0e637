// The plugins a connector's tasks use besides the connector itself: key, value and header converters
// (connector setting, else worker setting) and the transformation chain (`transforms`, `predicates`).
import type {
  ConnectRecord,
  Converter,
  HeaderConverter,
  Predicate,
  Props,
  Transformation,
} from '../api/index.ts';
import { ConfigException } from '../api/index.ts';
import { withPrefix } from '../config/properties.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { PluginRegistry } from '../plugins/registry.ts';

export interface RecordConverters {
  key: Converter;
  value: Converter;
  header: HeaderConverter;
  /** The converters' class names (Java's), for error reports. */
  classNames: { key: string; value: string; header: string };
}

function chooseClass(
  connector: Props,
  worker: WorkerConfig,
  setting: 'key.converter' | 'value.converter' | 'header.converter',
): { className: string; configs: Record<string, string> } {
  const own = connector[setting]?.trim();
  if (own) return { className: own, configs: withPrefix(connector, `${setting}.`) };
  const className =
    setting === 'key.converter'
      ? worker.keyConverter
      : setting === 'value.converter'
        ? worker.valueConverter
        : worker.headerConverter;
  // Sub-settings written on the connector apply to the worker's converter too, as in Java.
  return {
    className,
    configs: { ...withPrefix(worker.originals, `${setting}.`), ...withPrefix(connector, `${setting}.`) },
  };
}

export function createConverters(
  connector: Props,
  worker: WorkerConfig,
  plugins: PluginRegistry,
): RecordConverters {
  const make = (setting: 'key.converter' | 'value.converter') => {
    const { className, configs } = chooseClass(connector, worker, setting);
    const plugin = plugins.resolve(className, ['converter'], setting);
    const converter = plugin.create() as Converter;
    converter.configure(
      { ...configs, 'converter.type': setting === 'key.converter' ? 'key' : 'value' },
      setting === 'key.converter',
    );
    return { converter, className: plugin.className };
  };
  const header = chooseClass(connector, worker, 'header.converter');
  const headerPlugin = plugins.resolve(header.className, ['header_converter'], 'header.converter');
  const headerConverter = headerPlugin.create() as HeaderConverter;
  headerConverter.configure({ ...header.configs, 'converter.type': 'header' });
  const key = make('key.converter');
  const value = make('value.converter');
  return {
    key: key.converter,
    value: value.converter,
    header: headerConverter,
    classNames: { key: key.className, value: value.className, header: headerPlugin.className },
  };
}

interface ChainLink<R extends ConnectRecord> {
  alias: string;
  /** The transformation's class name (Java's), for error reports. */
  className: string;
  transformation: Transformation<R>;
  predicate?: Predicate<R>;
  negate: boolean;
}

/** The connector's transformations in order; a predicate decides per record whether one applies. */
export class TransformationChain<R extends ConnectRecord> {
  private readonly links: ChainLink<R>[];

  constructor(links: ChainLink<R>[]) {
    this.links = links;
  }

  static fromConfig<R extends ConnectRecord>(
    connector: Props,
    plugins: PluginRegistry,
  ): TransformationChain<R> {
    const aliases = splitList(connector['transforms']);
    const predicates = new Map<string, Predicate<R>>();
    for (const alias of splitList(connector['predicates'])) {
      const type = connector[`predicates.${alias}.type`];
      if (!type)
        throw new ConfigException([
          {
            name: `predicates.${alias}.type`,
            message: `Missing required configuration "predicates.${alias}.type" which has no default value.`,
          },
        ]);
      const predicate = plugins
        .resolve(type, ['predicate'], `predicates.${alias}.type`)
        .create() as Predicate<R>;
      predicate.configure(withPrefix(connector, `predicates.${alias}.`));
      predicates.set(alias, predicate);
    }
    const links = aliases.map((alias): ChainLink<R> => {
      const type = connector[`transforms.${alias}.type`];
      if (!type)
        throw new ConfigException([
          {
            name: `transforms.${alias}.type`,
            message: `Missing required configuration "transforms.${alias}.type" which has no default value.`,
          },
        ]);
      const plugin = plugins.resolve(type, ['transformation'], `transforms.${alias}.type`);
      const transformation = plugin.create() as Transformation<R>;
      transformation.configure(withPrefix(connector, `transforms.${alias}.`));
      const predicateAlias = connector[`transforms.${alias}.predicate`];
      const predicate = predicateAlias ? predicates.get(predicateAlias) : undefined;
      if (predicateAlias && !predicate) {
        throw new ConfigException(
          `transforms.${alias}.predicate`,
          predicateAlias,
          `predicate "${predicateAlias}" is not listed in "predicates"`,
        );
      }
      return {
        alias,
        className: plugin.className,
        transformation,
        predicate,
        // Boolean.parseBoolean, as Java reads it: 'true' in any case, anything else is false.
        negate: connector[`transforms.${alias}.negate`]?.toLowerCase() === 'true',
      };
    });
    return new TransformationChain(links);
  }

  get isEmpty(): boolean {
    return this.links.length === 0;
  }

  /** The record after every transformation, or null when one dropped it. */
  apply(record: R): R | null {
    let current: R | null = record;
    for (const link of this.links) {
      if (current === null) return null;
      current = applyLink(link, current);
    }
    return current;
  }

  /** The transformations one by one (with their predicates), for the error handling to run each as a stage. */
  get stages(): readonly TransformationStage<R>[] {
    return this.links.map((link) => ({ className: link.className, apply: (r: R) => applyLink(link, r) }));
  }

  close(): void {
    for (const link of this.links) {
      link.transformation.close();
      link.predicate?.close();
    }
  }
}

export interface TransformationStage<R extends ConnectRecord> {
  readonly className: string;
  apply(record: R): R | null;
}

/** One transformation, when its predicate (if any) says so; the record unchanged otherwise. */
function applyLink<R extends ConnectRecord>(link: ChainLink<R>, record: R): R | null {
  if (link.predicate && link.predicate.test(record) === link.negate) return record;
  return link.transformation.apply(record);
}

export function splitList(value: string | undefined): string[] {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? [] : trimmed.split(/\s*,\s*/);
}
