// The Grafana dashboard the chart ships reads only metrics that exist: every metric name in its PromQL
// (panels and variables) is registered by the operator's or the worker's metrics registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperatorMetrics } from '../../../operator/runtime/metrics-server.ts';
import { ConnectMetrics } from '../../../runtime/metrics/connect-metrics.ts';

interface Target {
  expr?: string;
}
interface Panel {
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query?: string | { query: string };
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, 'weir.json'), 'utf8')) as Dashboard;

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

/** Metric names in a PromQL expression: identifiers that are not functions, keywords or labels. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(GROUPING, '')
    .replace(/\$\{?\w+\}?/g, '');
  const names = [...bare.matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1] as string);
  return names.filter((n) => !KEYWORDS.has(n.toLowerCase()));
}

function panels(list: Panel[]): Panel[] {
  return list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
}

function expressions(): { where: string; expr: string }[] {
  const fromPanels = panels(dashboard.panels).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr ?? '' })),
  );
  const fromVariables = dashboard.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => {
      const query = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      // label_values(<selector>, <label>): the label is no metric.
      const m = /^label_values\((.*),\s*\w+\)$/.exec(query.trim());
      return { where: `variable ${v.name}`, expr: m ? (m[1] as string) : query };
    });
  return [...fromPanels, ...fromVariables];
}

/** Every series name the registries expose: histograms as their _bucket, _sum and _count. */
async function registeredNames(): Promise<Set<string>> {
  const worker = new ConnectMetrics({ defaultMetrics: true });
  worker.trackRebalances({ rebalancing: () => false, leaderUrl: () => undefined });
  const operator = new OperatorMetrics();
  const names = new Set<string>();
  for (const registry of [worker.registry, operator.registry]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      // prom-client's typings call the type an enum; at run time it is the exposition's word.
      const type = String(metric.type);
      if (type === 'histogram' || type === 'summary')
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
  }
  return names;
}

describe('charts/weir/dashboards/weir.json', () => {
  it('reads metric names out of PromQL', () => {
    expect(
      metricNames(
        'sum by (kind, le) (rate(weir_operator_reconcile_duration_seconds_bucket{namespace=~"$ns"}[$__rate_interval])) and on (pod) up or vector(0) > +Inf',
      ),
    ).toEqual(['weir_operator_reconcile_duration_seconds_bucket', 'up']);
    expect(metricNames('histogram_quantile(0.99, sum(rate(x_bucket[5m])))')).toEqual(['x_bucket']);
  });

  it('uses only metrics the operator or the workers register', async () => {
    const registered = await registeredNames();
    const unknown = expressions().flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !registered.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(expressions().length).toBeGreaterThan(30);
    expect(unknown).toEqual([]);
  });

  it('shows the operator and the workers: at least one worker metric of each group', () => {
    const used = new Set(expressions().flatMap(({ expr }) => metricNames(expr)));
    for (const prefix of [
      'weir_operator_',
      'kafka_connect_worker_',
      'kafka_connect_worker_rebalance_',
      'kafka_connect_connector_',
      'kafka_connect_connector_task_',
      'kafka_connect_source_task_',
      'kafka_connect_sink_task_',
      'kafka_connect_task_error_',
      'process_',
    ])
      expect([...used].some((n) => n.startsWith(prefix)), prefix).toBe(true);
  });

  it('takes its data source from the DS_PROMETHEUS variable and has namespace, cluster and connector variables', () => {
    const variables = dashboard.templating.list.map((v) => v.name);
    expect(variables).toEqual(
      expect.arrayContaining(['DS_PROMETHEUS', 'namespace', 'cluster', 'connector']),
    );
    for (const p of panels(dashboard.panels).filter((p) => p.type !== 'row'))
      expect(p.datasource, `panel "${p.title}"`).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
  });
});
