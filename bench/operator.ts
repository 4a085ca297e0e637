// `npm run bench -- operator`: the operator on the local cluster, with a real broker and Weir workers
// as pods, each KafkaConnector a VerifiableSource of one task writing 1 record/s.
//
// (a) 20 KafkaConnectors applied at once on one KafkaConnect of 2 workers: time from each create to
//     its status Ready with the task RUNNING; how long status.topics lags behind the workers
//     reporting the topic; a spec.logging change until every worker reports the new level.
// (b) the pod running most tasks deleted: time until every task is RUNNING on a live worker, seen
//     by the workers' REST API and by the KafkaConnectors' status.
// (c) 200 KafkaConnectors over 5 KafkaConnects of 1 worker (operator-scale.ts).
// The driver polls the API server and the workers every 50–100 ms, so times are that much coarse.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { ConnectorStateInfo } from '../runtime/rest/types.ts';
import { createNamespace } from '../e2e/kube.ts';
import { REPO_ROOT, stopBroker } from '../tools/kafka/testbed.ts';
import {
  createConnect,
  createConnector,
  deleteConnectors,
  isReadyResource,
  list,
  path,
  startEnv,
  startOperator,
  until,
  Workers,
  type BenchEnv,
  type Resource,
} from './operator-env.ts';
import { runScale, type ScaleResult } from './operator-scale.ts';
import { markdownTable, percentile } from './table.ts';

export interface OperatorBenchOptions {
  /** Rounds of (a), pod deletions of (b), logging changes. */
  runs: number;
  /** KafkaConnectors per round of (a). */
  connectors: number;
  scaleConnectors: number;
  scaleClusters: number;
  /** How long (c) watches the converged operator. */
  steadyMs: number;
  /** Only these parts: apply, kill, logging, scale. */
  only?: string[];
  keep: boolean;
  log: (line: string) => void;
}

const CLUSTER = 'bench';
const PROBE_LOGGER = 'weir.bench.probe';

type Entry = { status?: ConnectorStateInfo; topics?: string[] };

const running = (s: ConnectorStateInfo | undefined, notOn?: string): boolean =>
  !!s &&
  s.connector.state === 'RUNNING' &&
  s.tasks.length > 0 &&
  s.tasks.every((t) => t.state === 'RUNNING' && (!notOn || !t.worker_id.startsWith(`${notOn}:`)));

const upAndRunning = (o: Resource<'KafkaConnector'>, notOn?: string): boolean =>
  isReadyResource(o) && running(o.status?.connectorStatus, notOn);

/** (a) one round: create `names` at once; per connector ms to Ready, and the status.topics lag. */
async function applyRound(env: BenchEnv, ns: string, workers: Workers, names: string[]) {
  const created = new Map<string, number>();
  const readyAt = new Map<string, number>();
  const workerTopicsAt = new Map<string, number>();
  const workerRunningAt = new Map<string, number>();
  const statusTopicsAt = new Map<string, number>();
  await Promise.all(
    names.map(async (name) => {
      created.set(name, Date.now());
      await createConnector(env, ns, CLUSTER, name, `bench-${name}`);
    }),
  );
  await until(
    `${names.length} KafkaConnectors Ready with topics`,
    async () => {
      const [items, entries] = await Promise.all([
        list(env, 'KafkaConnector', ns),
        workers
          .call<Record<string, Entry>>('GET', '/connectors?expand=status&expand=topics')
          .catch((): Record<string, Entry> => ({})),
      ]);
      const now = Date.now();
      for (const o of items) {
        const n = o.metadata.name;
        if (!created.has(n)) continue;
        if (!readyAt.has(n) && upAndRunning(o)) readyAt.set(n, now);
        if (!statusTopicsAt.has(n) && o.status?.topics?.length) statusTopicsAt.set(n, now);
      }
      for (const [n, e] of Object.entries(entries)) {
        if (!created.has(n)) continue;
        if (!workerTopicsAt.has(n) && e.topics?.length) workerTopicsAt.set(n, now);
        if (!workerRunningAt.has(n) && running(e.status)) workerRunningAt.set(n, now);
      }
      return readyAt.size === names.length && statusTopicsAt.size === names.length ? true : undefined;
    },
    180_000,
    100,
  );
  return {
    readyMs: names.map((n) => readyAt.get(n)! - created.get(n)!),
    runningMs: names
      .filter((n) => workerRunningAt.has(n))
      .map((n) => workerRunningAt.get(n)! - created.get(n)!),
    topicsLagMs: names
      .filter((n) => workerTopicsAt.has(n))
      .map((n) => Math.max(0, statusTopicsAt.get(n)! - workerTopicsAt.get(n)!)),
  };
}

