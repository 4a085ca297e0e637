// `npm run bench -- exactly-once`: the same FileStreamSource over N lines of 100 bytes into a topic,
// on a distributed worker without and with exactly-once (`exactly.once.source.support=enabled`,
// the connector with `exactly.once.support=required` and `transaction.boundary` poll or interval),
// for Weir (`weir connect-distributed`) and Apache Kafka Connect (Java ConnectDistributed), on the
// same broker.
//
// Per system, mode and run: a fresh cluster of one worker (its own group and internal topics), a
// topic of 1 partition created up front, the connector created over REST, and the time from the
// POST until the last record is visible to read_committed consumers: the topic's end offset has
// reached N, its last stable offset equals the end offset, and neither moves for QUIET_MS (the
// clock stops when that end offset was first seen). With transactions the end offset passes N by
// one commit marker per transaction, so offsets beyond N count the transactions.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka';
import { JavaConnectCluster } from '../tools/java-connect-cluster.ts';
import { startBroker, stopBroker } from '../tools/kafka/testbed.ts';
import { WeirCluster } from '../tools/weir-cluster.ts';
import { http, waitFor } from '../tools/weir-process.ts';
import { RECORD_BYTES, created, writeInput } from './worker-bench.ts';
import { markdownTable, median } from './table.ts';

export interface ExactlyOnceBenchOptions {
  lines: number;
  runs: number;
  keep: boolean;
  /** Only these systems (default both): weir, java. */
  only?: string[];
  /** node flags for Weir's workers (through NODE_OPTIONS), as the image sets them. */
  weirNodeOptions: string[];
  log: (line: string) => void;
}

export const MODES = ['off', 'poll', 'interval'] as const;
export type Mode = (typeof MODES)[number];
type System = 'weir' | 'java';

/** How long the end offset must stay put (and committed) before the source counts as done. */
export const QUIET_MS = 3000;
const INTERVAL_MS = '1000';

/** The worker settings of a mode, on top of the cluster's defaults (offset.flush.interval.ms 1000). */
export function workerSettings(mode: Mode): Record<string, string> {
  return mode === 'off' ? {} : { 'exactly.once.source.support': 'enabled' };
}

/** The connector as both systems get it: strings in and out, as `npm run bench -- file`. */
export function connectorConfig(mode: Mode, file: string, topic: string): Record<string, string> {
  return {
    'connector.class': 'FileStreamSource',
    'tasks.max': '1',
    file,
    topic,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...(mode === 'off' ? {} : { 'exactly.once.support': 'required', 'transaction.boundary': mode }),
    ...(mode === 'interval' ? { 'transaction.boundary.interval.ms': INTERVAL_MS } : {}),
  };
}

/**
 * Watches (end offset, last stable offset) samples; `done` is the time the final end offset was first
 * seen, once it is ≥ `records`, fully committed, and unchanged for `quietMs`.
 */
export class CommittedEnd {
  private end = -1n;
  private since = 0;
  /** When the first record was seen (written, maybe not yet committed). */
  first: number | undefined;
  private readonly records: bigint;
  private readonly quietMs: number;
  constructor(records: bigint, quietMs: number) {
    this.records = records;
    this.quietMs = quietMs;
  }

  /** The finish time, or undefined while the source may still be writing. */
  observe(at: number, end: bigint, stable: bigint): number | undefined {
    if (end > 0n) this.first ??= at;
    if (end !== this.end) {
      this.end = end;
      this.since = at;
      return undefined;
    }
    return end >= this.records && stable >= end && at - this.since >= this.quietMs ? this.since : undefined;
  }

  /** Offsets beyond the records: commit markers (one per transaction) when nothing was duplicated. */
  get beyond(): bigint {
    return this.end - this.records;
  }
}

async function latest(admin: Admin, topic: string, isolationLevel: number): Promise<bigint> {
  const [listed] = await admin.listOffsets({
    isolationLevel: isolationLevel as 0 | 1,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: ListOffsetTimestamps.LATEST }] }],
  });
  return listed?.partitions[0]?.offset ?? 0n;
}

interface Run {
  /** POST → last record committed. */
  ms: number;
  /** POST → first record written. */
  firstMs: number;
  markers: bigint;
}

