// `npm run bench -- file`: N lines of 100 bytes through FileStreamSource into a topic, then through
// FileStreamSink back out to a file — for Weir (`weir connect-standalone`) and for Apache Kafka Connect
// (Java ConnectStandalone), on the same broker with the same worker settings, each with its own topics
// and files; plus Kafka's ProducerPerformance with the same record size and count as the raw limit.
//
// Per worker and run: a fresh process (start-up: spawn → first 200 on GET /), the source connector
// created over REST (source: POST → the topic's end offset reaches N), then the sink connector reading
// that topic from the start (sink: POST → the sink file holds N lines), then the process's peak RSS
// (VmHWM) before it is stopped. Both workers use StringConverter for keys and values and
// offset.flush.interval.ms=1000; the broker and the workers share the machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { javaArgs } from '../tools/kafka/testbed.ts';
import { http, waitFor } from '../tools/weir-process.ts';
import { formatTable, median, ratioLine, type BenchRow } from './table.ts';
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

export type FileBenchOptions = WorkerBenchOptions;

interface WorkerRun {
  startupMs: number;
  sourceMs: number;
  sinkMs: number;
  peakRssMb: number;
}

async function runWorker(
  kind: 'weir' | 'java',
  dir: string,
  { bootstrap, admin, input, weirMain }: BenchSetup,
  options: FileBenchOptions,
): Promise<WorkerRun> {
  mkdirSync(dir, { recursive: true });
  const topic = benchTopic(kind);
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  const sinkFile = join(dir, 'sink.txt');
  const { worker, startupMs } = await startWorker(kind, dir, bootstrap, weirMain, options.weirNodeOptions);
  try {
    const sourceStart = performance.now();
    await created(
      http('POST', `${worker.url}/connectors`, {
        name: `bench-source-${kind}`,
        config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic },
      }),
      'the source connector',
    );
    const target = BigInt(options.lines);
    await waitFor(
      `${options.lines} records in ${topic}`,
      async () => (await endOffset(admin, topic)) >= target,
      600_000,
      20,
    );
    const sourceMs = performance.now() - sourceStart;

    const sinkStart = performance.now();
    await created(
      http('POST', `${worker.url}/connectors`, {
        name: `bench-sink-${kind}`,
        config: { 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: sinkFile, topics: topic },
      }),
      'the sink connector',
    );
    const sinkBytes = options.lines * (RECORD_BYTES + 1);
    await waitFor(
      `${options.lines} lines in ${sinkFile}`,
      () => {
        try {
          return statSync(sinkFile).size >= sinkBytes;
        } catch {
          return false;
        }
      },
      600_000,
      20,
    );
    const sinkMs = performance.now() - sinkStart;
    return { startupMs, sourceMs, sinkMs, peakRssMb: peakRssMb(worker.child.pid) };
  } finally {
    await stopWorker(worker);
    rmSync(sinkFile, { force: true });
  }
}

/** Kafka's ProducerPerformance: records per second as it reports them. */
function runProducerPerformance(bootstrap: string, topic: string, lines: number, dir: string): number {
  const result = spawnSync(
    'java',
    javaArgs('org.apache.kafka.tools.ProducerPerformance', [
      '--topic',
      topic,
      '--num-records',
      String(lines),
      '--record-size',
      String(RECORD_BYTES),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      'acks=all',
    ]),
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(join(dir, 'producer-performance.log'), `${result.stdout}${result.stderr}`);
  const summary = /(\d+) records sent, ([\d.]+) records\/sec/.exec(
    result.stdout.trim().split('\n').at(-1) ?? '',
  );
  if (result.status !== 0 || !summary) {
    throw new Error(`ProducerPerformance failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return Number(summary[2]);
}

export async function runFileBench(options: FileBenchOptions): Promise<string> {
  const { log, lines, runs } = options;
  const results: Record<'weir' | 'java', WorkerRun[]> = { weir: [], java: [] };
  const raw: number[] = [];
  await withBenchSetup(
    options,
    (root) =>
      `bench file: ${lines.toLocaleString('en-US')} lines of ${RECORD_BYTES} bytes, ${runs} run(s), in ${root}`,
    async (setup) => {
      const { root, bootstrap, admin, want } = setup;
      for (let run = 1; run <= runs; run++) {
        for (const kind of ['java', 'weir'] as const) {
          if (!want(kind)) continue;
          log(`run ${run}/${runs}: ${kind}…`);
          const r = await runWorker(kind, join(root, `${kind}-${run}`), setup, options);
          results[kind].push(r);
          log(
            `  start-up ${r.startupMs.toFixed(0)} ms, source ${r.sourceMs.toFixed(0)} ms, ` +
              `sink ${r.sinkMs.toFixed(0)} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
          );
        }
        if (want('raw')) {
          log(`run ${run}/${runs}: ProducerPerformance…`);
          const topic = `bench-raw-${run}-${Date.now().toString(36)}`;
          await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
          raw.push(runProducerPerformance(bootstrap, topic, lines, root));
          log(`  ${raw.at(-1)?.toFixed(0)} records/s`);
        }
      }
    },
  );

  const row = (name: string, runsOf: WorkerRun[]): BenchRow => ({
    name,
    sourceRecordsPerSec: median(runsOf.map((r) => (lines * 1000) / r.sourceMs)),
    sinkRecordsPerSec: median(runsOf.map((r) => (lines * 1000) / r.sinkMs)),
    startupMs: median(runsOf.map((r) => r.startupMs)),
    peakRssMb: median(runsOf.map((r) => r.peakRssMb)),
  });
  const weir = row('Weir', results.weir);
  const java = row('Java', results.java);
  const rawRow: BenchRow = { name: 'raw', sourceRecordsPerSec: median(raw) };
  return [
    formatTable([weir, java, rawRow], RECORD_BYTES),
    '',
    ratioLine(weir, java),
    ratioLine(weir, rawRow),
    '',
    `${lines.toLocaleString('en-US')} records of ${RECORD_BYTES} bytes, median of ${runs} run(s); ` +
      environmentLine(options),
  ].join('\n');
}
