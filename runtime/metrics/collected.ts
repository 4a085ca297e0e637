// A Prometheus metric whose series are read from live objects when it is scraped: one series per item,
// and none left over from items that are gone (a stopped task's series vanish, as its JMX beans do).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface CollectedSpec<T> {
  name: string;
  help: string;
  /** Default gauge. A counter's items must only grow (or start again from zero with a new item). */
  type?: 'gauge' | 'counter';
  labelNames: readonly string[];
  items: () => Iterable<T>;
  labels: (item: T) => Record<string, string>;
  value: (item: T, now: number) => number;
}

export function defineCollected<T>(registry: Registry, spec: CollectedSpec<T>): void {
  const { items, labels, value } = spec;
  const config = { name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] };
  if (spec.type === 'counter') {
    new Counter({
      ...config,
      collect() {
        this.reset();
        const now = Date.now();
        for (const item of items()) this.inc(labels(item), value(item, now));
      },
    });
  } else {
    new Gauge({
      ...config,
      collect() {
        this.reset();
        const now = Date.now();
        for (const item of items()) this.set(labels(item), value(item, now));
      },
    });
  }
}

/** A label-less gauge read at scrape time. */
export function defineCollectedGauge(
  registry: Registry,
  name: string,
  help: string,
  value: () => number,
): void {
  const single = [null];
  defineCollected(registry, { name, help, labelNames: [], items: () => single, labels: () => ({}), value });
}

/** Java's string-valued metric as the JMX exporter shows it: the value in a label, the sample 1; none while unknown. */
export function defineInfoGauge(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  value: () => string | undefined,
): void {
  defineCollected(registry, {
    name,
    help: `${help} as the label ${label}; the value is always 1.`,
    labelNames: [label],
    items: () => {
      const v = value();
      return v === undefined ? [] : [v];
    },
    labels: (v) => ({ [label]: v }),
    value: () => 1,
  });
}