/** A one-worker cluster of either system: its REST URL, and how to stop it and where its files are. */
async function startCluster(
  system: System,
  bootstrap: string,
  groupId: string,
  worker: Record<string, string>,
  root: string,
): Promise<{ url: string; dir: string; stop: () => Promise<void> }> {
  if (system === 'weir') {
    const cluster = new WeirCluster({ bootstrap, groupId, worker });
    const [w] = await cluster.add(1);
    return { url: (w as { url: string }).url, dir: cluster.dir, stop: () => cluster.stop() };
  }
  const cluster = new JavaConnectCluster({ bootstrap, groupId, worker }, join(root, groupId));
  const [w] = await cluster.add(1);
  return { url: (w as { url: string }).url, dir: cluster.dir, stop: () => cluster.stop() };
}

async function runOnce(
  system: System,
  mode: Mode,
  run: number,
  bootstrap: string,
  admin: Admin,
  input: string,
  options: ExactlyOnceBenchOptions,
  root: string,
  kept: string[],
): Promise<Run> {
  const groupId = `eos-${system}-${mode}-${run}-${Date.now().toString(36)}`;
  const topic = `${groupId}-data`;
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  const cluster = await startCluster(system, bootstrap, groupId, workerSettings(mode), root);
  try {
    const started = performance.now();
    await created(
      http('POST', `${cluster.url}/connectors`, {
        name: `bench-${mode}`,
        config: connectorConfig(mode, input, topic),
      }),
      'the source connector',
    );
    const end = new CommittedEnd(BigInt(options.lines), QUIET_MS);
    const finished = await waitFor(
      `${options.lines} committed records in ${topic}`,
      async () => {
        const at = performance.now();
        const [high, stable] = await Promise.all([
          latest(admin, topic, FetchIsolationLevels.READ_UNCOMMITTED),
          latest(admin, topic, FetchIsolationLevels.READ_COMMITTED),
        ]);
        return end.observe(at, high, stable);
      },
      600_000,
      20,
    );
    return { ms: finished - started, firstMs: (end.first ?? finished) - started, markers: end.beyond };
  } finally {
    await cluster.stop();
    if (options.keep) kept.push(cluster.dir);
    else rmSync(cluster.dir, { recursive: true, force: true });
  }
}

export interface ModeRow {
  system: string;
  mode: Mode;
  /** POST → first record written, median. */
  firstMs: number | undefined;
  /** N ÷ (POST → last record committed), median. */
  recordsPerSec: number | undefined;
  /** N ÷ (first record written → last record committed), median: without the start of the task. */
  flowingRecordsPerSec: number | undefined;
  /** Offsets beyond N: transactions (commit markers), median. */
  transactions: number | undefined;
}

const MODE_LABEL: Record<Mode, string> = {
  off: 'off',
  poll: 'on, transaction.boundary=poll',
  interval: `on, transaction.boundary=interval (${INTERVAL_MS} ms)`,
};

/** Throughput lost to exactly-once against `off`, in percent (negative: faster). */
export function costPercent(off: number | undefined, eos: number | undefined): number | undefined {
  if (off === undefined || eos === undefined || off <= 0) return undefined;
  return (1 - eos / off) * 100;
}

const num = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US');

const fixed = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(1));

const HEADER = [
  '',
  'first record ms',
  'rec/s',
  'cost',
  'rec/s once flowing',
  'cost',
  'transactions',
  'ms per transaction',
];

/** The time exactly-once added once flowing, per transaction: where the cost goes if not in records. */
export function msPerTransaction(
  lines: number,
  off: number | undefined,
  eos: number | undefined,
  transactions: number | undefined,
): number | undefined {
  if (!off || !eos || !transactions) return undefined;
  return ((lines / eos - lines / off) * 1000) / transactions;
}

/**
 * One row per system and mode: records/s from the POST and from the first record on, each with its
 * cost against the same system without exactly-once, and the transactions committed.
 */
export function formatExactlyOnceTable(rows: ModeRow[], lines: number): string {
  const offOf = (system: string) => rows.find((r) => r.system === system && r.mode === 'off');
  const cost = (r: ModeRow, key: 'recordsPerSec' | 'flowingRecordsPerSec'): string => {
    const c = r.mode === 'off' ? undefined : costPercent(offOf(r.system)?.[key], r[key]);
    return c === undefined ? '–' : `${c.toFixed(1)} %`;
  };
  const body = rows.map((r) => [
    `${r.system}, exactly-once ${MODE_LABEL[r.mode]}`,
    num(r.firstMs),
    num(r.recordsPerSec),
    cost(r, 'recordsPerSec'),
    num(r.flowingRecordsPerSec),
    cost(r, 'flowingRecordsPerSec'),
    r.mode === 'off' ? '–' : num(r.transactions),
    r.mode === 'off'
      ? '–'
      : fixed(
          msPerTransaction(
            lines,
            offOf(r.system)?.flowingRecordsPerSec,
            r.flowingRecordsPerSec,
            r.transactions,
          ),
        ),
  ]);
  const table = markdownTable(HEADER, body);
  const ratios = MODES.map((mode) => {
    const weir = rows.find((r) => r.system === 'Weir' && r.mode === mode)?.recordsPerSec;
    const java = rows.find((r) => r.system === 'Java' && r.mode === mode)?.recordsPerSec;
    return weir && java ? `${mode} ${(weir / java).toFixed(2)}×` : undefined;
  }).filter(Boolean);
  return ratios.length > 0 ? `${table}\n\nWeir/Java (rec/s): ${ratios.join(', ')}` : table;
}

