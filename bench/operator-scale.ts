// (c) of `npm run bench -- operator`: N KafkaConnectors over M KafkaConnects of 1 worker each, all
// applied at once to a fresh operator process. Measured: time until every KafkaConnect and every
// KafkaConnector is Ready (tasks RUNNING), the operator's peak RSS (VmHWM) and its RSS once steady,
// reconciles/s (weir_operator_reconcile_total) while converging and steady, and REST calls per
// poll (weir_operator_connect_requests_total ÷ weir_operator_connector_polls_total).
import { createNamespace } from '../e2e/kube.ts';
import {
  createConnect,
  createConnector,
  deleteConnectors,
  isReadyResource,
  list,
  sleep,
  startOperator,
  until,
  type BenchEnv,
} from './operator-env.ts';
import { total, type Sample } from '../e2e/operator-process.ts';
import { median } from './table.ts';

export interface ScaleResult {
  connectsReadyMs: number;
  allReadyMs: number;
  /** Until every KafkaConnector also has status.topics (the steady window starts then). */
  allTopicsMs: number;
  idleRssMb: number;
  peakRssMb: number;
  steadyRssMb: number;
  /** nodejs_heap_size_used_bytes at the end: what of the RSS is live JavaScript objects. */
  steadyHeapUsedMb: number;
  convergingReconcilesPerSec: number;
  steadyReconcilesPerSec: number;
  convergingCallsPerPoll: number;
  steadyCallsPerPoll: number;
  steadyPollsPerSec: number;
}

interface Counts {
  at: number;
  reconciles: number;
  requests: number;
  polls: number;
  /** Every counter sample by name and labels, for the breakdown in the log. */
  all: Map<string, number>;
}

const counts = (samples: Sample[]): Counts => ({
  at: Date.now(),
  reconciles: total(samples, 'weir_operator_reconcile_total'),
  requests: total(samples, 'weir_operator_connect_requests_total'),
  polls: total(samples, 'weir_operator_connector_polls_total'),
  all: new Map(
    samples
      .filter((x) => /^weir_operator_(reconcile|connect_requests|connector_polls)_total$/.test(x.name))
      .map((x) => [`${x.name}${JSON.stringify(x.labels)}`, x.value]),
  ),
});

/** What grew between a and b, one counter a line. */
const growth = (a: Counts, b: Counts): string =>
  [...b.all]
    .filter(([k, v]) => v !== (a.all.get(k) ?? 0))
    .map(([k, v]) => `  ${k} +${v - (a.all.get(k) ?? 0)}`)
    .join('\n');

const rate = (a: Counts, b: Counts, key: 'reconciles' | 'polls') =>
  (b[key] - a[key]) / ((b.at - a.at) / 1000);
const perPoll = (a: Counts, b: Counts) => (b.requests - a.requests) / Math.max(1, b.polls - a.polls);

