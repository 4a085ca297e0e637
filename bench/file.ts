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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import { REPO_ROOT, freePort, javaArgs, startBroker, stopBroker } from '../tools/kafka/testbed.ts';
import { http, toProperties, waitFor } from '../tools/weir-process.ts';
import { formatTable, median, ratioLine, type BenchRow } from './table.ts';

export const RECORD_BYTES = 100;

export interface FileBenchOptions {
  lines: number;
  runs: number;
  /** Keep the temporary folder (logs, files) for inspection. */
  keep: boolean;
  /** Only these systems (default all): weir, java, raw. */
  only?: string[];
  /** Run Weir compiled (as shipped: `npm run build` output; default) or from its TypeScript sources. */
  weirFrom: 'build' | 'source';
  /** Extra `node` flags for the Weir worker (e.g. --max-semi-space-size=8); none by default. */
  weirNodeOptions: string[];
  log: (line: string) => void;
}

interface WorkerRun {
  startupMs: number;
  sourceMs: number;
  sinkMs: number;
  peakRssMb: number;
}

export interface Worker {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** N lines of exactly RECORD_BYTES bytes (plus '\n'), each different, written in chunks. */
export function writeInput(file: string, lines: number): void {
  const out: string[] = [];
  const flush = (flag: string): void => {
    writeFileSync(file, out.join(''), { flag });
    out.length = 0;
  };
  writeFileSync(file, '');
  const filler = 'x'.repeat(RECORD_BYTES);
  for (let i = 0; i < lines; i++) {
    const prefix = `line-${i}-`;
    out.push(prefix, filler.slice(prefix.length), '\n');
    if (out.length >= 30_000) flush('a');
  }
  flush('a');
}

export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
    return Number(ps.stdout.trim()) / 1024;
  }
}

/**
 * Compiles the runtime as `npm run build` does, into .weir/bench-build (not dist/, which bin/weir.js
 * would then prefer for everyone working in this checkout); returns the CLI's entry point.
 */
export function buildWeir(log: (line: string) => void): string {
  const outDir = join(REPO_ROOT, '.weir', 'bench-build');
  log(`compiling Weir into ${outDir} (tsc -p tsconfig.build.json)…`);
  rmSync(outDir, { recursive: true, force: true });
  const result = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      outDir,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  const main = join(outDir, 'runtime', 'cli', 'main.js');
  // tsc emits despite type errors; others' work in progress elsewhere in the tree must not stop a bench.
  if (!existsSync(main)) throw new Error(`compiling Weir failed:\n${result.stdout}${result.stderr}`);
  if (result.status !== 0) log(`tsc reported type errors (the output was emitted):\n${result.stdout}`);
  return main;
}

export async function startWorker(
  kind: 'weir' | 'java',
  dir: string,
  bootstrap: string,
  weirMain: string,
  nodeOptions: string[],
): Promise<{ worker: Worker; startupMs: number }> {
  const port = await freePort();
  const workerFile = join(dir, 'worker.properties');
  writeFileSync(
    workerFile,
    toProperties({
      'bootstrap.servers': bootstrap,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': '1000',
      listeners: `http://127.0.0.1:${port}`,
    }),
  );
  const [command, args] =
    kind === 'weir'
      ? [process.execPath, [...nodeOptions, weirMain, 'connect-standalone', workerFile]]
      : ['java', javaArgs('org.apache.kafka.connect.cli.ConnectStandalone', [workerFile])];
  const logFile = join(dir, `${kind}.log`);
  const started = performance.now();
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WEIR_LOG_FORMAT: 'json' },
  });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let ended = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      ended = true;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `${kind}'s REST API at ${url}`,
    async () => {
      if (ended) throw new Error(`${kind} exited before its REST API answered; see ${logFile}`);
      return (await fetch(`${url}/`)).status === 200;
    },
    120_000,
    10,
  );
  const startupMs = performance.now() - started;
  return { worker: { child, url, exited }, startupMs };
}

export async function stopWorker(worker: Worker): Promise<void> {
  worker.child.kill('SIGTERM');
  const killed = await Promise.race([worker.exited.then(() => false), sleep(30_000).then(() => true)]);
  if (killed) {
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
}

export async function endOffset(admin: Admin, topic: string): Promise<bigint> {
  const [listed] = await admin.listOffsets({
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: ListOffsetTimestamps.LATEST }] }],
  });
  return listed?.partitions[0]?.offset ?? 0n;
}

export async function created(
  response: Promise<{ status: number; body: unknown }>,
  what: string,
): Promise<void> {
  const r = await response;
  if (r.status !== 201)
    throw new Error(`creating ${what} failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
}

async function runWorker(
  kind: 'weir' | 'java',
  dir: string,
  bootstrap: string,
  admin: Admin,
  input: string,
  options: FileBenchOptions,
  weirMain: string,
): Promise<WorkerRun> {
  mkdirSync(dir, { recursive: true });
  const topic = `bench-${kind}-${Date.now().toString(36)}`;
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
  const want = (name: string) => !options.only || options.only.includes(name);
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-'));
  log(
    `bench file: ${lines.toLocaleString('en-US')} lines of ${RECORD_BYTES} bytes, ${runs} run(s), in ${root}`,
  );
  const weirMain =
    options.weirFrom === 'build' && want('weir') ? buildWeir(log) : join(REPO_ROOT, 'bin', 'weir.js');
  const input = join(root, 'input.txt');
  writeInput(input, lines);
  log('starting a Kafka broker…');
  const broker = await startBroker({ dir: join(root, 'kafka') });
  const admin = new Admin({ clientId: 'weir-bench', bootstrapBrokers: [broker.bootstrap] });
  const results: Record<'weir' | 'java', WorkerRun[]> = { weir: [], java: [] };
  const raw: number[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      for (const kind of ['java', 'weir'] as const) {
        if (!want(kind)) continue;
        log(`run ${run}/${runs}: ${kind}…`);
        const r = await runWorker(
          kind,
          join(root, `${kind}-${run}`),
          broker.bootstrap,
          admin,
          input,
          options,
          weirMain,
        );
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
        raw.push(runProducerPerformance(broker.bootstrap, topic, lines, root));
        log(`  ${raw.at(-1)?.toFixed(0)} records/s`);
      }
    }
  } finally {
    await admin.close().catch(() => {});
    await stopBroker(join(root, 'kafka'));
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }

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
      `${cpus().length} cores, Node ${process.versions.node} (Weir ${options.weirFrom === 'build' ? 'compiled' : 'from TypeScript sources'}` +
      `${options.weirNodeOptions.length > 0 ? `, node ${options.weirNodeOptions.join(' ')}` : ''}), ` +
      'Apache Kafka 4.3.1 (broker and Connect).',
  ].join('\n');
}