export async function runExactlyOnceBench(options: ExactlyOnceBenchOptions): Promise<string> {
  const { log, lines, runs } = options;
  const systems = (['weir', 'java'] as const).filter((s) => !options.only || options.only.includes(s));
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-eos-'));
  log(
    `bench exactly-once: ${lines.toLocaleString('en-US')} lines of ${RECORD_BYTES} bytes, ` +
      `${runs} run(s), in ${root}`,
  );
  // Weir's workers run from the checkout (bin/weir.js); NODE_OPTIONS gives them the image's flags.
  const nodeOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = [nodeOptions, ...options.weirNodeOptions].filter(Boolean).join(' ');
  const input = join(root, 'input.txt');
  writeInput(input, lines);
  log('starting a Kafka broker…');
  const broker = await startBroker({ dir: join(root, 'kafka') });
  const admin = new Admin({ clientId: 'weir-bench-eos', bootstrapBrokers: [broker.bootstrap] });
  const results = new Map<string, Run[]>();
  const kept: string[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      for (const system of systems) {
        for (const mode of MODES) {
          log(`run ${run}/${runs}: ${system}, exactly-once ${mode}…`);
          const r = await runOnce(system, mode, run, broker.bootstrap, admin, input, options, root, kept);
          results.set(`${system}-${mode}`, [...(results.get(`${system}-${mode}`) ?? []), r]);
          log(
            `  first record ${r.firstMs.toFixed(0)} ms, all committed ${r.ms.toFixed(0)} ms, ` +
              `${((lines * 1000) / r.ms).toFixed(0)} rec/s, ` +
              `${r.markers} offsets beyond ${lines}`,
          );
        }
      }
    }
  } finally {
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
    await admin.close().catch(() => {});
    await stopBroker(join(root, 'kafka'));
    if (options.keep) log(`kept: ${[root, ...kept].join(' ')}`);
    else rmSync(root, { recursive: true, force: true });
  }
  const rows: ModeRow[] = systems.flatMap((system) =>
    MODES.map((mode) => {
      const runsOf = results.get(`${system}-${mode}`) ?? [];
      return {
        system: system === 'weir' ? 'Weir' : 'Java',
        mode,
        firstMs: median(runsOf.map((r) => r.firstMs)),
        recordsPerSec: median(runsOf.map((r) => (lines * 1000) / r.ms)),
        flowingRecordsPerSec: median(runsOf.map((r) => (lines * 1000) / (r.ms - r.firstMs))),
        transactions: median(runsOf.map((r) => Number(r.markers))),
      };
    }),
  );
  return [
    formatExactlyOnceTable(rows, lines),
    '',
    `${lines.toLocaleString('en-US')} records of ${RECORD_BYTES} bytes, FileStreamSource (batch.size 2000) ` +
      `into 1 partition, StringConverter; one distributed worker per system and mode, fresh each run; ` +
      `median of ${runs} run(s). Time: POST /connectors until the last record is committed ` +
      `(end offset ≥ N, last stable offset = end offset, unchanged ${QUIET_MS} ms). Cost: throughput lost ` +
      `against the same system without exactly-once; "once flowing" counts from the first record ` +
      `written (without the task's start: fencing, initTransactions); ms per transaction: the time ` +
      `exactly-once added once flowing, over the transactions. ${cpus().length} cores, Node ${process.versions.node} ` +
      `(Weir from TypeScript sources${options.weirNodeOptions.length > 0 ? `, node ${options.weirNodeOptions.join(' ')}` : ''}), ` +
      'Java ConnectDistributed -Xmx512m; Apache Kafka 4.3.1 (broker and Connect).',
  ].join('\n');
}