export async function runScale(
  env: BenchEnv,
  o: { scaleConnectors: number; scaleClusters: number; steadyMs: number; keep: boolean },
): Promise<ScaleResult> {
  const { log } = env;
  const ns = await createNamespace(env.k, 'bench-operator-scale');
  log(`(c) namespace ${ns}: ${o.scaleConnectors} KafkaConnectors over ${o.scaleClusters} KafkaConnects`);
  const op = await startOperator(env, [ns], 'bench-operator-scale');
  const rss: { at: number; mb: number }[] = [];
  const sampler = setInterval(() => rss.push({ at: Date.now(), mb: op.memory().rssMb }), 250);
  try {
    await sleep(2_000);
    const idleRssMb = op.memory().rssMb;
    const clusters = Array.from({ length: o.scaleClusters }, (_, i) => `c${i + 1}`);
    const names = Array.from({ length: o.scaleConnectors }, (_, i) => ({
      cluster: clusters[i % clusters.length]!,
      name: `${clusters[i % clusters.length]}-src-${Math.floor(i / clusters.length)}`,
    }));
    const before = counts(await op.metrics());
    const t0 = Date.now();
    await Promise.all(clusters.map((c) => createConnect(env, ns, c, 1)));
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(
        names.slice(i, i + 20).map((n) => createConnector(env, ns, n.cluster, n.name, `bench-${n.cluster}`)),
      );
    }
    log(`(c) applied in ${Date.now() - t0} ms`);
    let connectsReadyMs: number | undefined;
    let allReadyMs: number | undefined;
    let lastLog = 0;
    const allTopicsMs = await until(
      'every KafkaConnect and KafkaConnector Ready, with status.topics',
      async () => {
        const [connects, connectors] = await Promise.all([
          list(env, 'KafkaConnect', ns),
          list(env, 'KafkaConnector', ns),
        ]);
        const now = Date.now();
        if (connectsReadyMs === undefined && connects.filter(isReadyResource).length === clusters.length)
          connectsReadyMs = now - t0;
        const up = connectors.filter(
          (k) =>
            isReadyResource(k) &&
            (k.status?.connectorStatus?.tasks.length ?? 0) > 0 &&
            k.status!.connectorStatus!.tasks.every((t) => t.state === 'RUNNING'),
        ).length;
        const withTopics = connectors.filter((k) => k.status?.topics?.length).length;
        if (allReadyMs === undefined && connectsReadyMs !== undefined && up === names.length)
          allReadyMs = now - t0;
        if (now - lastLog > 10_000) {
          lastLog = now;
          log(`(c) ${Math.round((now - t0) / 1000)} s: ${up}/${names.length} KafkaConnectors Ready`);
        }
        return allReadyMs !== undefined && withTopics === names.length ? now - t0 : undefined;
      },
      20 * 60_000,
      1_000,
    );
    const converged = counts(await op.metrics());
    const peakAtConvergence = op.memory().peakMb;
    log(
      `(c) all Ready in ${allReadyMs} ms, topics in ${allTopicsMs} ms; watching the steady operator for ${o.steadyMs / 1000} s`,
    );
    const versions = new Map((await list(env, 'KafkaConnector', ns)).map((k) => [k.metadata.name, k]));
    await sleep(o.steadyMs);
    const rewritten = (await list(env, 'KafkaConnector', ns)).filter(
      (k) => versions.get(k.metadata.name)?.metadata.resourceVersion !== k.metadata.resourceVersion,
    );
    log(`(c) KafkaConnectors written while steady: ${rewritten.length}`);
    for (const k of rewritten.slice(0, 3)) {
      const was = versions.get(k.metadata.name)?.status;
      log(`  ${k.metadata.name}: ${JSON.stringify(was)}\n  → ${JSON.stringify(k.status)}`);
    }
    const afterSamples = await op.metrics();
    const after = counts(afterSamples);
    const mib = (name: string) => Math.round(total(afterSamples, name) / 2 ** 20);
    log(
      `(c) operator memory at the end: RSS ${Math.round(op.memory().rssMb)} MiB; V8 heap used ` +
        `${mib('nodejs_heap_size_used_bytes')} of ${mib('nodejs_heap_size_total_bytes')} MiB, external ` +
        `${mib('nodejs_external_memory_bytes')} MiB`,
    );
    log(`(c) converging:\n${growth(before, converged)}\n(c) steady:\n${growth(converged, after)}`);
    const steadyFrom = converged.at;
    return {
      connectsReadyMs: connectsReadyMs!,
      allReadyMs: allReadyMs!,
      allTopicsMs,
      idleRssMb,
      peakRssMb: Math.max(peakAtConvergence, op.memory().peakMb),
      steadyHeapUsedMb: total(afterSamples, 'nodejs_heap_size_used_bytes') / 2 ** 20,
      steadyRssMb: median(rss.filter((s) => s.at >= steadyFrom).map((s) => s.mb)) ?? NaN,
      convergingReconcilesPerSec: rate(before, converged, 'reconciles'),
      steadyReconcilesPerSec: rate(converged, after, 'reconciles'),
      convergingCallsPerPoll: perPoll(before, converged),
      steadyCallsPerPoll: perPoll(converged, after),
      steadyPollsPerSec: rate(converged, after, 'polls'),
    };
  } finally {
    clearInterval(sampler);
    log('(c) deleting the KafkaConnectors');
    await deleteConnectors(env, ns, 300_000);
    await op.stop();
    if (!o.keep) await env.k.core.deleteNamespace({ name: ns }).catch(() => {});
  }
}
