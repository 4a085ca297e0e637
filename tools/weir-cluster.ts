// A distributed Weir cluster of worker processes on one machine, for integration tests and benchmarks.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorStateInfo } from '../runtime/rest/types.ts';
import { http, startWeirDistributed, waitFor, type WeirProcess } from './weir-process.ts';

export interface ClusterOptions {
  bootstrap: string;
  groupId: string;
  /** Worker settings for every worker. */
  worker?: Record<string, string>;
}

export class WeirCluster {
  readonly dir: string;
  readonly workers: WeirProcess[] = [];
  private readonly options: ClusterOptions;
  private count = 0;

  constructor(options: ClusterOptions) {
    this.options = options;
    this.dir = mkdtempSync(join(tmpdir(), `weir-${options.groupId}-`));
  }

  /** Starts `n` more workers in parallel. */
  async add(n = 1): Promise<WeirProcess[]> {
    const started = await Promise.all(
      Array.from({ length: n }, () =>
        startWeirDistributed({
          dir: join(this.dir, `worker-${this.count++}`),
          bootstrap: this.options.bootstrap,
          groupId: this.options.groupId,
          worker: this.options.worker,
        }),
      ),
    );
    this.workers.push(...started);
    return started;
  }

  /** Workers still running. */
  get live(): WeirProcess[] {
    return this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  }

  workerId(worker: WeirProcess): string {
    return new URL(worker.url).host;
  }

  /**
   * Starts a stopped (or killed) worker again in its own folder and on its own port, so it comes
   * back with the same worker id, as a container restarted in its pod; its log is appended to.
   */
  async restart(worker: WeirProcess): Promise<WeirProcess> {
    const index = this.workers.indexOf(worker);
    if (index < 0) throw new Error(`${worker.url} is not a worker of this cluster`);
    await worker.stop('SIGKILL');
    const restarted = await startWeirDistributed({
      dir: join(this.dir, `worker-${index}`),
      bootstrap: this.options.bootstrap,
      groupId: this.options.groupId,
      worker: this.options.worker,
      port: Number(new URL(worker.url).port),
    });
    this.workers[index] = restarted;
    return restarted;
  }

  /** The folder of a worker's properties and log (weir.log). */
  workerDir(worker: WeirProcess): string {
    return join(this.dir, `worker-${this.workers.indexOf(worker)}`);
  }

  byWorkerId(id: string): WeirProcess | undefined {
    return this.workers.find((w) => this.workerId(w) === id);
  }

  async status(
    name: string,
    via: WeirProcess = this.live[0] as WeirProcess,
  ): Promise<ConnectorStateInfo | undefined> {
    const r = await http('GET', `${via.url}/connectors/${encodeURIComponent(name)}/status`);
    return r.status === 200 ? (r.body as ConnectorStateInfo) : undefined;
  }

  /**
   * Waits until the connector and `tasks` tasks are RUNNING on live workers (optionally none on
   * `excluded`), and returns the status.
   */
  async waitRunning(
    name: string,
    tasks: number,
    timeoutMs = 30_000,
    excluded: string[] = [],
  ): Promise<ConnectorStateInfo> {
    return waitFor(
      `${name} and ${tasks} task(s) RUNNING`,
      async () => {
        const via = this.live[0];
        if (!via) return undefined;
        const status = await this.status(name, via);
        const liveIds = new Set(this.live.map((w) => this.workerId(w)));
        const ok = (s: { state: string; worker_id: string }) =>
          s.state === 'RUNNING' && liveIds.has(s.worker_id) && !excluded.includes(s.worker_id);
        return status && ok(status.connector) && status.tasks.length === tasks && status.tasks.every(ok)
          ? status
          : undefined;
      },
      timeoutMs,
      50,
    );
  }

  /** How many times each task was started on any worker, from the workers' logs. */
  taskStarts(connector: string): Map<number, number> {
    const starts = new Map<number, number>();
    for (let i = 0; i < this.count; i++) {
      const log = join(this.dir, `worker-${i}`, 'weir.log');
      if (!existsSync(log)) continue;
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        const match = /"msg":"Starting task (.+)-(\d+)"/.exec(line);
        if (match && match[1] === connector)
          starts.set(Number(match[2]), (starts.get(Number(match[2])) ?? 0) + 1);
      }
    }
    return starts;
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop('SIGKILL')));
  }
}

/** Counts tasks per worker id. */
export function spread(status: ConnectorStateInfo): number[] {
  const counts = new Map<string, number>();
  for (const task of status.tasks) counts.set(task.worker_id, (counts.get(task.worker_id) ?? 0) + 1);
  return [...counts.values()].sort();
}
