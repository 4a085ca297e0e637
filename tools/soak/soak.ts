// The soak: a 3-worker Weir cluster moving numbered lines from FileStreamSource through a 6-partition
// topic to a 6-task FileStreamSink for a set time, on its own broker, while workers are killed and
// restarted, the broker is restarted and the REST API is fuzzed at random moments. Then every line
// must have reached the sink file.
import { existsSync, mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import type { ConnectorStateInfo } from '../../runtime/rest/types.ts';
import { startBroker, stopBroker } from '../kafka/testbed.ts';
import { WeirCluster } from '../weir-cluster.ts';
import { http, waitFor, type WeirProcess } from '../weir-process.ts';
import { fuzz } from './fuzz.ts';
import { LineAppender, SinkTally } from './records.ts';
import type { BrokerOutcome, KillOutcome, SoakResult } from './report.ts';

export interface SoakOptions {
  minutes: number;
  /** How many of each event (defaults grow with the minutes). */
  kills?: number;
  brokerRestarts?: number;
  fuzzRuns?: number;
  /** Lines appended to the source file per second. */
  rate: number;
  /** schemathesis examples per operation and phase, and its time limit per run. */
  fuzzExamples: number;
  fuzzSeconds: number;
  seed: number;
  /** Keep the folders (broker, worker logs, files) even when the soak passes. */
  keep: boolean;
  log: (line: string) => void;
}

const SOURCE = 'soak-file-source';
const SINK = 'soak-file-sink';
const SINK_TASKS = 6;
const RECOVERY_TIMEOUT_MS = 180_000;
/** The drain at the end gives up once the sink has seen nothing new for this long. */
const DRAIN_IDLE_MS = 60_000;

type EventKind = 'kill' | 'broker' | 'fuzz';

/** mulberry32: a small seeded generator, so a soak's moments and victims can be replayed with --seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Events at random moments between 10% and 80% of the run, in time order. */
export function planEvents(
  options: Pick<SoakOptions, 'minutes' | 'kills' | 'brokerRestarts' | 'fuzzRuns'>,
  rand: () => number,
): { kind: EventKind; atMs: number }[] {
  const durationMs = options.minutes * 60_000;
  const count = (given: number | undefined, perMinutes: number): number =>
    given ?? Math.max(1, Math.round(options.minutes / perMinutes));
  const kinds: EventKind[] = [
    ...Array<EventKind>(count(options.kills, 2.5)).fill('kill'),
    ...Array<EventKind>(count(options.brokerRestarts, 6)).fill('broker'),
    ...Array<EventKind>(count(options.fuzzRuns, 10)).fill('fuzz'),
  ];
  return kinds
    .map((kind) => ({ kind, atMs: Math.round(durationMs * (0.1 + 0.7 * rand())) }))
    .sort((a, b) => a.atMs - b.atMs);
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { log } = options;
  const rand = random(options.seed);
  const root = mkdtempSync(join(tmpdir(), 'weir-soak-'));
  const brokerDir = join(root, 'kafka');
  log(`soak: ${options.minutes} min, seed ${options.seed}, in ${root}`);
  const broker = await startBroker({ dir: brokerDir });
  const topic = 'soak-lines';
  const admin = new Admin({ clientId: 'weir-soak', bootstrapBrokers: [broker.bootstrap] });
  await admin.createTopics({ topics: [topic], partitions: SINK_TASKS, replicas: 1 });
  await admin.close();

  const cluster = new WeirCluster({
    bootstrap: broker.bootstrap,
    groupId: `soak-${Date.now().toString(36)}`,
  });
  const appender = new LineAppender(join(root, 'source.txt'), options.rate);
  const tally = new SinkTally(join(root, 'sink.txt'));
  const kills: KillOutcome[] = [];
  const brokerRestarts: BrokerOutcome[] = [];
  const failed = new Map<string, string>();
  const crashes: string[] = [];
  const serverErrors: SoakResult['serverErrors'] = [];
  let fuzzRequests = 0;
  let fuzzRuns = 0;
  /** Workers the soak itself is killing or restarting, which the watch must not count as crashes. */
  const busy = new Set<number>();
  let clean = false;
  const timers: NodeJS.Timeout[] = [];

  const anyLive = (): WeirProcess | undefined => cluster.live[Math.floor(rand() * cluster.live.length)];
  const statusOf = async (name: string): Promise<ConnectorStateInfo | undefined> => {
    for (const w of cluster.live) {
      const s = await cluster.status(name, w).catch(() => undefined);
      if (s) return s;
    }
    return undefined;
  };

  try {
    await cluster.add(3);
    log(`soak: broker ${broker.bootstrap}, workers ${cluster.workers.map((w) => w.url).join(' ')}`);
    await putConnector(cluster, SOURCE, {
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: join(root, 'source.txt'),
      topic,
    });
    await putConnector(cluster, SINK, {
      'connector.class': 'FileStreamSink',
      'tasks.max': String(SINK_TASKS),
      topics: topic,
      file: join(root, 'sink.txt'),
    });
    await cluster.waitRunning(SOURCE, 1, 120_000);
    await cluster.waitRunning(SINK, SINK_TASKS, 120_000);
    log('soak: both connectors RUNNING; appending lines');

    const started = Date.now();
    const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;
    appender.start();
    timers.push(setInterval(() => tally.read(), 250));
    // The watch: FAILED states (first sighting of each) and workers that ended on their own.
    let watching = false;
    timers.push(
      setInterval(() => {
        if (watching) return;
        watching = true;
        void (async () => {
          for (const name of [SOURCE, SINK]) {
            const s = await statusOf(name);
            const seen = s
              ? [
                  { what: 'connector', ...s.connector },
                  ...s.tasks.map((t) => ({ what: `task ${t.id}`, ...t })),
                ]
              : [];
            for (const x of seen) {
              const key = `${name} ${x.what}`;
              if (x.state === 'FAILED' && !failed.has(key)) {
                const line = `${key} on ${x.worker_id} at ${elapsed()}: ${(x.trace ?? '').split('\n')[0]}`;
                failed.set(key, line);
                log(`soak: FAILED: ${line}`);
              }
            }
          }
          for (const [i, w] of cluster.workers.entries()) {
            if (busy.has(i) || (w.child.exitCode === null && w.child.signalCode === null)) continue;
            const line = `${cluster.workerId(w)} exited (${w.child.exitCode ?? w.child.signalCode}) at ${elapsed()}; see ${cluster.workerDir(w)}/weir.log`;
            crashes.push(line);
            log(`soak: ${line}; restarting it`);
            busy.add(i);
            await cluster.restart(w).finally(() => busy.delete(i));
          }
        })()
          .catch((error: unknown) => log(`soak: watch: ${String(error)}`))
          .finally(() => (watching = false));
      }, 2000),
    );

    for (const event of planEvents(options, rand)) {
      await sleep(started + event.atMs - Date.now());
      if (event.kind === 'kill') {
        const victim = cluster.live[Math.floor(rand() * cluster.live.length)] as WeirProcess;
        const index = cluster.workers.indexOf(victim);
        const id = cluster.workerId(victim);
        busy.add(index);
        log(`soak: ${elapsed()}: kill -9 ${id}, then start it again`);
        const t0 = performance.now();
        let backMs: number | undefined;
        try {
          await victim.stop('SIGKILL');
          const logFile = join(cluster.workerDir(victim), 'weir.log');
          const logOffset = existsSync(logFile) ? statSync(logFile).size : 0;
          await cluster.restart(victim);
          await waitFor(
            'both connectors and all tasks RUNNING again',
            async () => (await runningAgain(cluster, id, logFile, logOffset)) || undefined,
            RECOVERY_TIMEOUT_MS,
            100,
          );
          backMs = performance.now() - t0;
          log(`soak: ${elapsed()}: all RUNNING again ${Math.round(backMs)} ms after the kill`);
        } catch (error) {
          log(`soak: ${elapsed()}: after killing ${id}: ${(error as Error).message}`);
        } finally {
          busy.delete(index);
        }
        kills.push({ worker: id, ...(backMs === undefined ? {} : { backMs }) });
      } else if (event.kind === 'broker') {
        const downMs = 10_000 + Math.round(rand() * 10_000);
        log(`soak: ${elapsed()}: stopping the broker for ${downMs} ms`);
        const t0 = Date.now();
        await stopBroker(brokerDir);
        await sleep(t0 + downMs - Date.now());
        await startBroker({ dir: brokerDir, port: broker.port });
        const back = performance.now();
        const mark = appender.produced;
        let flowingMs: number | undefined;
        try {
          await waitFor(
            'records flowing again',
            () => tally.highest > mark || undefined,
            RECOVERY_TIMEOUT_MS,
            100,
          );
          flowingMs = performance.now() - back;
          log(`soak: ${elapsed()}: broker back; records flowing ${Math.round(flowingMs)} ms later`);
        } catch (error) {
          log(`soak: ${elapsed()}: broker back; ${(error as Error).message}`);
        }
        brokerRestarts.push({ downMs: Date.now() - t0, ...(flowingMs === undefined ? {} : { flowingMs }) });
      } else {
        const target = anyLive();
        if (!target) continue;
        log(`soak: ${elapsed()}: REST fuzz of ${target.url} (schemathesis)`);
        try {
          const result = await fuzz({
            url: target.url,
            maxExamples: options.fuzzExamples,
            timeLimitMs: options.fuzzSeconds * 1000,
            dir: root,
            seed: options.seed + fuzzRuns,
            log,
          });
          fuzzRuns++;
          fuzzRequests += result.requests;
          serverErrors.push(...result.serverErrors);
          log(
            `soak: ${elapsed()}: fuzz sent ${result.requests} requests, ${result.serverErrors.length} answered 5xx` +
              (result.finished ? '' : ` (stopped at the time limit or failed: exit ${result.exitCode})`),
          );
          if (result.requests === 0) log(result.output.slice(-2000));
        } catch (error) {
          log(`soak: fuzz: ${(error as Error).message}`);
        }
        await tidyAfterFuzz(cluster, [SOURCE, SINK]);
      }
    }
    await sleep(started + options.minutes * 60_000 - Date.now());
    const produced = appender.stop();
    log(`soak: ${elapsed()}: ${produced} lines appended; waiting for the sink to catch up`);
    let lastProgress = Date.now();
    let lastSeen = -1;
    while (!tally.complete(produced) && Date.now() - lastProgress < DRAIN_IDLE_MS) {
      await sleep(500);
      tally.read();
      if (tally.total !== lastSeen) [lastSeen, lastProgress] = [tally.total, Date.now()];
    }
    tally.read();
    const notRunningAtEnd: string[] = [];
    for (const name of [SOURCE, SINK]) {
      const s = await statusOf(name);
      if (!s) notRunningAtEnd.push(`${name}: no status`);
      else
        for (const x of [
          { what: 'connector', ...s.connector },
          ...s.tasks.map((t) => ({ what: `task ${t.id}`, ...t })),
        ])
          if (x.state !== 'RUNNING') notRunningAtEnd.push(`${name} ${x.what}: ${x.state} on ${x.worker_id}`);
    }
    const result: SoakResult = {
      minutes: options.minutes,
      produced,
      lost: tally.lost(produced),
      missing: tally.missing(produced),
      duplicates: tally.duplicates,
      kills,
      brokerRestarts,
      fuzzRuns,
      fuzzRequests,
      serverErrors,
      failed: [...failed.values()],
      crashes,
      notRunningAtEnd,
    };
    // The folders go only when nothing at all went wrong: a crash or a FAILED task keeps its logs.
    clean =
      result.lost === 0 &&
      serverErrors.length === 0 &&
      failed.size === 0 &&
      crashes.length === 0 &&
      notRunningAtEnd.length === 0;
    return result;
  } finally {
    appender.stop();
    for (const t of timers) clearInterval(t);
    await cluster.stop();
    await stopBroker(brokerDir);
    if (clean && !options.keep) {
      rmSync(root, { recursive: true, force: true });
      rmSync(cluster.dir, { recursive: true, force: true });
    } else
      log(`soak: kept ${root} (broker, source and sink files, fuzz HAR) and ${cluster.dir} (worker logs)`);
  }
}

/** PUT the connector's config through any worker, again while the cluster answers 409 (rebalancing). */
async function putConnector(
  cluster: WeirCluster,
  name: string,
  config: Record<string, string>,
): Promise<void> {
  await waitFor(
    `PUT ${name} accepted`,
    async () => {
      const via = cluster.live[0] as WeirProcess;
      const r = await http('PUT', `${via.url}/connectors/${name}/config`, config);
      if (r.status === 409) return undefined;
      if (r.status !== 201 && r.status !== 200)
        throw new Error(`PUT ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return true;
    },
    120_000,
    500,
  );
}

/**
 * Both connectors and all their tasks RUNNING on live workers; those on the restarted worker must
 * have started there since the restart (its status from before the kill says RUNNING too).
 */
async function runningAgain(
  cluster: WeirCluster,
  restartedId: string,
  logFile: string,
  logOffset: number,
): Promise<boolean> {
  const live = new Set(cluster.live.map((w) => cluster.workerId(w)));
  const startedSince = readFileSync(logFile, 'utf8').slice(logOffset);
  for (const [name, tasks] of [
    [SOURCE, 1],
    [SINK, SINK_TASKS],
  ] as const) {
    const s = await cluster.status(name).catch(() => undefined);
    if (!s || s.connector.state !== 'RUNNING' || !live.has(s.connector.worker_id) || s.tasks.length !== tasks)
      return false;
    for (const t of s.tasks) {
      if (t.state !== 'RUNNING' || !live.has(t.worker_id)) return false;
      if (t.worker_id === restartedId && !startedSince.includes(`"msg":"Starting task ${name}-${t.id}"`))
        return false;
    }
  }
  return true;
}

/**
 * After a fuzz: log levels back to INFO (the kill check reads "Starting task" lines) and connectors
 * the fuzz made deleted, so later events see the soak's own workload only.
 */
async function tidyAfterFuzz(cluster: WeirCluster, keep: string[]): Promise<void> {
  for (const w of cluster.live) {
    const loggers = await http('GET', `${w.url}/admin/loggers`).catch(() => undefined);
    for (const [logger, value] of Object.entries((loggers?.body ?? {}) as Record<string, { level?: string }>))
      if (value.level !== 'INFO')
        await http('PUT', `${w.url}/admin/loggers/${encodeURIComponent(logger)}`, { level: 'INFO' }).catch(
          () => {},
        );
  }
  const via = cluster.live[0];
  if (!via) return;
  const listed = await http('GET', `${via.url}/connectors`).catch(() => undefined);
  for (const name of Array.isArray(listed?.body) ? (listed.body as string[]) : [])
    if (!keep.includes(name))
      await http('DELETE', `${via.url}/connectors/${encodeURIComponent(name)}`).catch(() => {});
}