/** Until both workers are ready, every connector runs and (for up to 60 s) both workers have tasks. */
async function steady(env: BenchEnv, ns: string, workers: Workers, names: string[], replicas: number) {
  const since = Date.now();
  return until(
    'a steady cluster',
    async () => {
      const ips = await workers.readyIps();
      if (ips.length < replicas) return undefined;
      const entries = await workers.call<Record<string, Entry>>('GET', '/connectors?expand=status');
      if (!names.every((n) => running(entries[n]?.status))) return undefined;
      if (!(await list(env, 'KafkaConnector', ns)).every((o) => upAndRunning(o))) return undefined;
      const perWorker = new Map<string, number>();
      for (const n of names) {
        for (const t of entries[n]!.status!.tasks) {
          const ip = t.worker_id.split(':')[0]!;
          perWorker.set(ip, (perWorker.get(ip) ?? 0) + 1);
        }
      }
      if (perWorker.size < Math.min(replicas, 2) && Date.now() - since < 60_000) return undefined;
      return [...perWorker].sort((a, b) => b[1] - a[1]);
    },
    180_000,
    500,
  );
}

/** (b) one run: delete the pod running most tasks; ms until the workers, then status, show all running. */
async function podKill(env: BenchEnv, ns: string, workers: Workers, names: string[]) {
  const hosts = await steady(env, ns, workers, names, 2);
  const [victimIp, tasks] = hosts[0]!;
  const pod = (await workers.pods()).find((p) => p.status?.podIP === victimIp)!;
  const killed = Date.now();
  await env.k.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: ns });
  let workersMs: number | undefined;
  let statusMs: number | undefined;
  await until(
    'every task RUNNING on live workers',
    async () => {
      const [entries, items] = await Promise.all([
        workersMs === undefined
          ? workers
              .call<Record<string, Entry>>('GET', '/connectors?expand=status', victimIp)
              .catch((): Record<string, Entry> => ({}))
          : Promise.resolve({} as Record<string, Entry>),
        list(env, 'KafkaConnector', ns),
      ]);
      const now = Date.now();
      if (workersMs === undefined && names.every((n) => running(entries[n]?.status, victimIp)))
        workersMs = now - killed;
      if (statusMs === undefined && items.every((o) => upAndRunning(o, victimIp))) statusMs = now - killed;
      return workersMs !== undefined && statusMs !== undefined ? true : undefined;
    },
    120_000,
    50,
  );
  return { workersMs: workersMs!, statusMs: statusMs!, moved: tasks };
}

/** spec.logging set to `level` for a probe logger: ms until every ready worker reports it. */
async function loggingChange(env: BenchEnv, ns: string, workers: Workers, level: string) {
  const uids = new Set((await workers.pods()).map((p) => p.metadata?.uid));
  const changed = Date.now();
  await env.client.request('PATCH', path('KafkaConnect', ns, CLUSTER), {
    body: { spec: { logging: { type: 'inline', loggers: { [PROBE_LOGGER]: level } } } },
    contentType: 'application/merge-patch+json',
  });
  const ms = await until(
    `${PROBE_LOGGER}=${level} on every worker`,
    async () => {
      const ips = await workers.readyIps();
      const levels = await Promise.all(
        ips.map((ip) =>
          workers
            .callOne<{ level?: string }>(ip, 'GET', `/admin/loggers/${PROBE_LOGGER}`)
            .then((r) => r.body?.level),
        ),
      );
      return ips.length > 0 && levels.every((l) => l === level) ? Date.now() - changed : undefined;
    },
    60_000,
    50,
  );
  const restarted = (await workers.pods()).filter((p) => !uids.has(p.metadata?.uid)).length;
  return { ms, restarted };
}

