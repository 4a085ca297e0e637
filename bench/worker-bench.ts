// What the worker benches (file, transforms) share: the input file, Weir's build, a standalone worker
// (Weir or Java) started and stopped with its start-up time and peak RSS, the broker set up for a
// bench and torn down after it, and the line that says what the numbers were measured on.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import { REPO_ROOT, freePort, javaArgs, startBroker, stopBroker } from '../tools/kafka/testbed.ts';
import { toProperties, waitFor } from '../tools/weir-process.ts';

export const RECORD_BYTES = 100;

export interface WorkerBenchOptions {
  lines: number;
  runs: number;
  /** Keep the temporary folder (logs, files) for inspection. */
  keep: boolean;
  /** Only these systems (default all): weir, java, and for the file bench raw. */
  only?: string[];
  /** Run Weir compiled (as shipped: `npm run build` output; default) or from its TypeScript sources. */
  weirFrom: 'build' | 'source';
  /** Extra `node` flags for the Weir worker (e.g. --max-semi-space-size=8); none by default. */
  weirNodeOptions: string[];
  log: (line: string) => void;
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

/** A bench's folder, input file, Weir entry point and broker, as `withBenchSetup` hands them over. */
export interface BenchSetup {
  root: string;
  input: string;
  weirMain: string;
  bootstrap: string;
  admin: Admin;
  /** Whether the bench runs this system (`--only`). */
  want: (name: string) => boolean;
}

/**
 * Writes the input, builds Weir (unless run from sources or not wanted) and starts a broker, runs
 * `body`, then stops the broker and removes the folder (unless `keep`) whatever `body` did.
 */
export async function withBenchSetup<T>(
  options: WorkerBenchOptions,
  headline: (root: string) => string,
  body: (setup: BenchSetup) => Promise<T>,
): Promise<T> {
  const { log } = options;
  const want = (name: string) => !options.only || options.only.includes(name);
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-'));
  log(headline(root));
  const weirMain =
    options.weirFrom === 'build' && want('weir') ? buildWeir(log) : join(REPO_ROOT, 'bin', 'weir.js');
  const input = join(root, 'input.txt');
  writeInput(input, options.lines);
  log('starting a Kafka broker…');
  const broker = await startBroker({ dir: join(root, 'kafka') });
  const admin = new Admin({ clientId: 'weir-bench', bootstrapBrokers: [broker.bootstrap] });
  try {
    return await body({ root, input, weirMain, bootstrap: broker.bootstrap, admin, want });
  } finally {
    await admin.close().catch(() => {});
    await stopBroker(join(root, 'kafka'));
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }
}

/** A fresh topic name for one worker's run. */
export const benchTopic = (kind: 'weir' | 'java'): string => `bench-${kind}-${Date.now().toString(36)}`;

/** The machine, Node and Kafka the results were measured on, and how Weir ran. */
export function environmentLine(options: WorkerBenchOptions): string {
  return (
    `${cpus().length} cores, Node ${process.versions.node} (Weir ${options.weirFrom === 'build' ? 'compiled' : 'from TypeScript sources'}` +
    `${options.weirNodeOptions.length > 0 ? `, node ${options.weirNodeOptions.join(' ')}` : ''}), ` +
    'Apache Kafka 4.3.1 (broker and Connect).'
  );
}
