// `npm run bench -- transforms`: N lines of 100 bytes through FileStreamSource and a chain of three
// transforms into a topic — for Weir (`weir connect-standalone`) and Apache Kafka Connect (Java
// ConnectStandalone), on the same broker with the same worker and connector settings.
//
// FileStreamSource makes each line a string value (schema STRING), so the chain is one that works on
// strings: HoistField$Value wraps the line in a struct {line}, InsertField$Value adds a static field
// {source: "bench"}, RegexRouter sends `bench-<x>` to `routed-<x>`. Values are written by JsonConverter
// without schemas ({"line":"…","source":"bench"}), keys (null) by StringConverter. Per worker and
// run: a fresh process, the source connector created over REST, time until the routed topic's end
// offset reaches N, then the process's peak RSS (VmHWM).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { http, waitFor } from '../tools/weir-process.ts';
import { markdownTable, median, ratioLine, type BenchRow } from './table.ts';
import {
  RECORD_BYTES,
  benchTopic,
  created,
  endOffset,
  environmentLine,
  peakRssMb,
  startWorker,
  stopWorker,
  withBenchSetup,
  type BenchSetup,
  type WorkerBenchOptions,
} from './worker-bench.ts';

export type TransformsBenchOptions = WorkerBenchOptions;

interface TransformsRun {
  startupMs: number;
  sourceMs: number;
  peakRssMb: number;
}

/** The topic RegexRouter sends `topic`'s records to. */
export const routedTopic = (topic: string): string => topic.replace(/^bench-/, 'routed-');

/** The FileStreamSource connector with its three-transform chain, as both workers get it. */
export function transformsConnectorConfig(file: string, topic: string): Record<string, string> {
  return {
    'connector.class': 'FileStreamSource',
    'tasks.max': '1',
    file,
    topic,
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    transforms: 'hoist,insert,route',
    'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
    'transforms.hoist.field': 'line',
    'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
    'transforms.insert.static.field': 'source',
    'transforms.insert.static.value': 'bench',
    'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
    'transforms.route.regex': 'bench-(.*)',
    'transforms.route.replacement': 'routed-$1',
  };
}

async function runWorker(
  kind: 'weir' | 'java',
  dir: string,
  { bootstrap, admin, input, weirMain }: BenchSetup,
  options: TransformsBenchOptions,
): Promise<TransformsRun> {
  mkdirSync(dir, { recursive: true });
  const topic = benchTopic(kind);
  const routed = routedTopic(topic);
  // Both topics exist up front, so neither worker waits on the broker's auto-creation.
  await admin.createTopics({ topics: [topic, routed], partitions: 1, replicas: 1 });
  const { worker, startupMs } = await startWorker(kind, dir, bootstrap, weirMain, options.weirNodeOptions);
  try {
    const started = performance.now();
    await created(
      http('POST', `${worker.url}/connectors`, {
        name: `bench-transforms-${kind}`,
        config: transformsConnectorConfig(input, topic),
      }),
      'the source connector',
    );
    const target = BigInt(options.lines);
    await waitFor(
      `${options.lines} records in ${routed}`,
      async () => {
        if ((await endOffset(admin, topic)) > 0n) {
          throw new Error(`records reached ${topic}: RegexRouter did not route them; see ${dir}`);
        }
        return (await endOffset(admin, routed)) >= target;
      },
      600_000,
      20,
    );
    const sourceMs = performance.now() - started;
    return { startupMs, sourceMs, peakRssMb: peakRssMb(worker.child.pid) };
  } finally {
    await stopWorker(worker);
  }
}

const HEADER = ['', 'rec/s', 'MB/s', 'start-up ms', 'peak RSS MB'];

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The table and the ratio line; `sourceRecordsPerSec` holds the chain's throughput. */
export function formatTransformsTable(weir: BenchRow, java: BenchRow): string {
  const cells = (row: BenchRow): string[] => [
    row.name,
    formatNumber(row.sourceRecordsPerSec, 0),
    formatNumber(
      row.sourceRecordsPerSec === undefined ? undefined : (row.sourceRecordsPerSec * RECORD_BYTES) / 1e6,
      1,
    ),
    formatNumber(row.startupMs, 0),
    formatNumber(row.peakRssMb, 0),
  ];
  return [markdownTable(HEADER, [cells(weir), cells(java)]), '', ratioLine(weir, java)].join('\n');
}

export async function runTransformsBench(options: TransformsBenchOptions): Promise<string> {
  const { log, lines, runs } = options;
  const results: Record<'weir' | 'java', TransformsRun[]> = { weir: [], java: [] };
  await withBenchSetup(
    options,
    (root) =>
      `bench transforms: ${lines.toLocaleString('en-US')} lines of ${RECORD_BYTES} bytes through ` +
      `HoistField, InsertField and RegexRouter, ${runs} run(s), in ${root}`,
    async (setup) => {
      const { root, want } = setup;
      for (let run = 1; run <= runs; run++) {
        for (const kind of ['java', 'weir'] as const) {
          if (!want(kind)) continue;
          log(`run ${run}/${runs}: ${kind}…`);
          const dir = join(root, `${kind}-${run}`);
          const r = await runWorker(kind, dir, setup, options);
          results[kind].push(r);
          log(
            `  start-up ${r.startupMs.toFixed(0)} ms, source with transforms ${r.sourceMs.toFixed(0)} ms, ` +
              `peak RSS ${r.peakRssMb.toFixed(0)} MB`,
          );
        }
      }
    },
  );
  const row = (name: string, runsOf: TransformsRun[]): BenchRow => ({
    name,
    sourceRecordsPerSec: median(runsOf.map((r) => (lines * 1000) / r.sourceMs)),
    startupMs: median(runsOf.map((r) => r.startupMs)),
    peakRssMb: median(runsOf.map((r) => r.peakRssMb)),
  });
  return [
    formatTransformsTable(row('Weir', results.weir), row('Java', results.java)),
    '',
    `${lines.toLocaleString('en-US')} records of ${RECORD_BYTES} bytes, FileStreamSource → HoistField$Value → ` +
      `InsertField$Value → RegexRouter → JsonConverter (no schemas), median of ${runs} run(s); ` +
      environmentLine(options),
  ].join('\n');
}