const fmt = (v: number | undefined, digits = 0): string =>
  v === undefined || !Number.isFinite(v)
    ? '–'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function distributionRow(what: string, runs: number, values: number[]): string[] {
  return [
    what,
    String(runs),
    String(values.length),
    fmt(percentile(values, 50)),
    fmt(percentile(values, 95)),
    fmt(Math.max(...values)),
  ];
}

/** The checkout's commit when the bench starts (the operator and the workers run its sources). */
function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'no commit';
  }
}

export async function runOperatorBench(o: OperatorBenchOptions): Promise<string> {
  const { log } = o;
  const commit = headCommit();
  const want = (part: string) => !o.only || o.only.includes(part);
  const work = mkdtempSync(join(REPO_ROOT, '.weir', 'bench-operator-'));
  const env = await startEnv(work, log);
  const ready: number[] = [];
  const runningOnWorkers: number[] = [];
  const topicsLag: number[] = [];
  const kills: { workersMs: number; statusMs: number; moved: number }[] = [];
  const logging: { ms: number; restarted: number }[] = [];
  let connectReadyMs: number | undefined;
  let scale: ScaleResult | undefined;
  try {
    if (want('apply') || want('kill') || want('logging')) {
      const ns = await createNamespace(env.k, 'bench-operator');
      log(`namespace ${ns}; operator log in ${work}`);
      const op = await startOperator(env, [ns], 'bench-operator');
      try {
        const workers = new Workers(env, ns, CLUSTER);
        const started = Date.now();
        await createConnect(env, ns, CLUSTER, 2);
        await until(
          'KafkaConnect Ready',
          async () => {
            const kc = (await list(env, 'KafkaConnect', ns))[0];
            return kc && isReadyResource(kc) && kc.status?.connectorPlugins?.length ? true : undefined;
          },
          300_000,
        );
        connectReadyMs = Date.now() - started;
        log(`KafkaConnect (2 workers) Ready in ${connectReadyMs} ms`);
        let names: string[] = [];
        const rounds = want('apply') ? o.runs : 1;
        for (let round = 1; round <= rounds; round++) {
          if (names.length > 0) await deleteConnectors(env, ns);
          names = Array.from({ length: o.connectors }, (_, i) => `r${round}-src-${i}`);
          const r = await applyRound(env, ns, workers, names);
          ready.push(...r.readyMs);
          runningOnWorkers.push(...r.runningMs);
          topicsLag.push(...r.topicsLagMs);
          log(
            `round ${round}: Ready p50 ${percentile(r.readyMs, 50)} ms, max ${Math.max(...r.readyMs)} ms; ` +
              `topics lag max ${Math.max(...r.topicsLagMs)} ms`,
          );
        }
        for (let run = 1; want('kill') && run <= o.runs; run++) {
          const k = await podKill(env, ns, workers, names);
          kills.push(k);
          log(`kill ${run}: ${k.moved} tasks moved; workers ${k.workersMs} ms, status ${k.statusMs} ms`);
        }
        for (let run = 1; want('logging') && run <= o.runs; run++) {
          await steady(env, ns, workers, names, 2);
          const l = await loggingChange(env, ns, workers, run % 2 === 1 ? 'DEBUG' : 'TRACE');
          logging.push(l);
          log(`logging ${run}: ${l.ms} ms, ${l.restarted} pods restarted`);
        }
        await deleteConnectors(env, ns);
      } finally {
        await op.stop();
        if (!o.keep) await env.k.core.deleteNamespace({ name: ns }).catch(() => {});
      }
    }
    if (want('scale')) scale = await runScale(env, o);
  } finally {
    await stopBroker(join(work, 'kafka')).catch(() => {});
    if (o.keep) log(`kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  return report(o, { commit, ready, runningOnWorkers, topicsLag, kills, logging, connectReadyMs, scale });
}

function report(
  o: OperatorBenchOptions,
  r: {
    commit: string;
    ready: number[];
    runningOnWorkers: number[];
    topicsLag: number[];
    kills: { workersMs: number; statusMs: number; moved: number }[];
    logging: { ms: number; restarted: number }[];
    connectReadyMs: number | undefined;
    scale: ScaleResult | undefined;
  },
): string {
  const out: string[] = [];
  const runsOf = (values: unknown[]) => (values.length ? o.runs : 0);
  if (r.ready.length || r.kills.length || r.logging.length) {
    const rows = [
      distributionRow(
        `apply ${o.connectors} KafkaConnectors → each Ready, task RUNNING`,
        runsOf(r.ready),
        r.ready,
      ),
      distributionRow(
        '… the same, until the workers show the task RUNNING',
        runsOf(r.runningOnWorkers),
        r.runningOnWorkers,
      ),
      distributionRow('workers report the topic → status.topics', runsOf(r.topicsLag), r.topicsLag),
      distributionRow(
        'pod running most tasks deleted → all tasks RUNNING (workers)',
        r.kills.length,
        r.kills.map((k) => k.workersMs),
      ),
      distributionRow(
        '… → every KafkaConnector status shows it',
        r.kills.length,
        r.kills.map((k) => k.statusMs),
      ),
      distributionRow(
        'spec.logging changed → level on every worker',
        r.logging.length,
        r.logging.map((l) => l.ms),
      ),
    ].filter((row) => row[2] !== '0');
    out.push(markdownTable(['1 KafkaConnect of 2 workers', 'runs', 'n', 'p50 ms', 'p95 ms', 'max ms'], rows));
    out.push('');
    out.push(
      `KafkaConnect applied → Ready with plugins: ${fmt(r.connectReadyMs)} ms. ` +
        (r.kills.length ? `Tasks moved per kill: ${r.kills.map((k) => k.moved).join(', ')}. ` : '') +
        (r.logging.length
          ? `Pods restarted by the logging changes: ${r.logging.reduce((n, l) => n + l.restarted, 0)}.`
          : ''),
    );
  }
  if (r.scale) {
    const s = r.scale;
    out.push('');
    out.push(
      markdownTable(
        [
          `${o.scaleConnectors} KafkaConnectors over ${o.scaleClusters} KafkaConnects (1 worker each)`,
          'value',
        ],
        [
          ['all KafkaConnects Ready (s after the first apply)', fmt(s.connectsReadyMs / 1000, 1)],
          ['all KafkaConnectors Ready, tasks RUNNING (s after the first apply)', fmt(s.allReadyMs / 1000, 1)],
          ['… and every status.topics filled (s)', fmt(s.allTopicsMs / 1000, 1)],
          ['operator peak RSS (MiB)', fmt(s.peakRssMb)],
          [`operator steady RSS, median over ${o.steadyMs / 1000} s after (MiB)`, fmt(s.steadyRssMb)],
          ['operator idle RSS before the apply (MiB)', fmt(s.idleRssMb)],
          ['operator V8 heap used, steady (MiB)', fmt(s.steadyHeapUsedMb)],
          ['reconciles/s while converging', fmt(s.convergingReconcilesPerSec, 1)],
          ['reconciles/s steady', fmt(s.steadyReconcilesPerSec, 2)],
          ['REST calls per poll while converging (all calls ÷ polls)', fmt(s.convergingCallsPerPoll, 2)],
          ['REST calls per poll steady (all calls ÷ polls)', fmt(s.steadyCallsPerPoll, 2)],
          [`polls/s steady (${o.scaleClusters} clusters, every 2 s)`, fmt(s.steadyPollsPerSec, 2)],
        ],
      ),
    );
  }
  out.push('');
  out.push(
    `${new Date().toISOString().slice(0, 10)}, ${r.commit}, ${cpus().length} cores, Node ` +
      `${process.versions.node}. Each KafkaConnector: VerifiableSource, 1 task, 1 record/s. Percentiles by nearest rank.`,
  );
  return out.join('\n');
}
