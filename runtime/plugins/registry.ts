// Every plugin the worker can instantiate, by the names users type: Apache Kafka's fully qualified
// class names, simple names, and aliases without the Connector/Converter/Transform suffix.
import { WeirError } from '../errors.ts';
import type { PluginType } from '../rest/types.ts';

export interface PluginDescriptor<T = unknown> {
  /** The canonical name, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector. */
  readonly className: string;
  readonly type: PluginType;
  readonly version: string;
  /** More names that resolve to this plugin. */
  readonly aliases?: readonly string[];
  create(): T;
}

const TYPE_NOUN: Record<PluginType, string> = {
  source: 'Connector',
  sink: 'Connector',
  converter: 'Converter',
  header_converter: 'HeaderConverter',
  transformation: 'Transformation',
  predicate: 'Predicate',
};

function simpleName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

/** The names a plugin answers to: FQCN, simple name, simple name without its type suffix. */
export function namesOf(plugin: PluginDescriptor): string[] {
  const simple = simpleName(plugin.className);
  const names = [plugin.className, simple, ...(plugin.aliases ?? [])];
  for (const suffix of ['Connector', 'Converter', 'Transformation', 'Transform', 'Predicate']) {
    if (simple.endsWith(suffix) && simple.length > suffix.length) names.push(simple.slice(0, -suffix.length));
  }
  return [...new Set(names)];
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] as number;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}

export class PluginRegistry {
  private readonly plugins: PluginDescriptor[] = [];
  private readonly byName = new Map<string, PluginDescriptor[]>();

  register(...plugins: PluginDescriptor[]): this {
    for (const plugin of plugins) {
      this.plugins.push(plugin);
      for (const name of namesOf(plugin)) this.byName.set(name, [...(this.byName.get(name) ?? []), plugin]);
    }
    return this;
  }

  list(types?: readonly PluginType[]): PluginDescriptor[] {
    return this.plugins.filter((p) => !types || types.includes(p.type));
  }

  find(name: string, types?: readonly PluginType[]): PluginDescriptor | undefined {
    return this.byName.get(name.trim())?.find((p) => !types || types.includes(p.type));
  }

  /**
   * Up to three names of `types` plugins closest to `name` (by edit distance), closest first; with
   * `near`, only those at most twice as far as the closest (a typo's one fix, not every plugin).
   */
  closest(name: string, types: readonly PluginType[], near = false): string[] {
    const candidates = this.list(types)
      .flatMap((p) => namesOf(p).map((n) => ({ n, d: editDistance(name, n) })))
      .sort((a, b) => a.d - b.d);
    const best = candidates[0]?.d ?? 0;
    const kept = near ? candidates.filter((c) => c.d <= Math.max(2, best * 2)) : candidates;
    return [...new Set(kept.map((c) => c.n))].slice(0, 3);
  }

  /** The plugin called `name`, or a WEIR_UNKNOWN_PLUGIN error naming the closest known names. */
  resolve(name: string, types: readonly PluginType[], setting?: string): PluginDescriptor {
    const found = this.find(name, types);
    if (found) return found;
    const noun = TYPE_NOUN[types[0] ?? 'source'];
    const closest = this.closest(name, types);
    const where = setting ? ` (setting "${setting}")` : '';
    const hint = closest.length > 0 ? ` Did you mean: ${closest.join(', ')}?` : '';
    const other = this.find(name);
    const wrongType = other
      ? ` ${other.className} is a ${other.type} plugin, not a ${types.join(' or ')} plugin.`
      : '';
    throw new WeirError(
      'WEIR_UNKNOWN_PLUGIN',
      `Failed to find any class that implements ${noun} and which name matches ${name}${where}.${wrongType}${hint} ` +
        `GET /connector-plugins lists the available plugins.`,
      { httpStatus: 400 },
    );
  }
}
