// `npm run bench -- failover`: how long tasks stay away when a worker goes, for Weir
// (`weir connect-distributed`) and Apache Kafka Connect (Java ConnectDistributed), on one broker.
//
// Each scenario gets a fresh cluster of 3 workers (its own group, internal topics and 6-partition
// topic) running FileStreamSink with tasks.max=6, spread 2-2-2. (The multi-task test source has no
// Java counterpart on Kafka's runtime classpath: VerifiableSourceConnector lives in connect-runtime's
// test jar, so both sides run the same sink-only workload.) Once the status has been steady for a
// moment, a worker other than the leader that runs tasks is killed (kill -9, optionally declared gone
// through Weir's admin endpoint) or stopped (SIGTERM), and the clock runs from the signal until GET
// /connectors/{name}/status, polled every 20 ms on a surviving worker, shows the connector and all 6
// tasks RUNNING on live workers. For a new worker, the clock runs from spawning a 4th process until
// a task is RUNNING on it. Both sides use session.timeout.ms 10000 and heartbeat.interval.ms 3000
// (the defaults of both); scheduled.rebalance.max.delay.ms is the default 300000 unless a scenario
// says otherwise. Scenarios that wait 5 minutes run only with --full.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import type { ConnectorStateInfo } from '../runtime/rest/types.ts';
import { JavaConnectCluster } from '../tools/java-connect-cluster.ts';
import { REPO_ROOT, readBrokerState, startBroker, stopBroker } from '../tools/kafka/testbed.ts';
import { WeirCluster } from '../tools/weir-cluster.ts';
import { http, waitFor, type WeirProcess } from '../tools/weir-process.ts';
import { markdownTable, median } from './table.ts';

export interface FailoverBenchOptions {
  runs: number;
  /** Also the scenarios that wait for the default scheduled.rebalance.max.delay.ms (5 minutes each). */
  full: boolean;
  /** Keep the temporary folders (worker logs). */
  keep: boolean;
  /** Only these systems (default both): weir, java. */
  only?: string[];
  log: (line: string) => void;
}

const TOKEN = 'bench-admin-token';
const TASKS = 6;
const POLL_MS = 20;
/** How long the status and the sink's consumer group must stay unchanged before a worker is stopped. */
const STEADY_MS = 1000;
const DEFAULT_DELAY_MS = 300_000;
/** The shortened delay used for Weir's not-declared kill -9 without --full. */
const SHORT_DELAY_MS = 30_000;
/** Equal to both systems' defaults; set explicitly so both sides surely run with the same values. */
const GROUP_SETTINGS = { 'session.timeout.ms': '10000', 'heartbeat.interval.ms': '3000' };
/** Without --full the bench stops starting new runs after this long, and gives up entirely a bit later. */
const QUICK_BUDGET_MS = 10 * 60_000;

type Action = 'kill' | 'kill+declare' | 'sigterm' | 'join';

interface Scenario {
  key: string;
  system: 'weir' | 'java';
  action: Action;
  /** scheduled.rebalance.max.delay.ms, when not the default. */
  delayMs?: number;
  fullOnly?: boolean;
}

/** One worker of either system, as the scenarios see it. */
interface Member {
  id: string;
  url: string;
  /** Sends the signal and resolves once the process has ended. */
  signal(signal: NodeJS.Signals): Promise<unknown>;
}

/** A cluster of either system, as the scenarios see it. */
interface Harness {
  readonly dir: string;
  /** The sink connector's name: unique per scenario, so each has its own consumer group. */
  readonly connector: string;
  live(): Member[];
  leaderId(): Promise<string | undefined>;
  /** Spawns `n` more workers in parallel; resolves once they are serving. */
  addWorkers(n: number): Promise<Member[]>;
  /** How many times each task was started on any worker, from the workers' logs. */
  taskStarts(): Map<number, number>;
  stop(): Promise<void>;
}

