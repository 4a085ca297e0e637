// A distributed Apache Kafka Connect cluster (Java `ConnectDistributed` workers) on one machine, as
// tools/weir-cluster.ts runs Weir's: for benchmarks that do the same things to both.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorStateInfo } from '../runtime/rest/types.ts';
import { freePort, javaArgs } from './kafka/testbed.ts';
import { http, toProperties, waitFor } from './weir-process.ts';

export interface JavaWorker {
  readonly url: string;
  /** The worker id Connect reports in statuses: host:port of its REST listener. */
  readonly id: string;
  readonly dir: string;
  readonly child: ChildProcess;
  /** performance.now() when the JVM was spawned. */
  readonly spawnedAt: number;
  /** Resolves once the JVM has ended. */
  readonly exited: Promise<void>;
  /** Sends `signal` to the worker's process group (SIGKILL after `graceMs` for other signals) and waits for the exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface JavaClusterOptions {
  bootstrap: string;
  groupId: string;
  /** Worker settings for every worker, over the defaults tools/weir-process.ts gives Weir's workers. */
  worker?: Record<string, string>;
  heap?: string;
  /** How long a worker may take to answer GET /health with 200 (default 120 s). */
  startTimeoutMs?: number;
}

/** Sends a signal to a process group, ignoring a group that is already gone. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every Java worker still running when this process exits (each leads its own process group). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) killGroup(child.pid, 'SIGKILL');
  });
}

export class JavaConnectCluster {
  readonly dir: string;
  readonly workers: JavaWorker[] = [];
  private readonly options: JavaClusterOptions;
  private count = 0;

  constructor(options: JavaClusterOptions, dir?: string) {
    this.options = options;
    this.dir = dir ?? mkdtempSync(join(tmpdir(), `java-${options.groupId}-`));
    mkdirSync(this.dir, { recursive: true });
  }

  /** Starts `n` more workers in parallel and waits until each answers GET /health with 200. */
  async add(n = 1): Promise<JavaWorker[]> {
    const started = await Promise.all(Array.from({ length: n }, () => this.startWorker()));
    return started;
  }

  /** Spawns one worker; `ready` resolves once it answers GET /health with 200. */
  async spawn(): Promise<{ worker: JavaWorker; ready: Promise<void> }> {
    const port = await freePort();
    const dir = join(this.dir, `worker-${this.count++}`);
    mkdirSync(dir, { recursive: true });
    const prefix = this.options.groupId;
    const workerFile = join(dir, 'worker.properties');
    writeFileSync(
      workerFile,
      toProperties({
        'bootstrap.servers': this.options.bootstrap,
        'group.id': this.options.groupId,
        'config.storage.topic': `${prefix}-configs`,
        'offset.storage.topic': `${prefix}-offsets`,
        'status.storage.topic': `${prefix}-status`,
        'config.storage.replication.factor': '1',
        'offset.storage.replication.factor': '1',
        'status.storage.replication.factor': '1',
        'offset.storage.partitions': '5',
        'status.storage.partitions': '3',
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable': 'false',
        'value.converter.schemas.enable': 'false',
        'offset.flush.interval.ms': '1000',
        // Kafka's own plugins carry ServiceLoader manifests: same plugins, no slow classpath scan.
        'plugin.discovery': 'service_load',
        listeners: `http://127.0.0.1:${port}`,
        ...this.options.worker,
      }),
    );
    const logFile = join(dir, 'connect.log');
    const spawnedAt = performance.now();
    const child = spawn(
      'java',
      javaArgs('org.apache.kafka.connect.cli.ConnectDistributed', [workerFile], {
        heap: this.options.heap ?? '512m',
      }),
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    installExitHook();
    running.add(child);
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    let ended = false;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        ended = true;
        running.delete(child);
        resolve();
      }),
    );
    const url = `http://127.0.0.1:${port}`;
    const worker: JavaWorker = {
      url,
      id: `127.0.0.1:${port}`,
      dir,
      child,
      spawnedAt,
      exited,
      async stop(signal = 'SIGTERM', graceMs = 30_000) {
        if (ended) return exited;
        killGroup(child.pid, signal);
        const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      },
    };
    this.workers.push(worker);
    const ready = waitFor(
      `Apache Kafka Connect's REST API at ${url}`,
      async () => {
        if (ended) throw new Error(`Java Connect exited before its REST API answered; see ${logFile}`);
        return (await fetch(`${url}/health`)).status === 200;
      },
      this.options.startTimeoutMs ?? 120_000,
      100,
    ).then(() => undefined);
    return { worker, ready };
  }

  private async startWorker(): Promise<JavaWorker> {
    const { worker, ready } = await this.spawn();
    try {
      await ready;
    } catch (error) {
      await worker.stop('SIGKILL');
      throw error;
    }
    return worker;
  }

  /** Workers still running. */
  get live(): JavaWorker[] {
    return this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  }

  byWorkerId(id: string): JavaWorker | undefined {
    return this.workers.find((w) => w.id === id);
  }

  /**
   * The leader's worker id, from the newest "Joined group … leaderUrl=…" line in the live workers'
   * logs (Java's REST API does not say which worker leads).
   */
  leaderId(): string | undefined {
    let newest: { generation: number; id: string } | undefined;
    for (const worker of this.live) {
      const file = join(worker.dir, 'connect.log');
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const match = /Joined group at generation (\d+).*leaderUrl='https?:\/\/([^/']+)\/?'/.exec(line);
        if (match && (!newest || Number(match[1]) > newest.generation))
          newest = { generation: Number(match[1]), id: match[2] as string };
      }
    }
    return newest?.id;
  }

  async status(
    name: string,
    via: JavaWorker = this.live[0] as JavaWorker,
  ): Promise<ConnectorStateInfo | undefined> {
    const r = await http('GET', `${via.url}/connectors/${encodeURIComponent(name)}/status`);
    return r.status === 200 ? (r.body as ConnectorStateInfo) : undefined;
  }

  /** SIGKILL to every worker's process group. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop('SIGKILL')));
  }
}