/**
 * SIGKILL to this process's own children (a Java worker's whole process group): workers a cluster
 * is still starting are not in its list yet. The broker is left to stopBroker.
 */
function killChildren(brokerPid?: number): void {
  const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  for (const pid of (ps.stdout ?? '').split(/\s+/).filter(Boolean).map(Number)) {
    if (pid === ps.pid || pid === brokerPid) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

function weirHarness(cluster: WeirCluster, connector: string): Harness {
  const member = (w: WeirProcess): Member => ({
    id: cluster.workerId(w),
    url: w.url,
    signal: (s) => w.stop(s),
  });
  return {
    dir: cluster.dir,
    connector,
    live: () => cluster.live.map(member),
    async leaderId() {
      for (const w of cluster.live) {
        const r = await http('GET', `${w.url}/admin/workers`).catch(() => undefined);
        if (r?.status !== 200) continue;
        const leader = (r.body as { url: string; leader: boolean }[]).find((m) => m.leader);
        if (leader) return new URL(leader.url).host;
      }
      return undefined;
    },
    addWorkers: async (n) => (await cluster.add(n)).map(member),
    taskStarts: () => cluster.taskStarts(connector),
    stop: () => cluster.stop(),
  };
}

function javaHarness(cluster: JavaConnectCluster, connector: string): Harness {
  return {
    dir: cluster.dir,
    connector,
    live: () => cluster.live.map((w) => ({ id: w.id, url: w.url, signal: (s) => w.stop(s) })),
    leaderId: async () => cluster.leaderId(),
    addWorkers: async (n) =>
      (await cluster.add(n)).map((w) => ({ id: w.id, url: w.url, signal: (s) => w.stop(s) })),
    taskStarts() {
      const starts = new Map<number, number>();
      for (const w of cluster.workers) {
        const file = join(w.dir, 'connect.log');
        if (!existsSync(file)) continue;
        for (const match of readFileSync(file, 'utf8').matchAll(/Starting task (.+)-(\d+) \(/g))
          if (match[1] === connector) starts.set(Number(match[2]), (starts.get(Number(match[2])) ?? 0) + 1);
      }
      return starts;
    },
    stop: () => cluster.stop(),
  };
}

async function status(h: Harness, via: Member): Promise<ConnectorStateInfo | undefined> {
  const r = await http('GET', `${via.url}/connectors/${h.connector}/status`).catch(() => undefined);
  return r?.status === 200 ? (r.body as ConnectorStateInfo) : undefined;
}

/** The connector and all its tasks RUNNING on the given workers. */
function allRunningOn(s: ConnectorStateInfo | undefined, workers: Set<string>): boolean {
  const ok = (x: { state: string; worker_id: string }) => x.state === 'RUNNING' && workers.has(x.worker_id);
  return !!s && ok(s.connector) && s.tasks.length === TASKS && s.tasks.every(ok);
}

/** Polls every POLL_MS until `done` holds for the status seen through `via`; returns the time it held. */
async function pollUntil(
  h: Harness,
  what: string,
  via: () => Member | undefined,
  done: (s: ConnectorStateInfo | undefined) => boolean,
  timeoutMs: number,
): Promise<{ at: number; status: ConnectorStateInfo }> {
  return waitFor(
    what,
    async () => {
      const member = via();
      if (!member) return undefined;
      const s = await status(h, member);
      return s && done(s) ? { at: performance.now(), status: s } : undefined;
    },
    timeoutMs,
    POLL_MS,
  );
}

/** A fresh 6-partition topic, the sink on it, and the 6 tasks steady on 3 workers. */
async function prepare(h: Harness, admin: Admin, topic: string): Promise<void> {
  await admin.createTopics({ topics: [topic], partitions: TASKS, replicas: 1 });
  const via = h.live()[0] as Member;
  await waitFor(
    `PUT ${h.connector} accepted`,
    async () => {
      const r = await http('PUT', `${via.url}/connectors/${h.connector}/config`, {
        'connector.class': 'FileStreamSink',
        'tasks.max': String(TASKS),
        topics: topic,
        file: join(h.dir, 'sink.txt'),
      });
      if (r.status === 409) return undefined;
      if (r.status !== 201 && r.status !== 200)
        throw new Error(`PUT ${h.connector}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return true;
    },
    60_000,
    200,
  );
  // Steady: all RUNNING, spread over the 3 workers, the sink's consumer group Stable with all 6
  // consumers (a task stopped mid-rebalance can hang in its consumer), and unchanged for STEADY_MS.
  let last = '';
  let since = 0;
  await waitFor(
    'the sink steady on 3 workers',
    async () => {
      const live = new Set(h.live().map((m) => m.id));
      const s = await status(h, via);
      const spreadOver = new Set(s?.tasks.map((t) => t.worker_id)).size;
      const group = (await admin.describeGroups({ groups: [`connect-${h.connector}`] })).get(
        `connect-${h.connector}`,
      );
      const view = JSON.stringify([s, group?.state, group?.members.size]);
      if (
        !allRunningOn(s, live) ||
        spreadOver !== 3 ||
        group?.state.toLowerCase() !== 'stable' ||
        group.members.size !== TASKS ||
        view !== last
      ) {
        last = view;
        since = Date.now();
        return false;
      }
      return Date.now() - since >= STEADY_MS;
    },
    90_000,
    100,
  );
}

/** A non-leader that runs tasks: kill -9 / SIGTERM target. */
async function chooseVictim(h: Harness): Promise<Member> {
  const leader = await h.leaderId();
  const s = await status(h, h.live()[0] as Member);
  const victim = h.live().find((m) => m.id !== leader && s?.tasks.some((t) => t.worker_id === m.id));
  if (!victim) throw new Error(`no non-leader worker runs tasks (leader ${leader})`);
  return victim;
}

interface Measured {
  ms: number;
  /** Tasks on the same worker before and after that its log shows started more than once. */
  restartedInPlace: number[];
}

async function measure(
  h: Harness,
  scenario: Scenario,
  log: (line: string) => void,
  /** Called right after the signal, for a scenario that then mostly waits. */
  afterSignal?: () => void,
): Promise<Measured> {
  const stayedPut = (before: ConnectorStateInfo | undefined, after: ConnectorStateInfo): number[] => {
    const starts = h.taskStarts();
    return after.tasks
      .filter((t) => before?.tasks.find((b) => b.id === t.id)?.worker_id === t.worker_id)
      .filter((t) => (starts.get(t.id) ?? 0) > 1)
      .map((t) => t.id);
  };
  if (scenario.action === 'join') {
    const via = h.live()[0] as Member;
    const before = await status(h, via);
    const old = new Set(h.live().map((m) => m.id));
    const started = performance.now();
    const adding = h.addWorkers(1);
    adding.catch(() => {});
    const { at, status: after } = await pollUntil(
      h,
      'a task RUNNING on the new worker',
      () => via,
      (s) => !!s?.tasks.some((t) => t.state === 'RUNNING' && !old.has(t.worker_id)),
      180_000,
    );
    await adding;
    // Let the rebalance finish before counting restarts.
    const settled = await pollUntil(
      h,
      'all tasks RUNNING after the join',
      () => via,
      (s) => allRunningOn(s, new Set(h.live().map((m) => m.id))),
      60_000,
    ).catch(() => ({ status: after }));
    return { ms: at - started, restartedInPlace: stayedPut(before, settled.status) };
  }

  const victim = await chooseVictim(h);
  const survivors = h.live().filter((m) => m.id !== victim.id);
  const leaderId = await h.leaderId();
  const leader = survivors.find((m) => m.id === leaderId) ?? (survivors[0] as Member);
  const before = await status(h, leader);
  const timeoutMs = (scenario.delayMs ?? DEFAULT_DELAY_MS) + 120_000;
  log(`  ${scenario.key}: ${scenario.action} ${victim.id} (leader ${leaderId})`);
  const started = performance.now();
  if (scenario.action === 'sigterm') {
    void victim.signal('SIGTERM');
  } else {
    await victim.signal('SIGKILL');
    if (scenario.action === 'kill+declare') {
      const r = await http(
        'DELETE',
        `${leader.url}/admin/workers/${encodeURIComponent(victim.id)}`,
        undefined,
        { authorization: `Bearer ${TOKEN}` },
      );
      if (r.status !== 202)
        throw new Error(`DELETE /admin/workers/${victim.id}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    }
  }
  afterSignal?.();
  const survivorIds = new Set(survivors.map((m) => m.id));
  const { at, status: after } = await pollUntil(
    h,
    `${h.connector} and ${TASKS} tasks RUNNING on the other workers`,
    () => leader,
    (s) => allRunningOn(s, survivorIds),
    timeoutMs,
  );
  return { ms: at - started, restartedInPlace: stayedPut(before, after) };
}

/** In this order within a run: each long wait is followed by a cluster that can start meanwhile. */
const SCENARIOS: Scenario[] = [
  { key: 'weir-delay', system: 'weir', action: 'kill' },
  { key: 'java-default', system: 'java', action: 'kill', fullOnly: true },
  { key: 'java-sigterm', system: 'java', action: 'sigterm', fullOnly: true },
  { key: 'java-delay0', system: 'java', action: 'kill', delayMs: 0 },
  { key: 'java-join', system: 'java', action: 'join' },
  { key: 'weir-declare', system: 'weir', action: 'kill+declare' },
  { key: 'weir-delay0', system: 'weir', action: 'kill', delayMs: 0 },
  { key: 'weir-sigterm', system: 'weir', action: 'sigterm' },
  { key: 'weir-join', system: 'weir', action: 'join' },
];

function cell(values: number[] | undefined, otherwise: string): string {
  const m = values && median(values);
  return m === undefined ? otherwise : Math.round(m).toLocaleString('en-US');
}

function ratioCell(a: number[] | undefined, b: number[] | undefined): string {
  const x = a && median(a);
  const y = b && median(b);
  return x === undefined || y === undefined || y === 0 ? '–' : `${(x / y).toFixed(2)}×`;
}

/** The table, Markdown (readable as plain text): numbers and ratios right-aligned. */
export function formatFailoverTable(rows: string[][]): string {
  return markdownTable(['scenario (3 workers, sink with 6 tasks)', 'Weir ms', 'Java ms', 'Weir/Java'], rows);
}

export async function runFailoverBench(options: FailoverBenchOptions): Promise<string> {
  const { log, runs, full } = options;
  const want = (system: string) => !options.only || options.only.includes(system);
  const benchStart = Date.now();
  const budgetMs = full ? Infinity : QUICK_BUDGET_MS;
  const root = mkdtempSync(join(tmpdir(), 'weir-failover-'));
  const weirDelayMs = full ? DEFAULT_DELAY_MS : SHORT_DELAY_MS;
  log(`bench failover: ${runs} run(s)${full ? ', --full' : ''}, in ${root}`);

  const active = new Set<Harness>();
  const kept: string[] = [];
  const killAll = (): void => {
    for (const h of active) void h.stop();
  };
  /** After killAll on a signal or the watchdog: the broker, then the folders (unless --keep), then exit. */
  const abandon = (code: number): void => {
    killChildren(readBrokerState(join(root, 'kafka'))?.pid);
    void stopBroker(join(root, 'kafka')).finally(() => {
      if (!options.keep)
        for (const dir of [root, ...[...active].map((h) => h.dir)])
          rmSync(dir, { recursive: true, force: true });
      process.exit(code);
    });
  };
  // Give up (and clean up) if something hangs well past the budget.
  const watchdog = Number.isFinite(budgetMs)
    ? setTimeout(() => {
        log(`bench failover: still running after ${(budgetMs + 120_000) / 60_000} min; giving up`);
        killAll();
        abandon(1);
      }, budgetMs + 120_000)
    : undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`bench failover: ${signal}; stopping workers and the broker`);
    killAll();
    abandon(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  log('starting a Kafka broker…');
  const broker = await startBroker({ dir: join(root, 'kafka') });
  const admin = new Admin({ clientId: 'weir-bench-failover', bootstrapBrokers: [broker.bootstrap] });

  interface Planned {
    run: number;
    scenario: Scenario;
  }
  const plan: Planned[] = [];
  for (let run = 1; run <= runs; run++)
    for (const scenario of SCENARIOS)
      if (want(scenario.system) && (full || !scenario.fullOnly))
        plan.push({
          run,
          scenario: scenario.key === 'weir-delay' ? { ...scenario, delayMs: weirDelayMs } : scenario,
        });

  /** A fresh cluster of 3 workers with the sink deployed and steady. */
  const setUp = async ({ run, scenario }: Planned): Promise<Harness> => {
    const groupId = `${scenario.key}-${run}-${Date.now().toString(36)}`;
    const settings: Record<string, string> = {
      ...GROUP_SETTINGS,
      ...(scenario.delayMs === undefined
        ? {}
        : { 'scheduled.rebalance.max.delay.ms': String(scenario.delayMs) }),
    };
    const connector = `sink-${groupId}`;
    const h =
      scenario.system === 'weir'
        ? weirHarness(
            new WeirCluster({
              bootstrap: broker.bootstrap,
              groupId,
              worker: { ...settings, 'weir.admin.token': TOKEN },
            }),
            connector,
          )
        : javaHarness(
            new JavaConnectCluster(
              { bootstrap: broker.bootstrap, groupId, worker: settings },
              join(root, groupId),
            ),
            connector,
          );
    active.add(h);
    try {
      const t0 = performance.now();
      await h.addWorkers(3);
      const t1 = performance.now();
      await prepare(h, admin, `${groupId}-six`);
      log(
        `  ${scenario.key}: 3 workers up in ${Math.round(t1 - t0)} ms, ` +
          `${TASKS} tasks steady ${Math.round(performance.now() - t1)} ms later`,
      );
      return h;
    } catch (error) {
      await tearDown(h);
      throw error;
    }
  };
  const tearDown = async (h: Harness): Promise<void> => {
    await h.stop();
    active.delete(h);
    if (options.keep) kept.push(h.dir);
    else if (h.dir.startsWith(tmpdir())) rmSync(h.dir, { recursive: true, force: true });
  };
  /** Waits that long are mostly idle: the next scenario's cluster starts meanwhile (nothing of it is timed). */
  const waitsLong = ({ scenario }: Planned): boolean =>
    scenario.action !== 'join' &&
    scenario.action !== 'kill+declare' &&
    !(scenario.system === 'weir' && scenario.action === 'sigterm') &&
    (scenario.delayMs ?? DEFAULT_DELAY_MS) >= SHORT_DELAY_MS;

  const results = new Map<string, number[]>();
  let done = 0;
  let ahead: { planned: Planned; harness: Promise<Harness> } | undefined;
  let runStart = Date.now();
  let longestRunMs = 0;
  try {
    for (const [i, planned] of plan.entries()) {
      const { run, scenario } = planned;
      if (i > 0 && run !== plan[i - 1]?.run) {
        done = run - 1;
        longestRunMs = Math.max(longestRunMs, Date.now() - runStart);
        runStart = Date.now();
        if (Date.now() - benchStart + longestRunMs > budgetMs) {
          log(`stopping after ${done} run(s): another would pass the ${budgetMs / 60_000}-minute budget`);
          break;
        }
      }
      log(
        `run ${run}/${runs}: ${scenario.key} (${scenario.action}` +
          `${scenario.delayMs === undefined ? '' : `, scheduled.rebalance.max.delay.ms ${scenario.delayMs}`})…`,
      );
      const h = await (ahead?.planned === planned ? ahead.harness : setUp(planned));
      ahead = undefined;
      const following = plan[i + 1];
      const startFollowing =
        following && following.run === run && waitsLong(planned)
          ? () => {
              ahead = { planned: following, harness: setUp(following) };
              ahead.harness.catch(() => {});
            }
          : undefined;
      try {
        const { ms, restartedInPlace } = await measure(h, scenario, log, startFollowing);
        results.set(scenario.key, [...(results.get(scenario.key) ?? []), ms]);
        log(
          `  ${scenario.key}: ${Math.round(ms)} ms` +
            (restartedInPlace.length
              ? `; restarted without moving: task(s) ${restartedInPlace.join(', ')}`
              : ''),
        );
      } finally {
        await tearDown(h);
      }
      if (i === plan.length - 1) done = run;
    }
  } finally {
    clearTimeout(watchdog);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (ahead) await ahead.harness.then(tearDown, () => {});
    killAll();
    await admin.close().catch(() => {});
    await stopBroker(join(root, 'kafka'));
    if (options.keep) log(`kept: ${[root, ...kept].join(' ')}`);
    else rmSync(root, { recursive: true, force: true });
  }

  const r = (key: string) => results.get(key);
  const notRun = '5 min+ (not run; --full)';
  const rows: string[][] = [
    [
      'kill -9, then declared gone (Weir: DELETE /admin/workers/{id})',
      cell(r('weir-declare'), '–'),
      'no such endpoint',
      '–',
    ],
    [
      `kill -9, not declared, default delay ${DEFAULT_DELAY_MS}`,
      cell(full ? r('weir-delay') : undefined, notRun),
      cell(r('java-default'), notRun),
      ratioCell(full ? r('weir-delay') : undefined, r('java-default')),
    ],
    ...(full
      ? []
      : [
          [
            `kill -9, not declared, delay ${SHORT_DELAY_MS} (shortened)`,
            cell(r('weir-delay'), '–'),
            'not run',
            '–',
          ],
        ]),
    [
      'kill -9, scheduled.rebalance.max.delay.ms=0',
      cell(r('weir-delay0'), '–'),
      cell(r('java-delay0'), '–'),
      ratioCell(r('weir-delay0'), r('java-delay0')),
    ],
    [
      'SIGTERM (graceful), default delay',
      cell(r('weir-sigterm'), '–'),
      cell(r('java-sigterm'), notRun),
      ratioCell(r('weir-sigterm'), r('java-sigterm')),
    ],
    [
      'new 4th worker: spawn → first task RUNNING on it',
      cell(r('weir-join'), '–'),
      cell(r('java-join'), '–'),
      ratioCell(r('weir-join'), r('java-join')),
    ],
  ];
  const compiled = existsSync(join(REPO_ROOT, 'dist', 'runtime', 'cli', 'main.js'));
  const declaredVsJava = ratioCell(r('weir-declare'), r('java-delay0'));
  return [
    formatFailoverTable(rows),
    '',
    `Weir declared gone / Java at delay 0: ${declaredVsJava}`,
    '',
    `Median of ${done} run(s); time from the signal until the connector and all ${TASKS} tasks are RUNNING on ` +
      `live workers (GET status every ${POLL_MS} ms). Each scenario: a fresh 3-worker cluster, FileStreamSink ` +
      `tasks.max=${TASKS} on a ${TASKS}-partition topic, a non-leader worker stopped; session.timeout.ms 10000, ` +
      "heartbeat.interval.ms 3000 (both defaults) on both sides. The next scenario's cluster starts during " +
      'the mostly idle wait of a delay ≥ 30000 scenario (nothing of it is timed then). ' +
      `${cpus().length} cores, Node ${process.versions.node} (Weir ${compiled ? 'compiled, dist/' : 'from TypeScript sources'}), ` +
      'Apache Kafka 4.3.1 (broker and Connect).',
  ].join('\n');
}
