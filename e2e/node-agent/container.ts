// One container's life: start, probes, exits, restarts by restartPolicy with the kubelet's back-off
// (immediately, then 10 s doubling to 5 min, reset after 10 min of running), and stop with SIGTERM,
// the grace period, then SIGKILL. Reports its state in the shape of a V1ContainerStatus; with
// terminationMessagePolicy FallbackToLogsOnError, a run that exits with an error gets the end of
// its log as the termination message, as the kubelet does.
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { V1Container, V1ContainerState, V1ContainerStatus } from '@kubernetes/client-node';
import { ContainerConfigError } from './env.ts';
import { exitCodeOf, signalGroup } from './process.ts';
import { ProbeState, type ProbeTarget } from './probes.ts';

export interface Launched {
  child: ChildProcess;
  env: Record<string, string>;
}

export interface ContainerOptions {
  container: V1Container;
  restartPolicy: string;
  /** The pod's terminationGracePeriodSeconds, used when a failed probe kills the container. */
  graceSeconds: number;
  podIP: () => string;
  /** Starts the process (builds env and mounts first); throws ContainerConfigError when it cannot. */
  launch: () => Promise<Launched>;
  /** Called whenever something a status shows has changed. */
  changed: () => void;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Init containers run to completion and have no probes. */
  init?: boolean;
  /** The file the container's output is appended to, run after run. */
  logFile?: string;
}

/** The kubelet's limits for a termination message taken from the log. */
const FALLBACK_LINES = 80;
const FALLBACK_BYTES = 2048;

const fileSize = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** The last 80 lines, at most 2048 bytes, of what one run wrote to `file` from byte `from` on. */
export function logTail(file: string, from: number): string {
  const size = fileSize(file);
  const start = Math.max(from, size - FALLBACK_BYTES);
  if (size <= start) return '';
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8').trimEnd().split('\n').slice(-FALLBACK_LINES).join('\n');
}

const iso = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

export class ContainerRunner {
  readonly name: string;
  restartCount = 0;
  state: V1ContainerState = { waiting: { reason: 'ContainerCreating' } };
  lastState: V1ContainerState = {};
  ready = false;
  private readonly options: ContainerOptions;
  private process: ChildProcess | undefined;
  private env: Record<string, string> = {};
  private startedAt = 0;
  /** Where this run's output starts in the log file. */
  private logFrom = 0;
  private restartAt: number | undefined;
  private backoffMs = 0;
  private stopping = false;
  private starting = false;
  private probes: ProbeState[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(options: ContainerOptions) {
    this.options = options;
    this.name = options.container.name;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.state.running !== undefined;
  }

  /** Init containers: true once the container exited 0. */
  get succeeded(): boolean {
    return this.state.terminated?.exitCode === 0;
  }

  /** Started means the startup probe (if any) has passed. */
  get started(): boolean {
    return this.running && (this.probes.find((p) => p.kind === 'startup')?.ok ?? true);
  }

  /** Starts the process now (the first start, and every restart when its back-off is over). */
  async start(): Promise<void> {
    if (this.stopping || this.starting || this.running) return;
    this.starting = true;
    this.restartAt = undefined;
    try {
      if (this.options.logFile) this.logFrom = fileSize(this.options.logFile);
      const launched = await this.options.launch();
      if (this.stopping) {
        signalGroup(launched.child.pid, 'SIGKILL');
        return;
      }
      if (this.startedAt > 0) this.restartCount += 1;
      this.attach(launched);
    } catch (error) {
      const reason =
        error instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError';
      this.state = { waiting: { reason, message: (error as Error).message } };
      this.restartAt = Date.now() + 2000;
    } finally {
      this.starting = false;
      this.options.changed();
    }
  }

  private attach(launched: Launched): void {
    const { child } = launched;
    this.process = child;
    this.env = launched.env;
    this.startedAt = Date.now();
    this.state = { running: { startedAt: iso(this.startedAt) } };
    const c = this.options.container;
    this.probes = [];
    if (!this.options.init) {
      if (c.startupProbe) this.probes.push(new ProbeState('startup', c.startupProbe, this.startedAt));
      if (c.readinessProbe) this.probes.push(new ProbeState('readiness', c.readinessProbe, this.startedAt));
      if (c.livenessProbe) this.probes.push(new ProbeState('liveness', c.livenessProbe, this.startedAt));
    }
    this.ready = !this.options.init && !c.readinessProbe && !c.startupProbe;
    this.exited = new Promise((resolveExit) => {
      child.on('error', (error) => {
        this.onExit(127, 'StartError', error.message);
        resolveExit();
      });
      child.on('exit', (code, signal) => {
        // The container's other processes go with its main one, as in a container's PID namespace.
        signalGroup(child.pid, 'SIGKILL');
        const exitCode = exitCodeOf(code, signal);
        this.onExit(exitCode, exitCode === 0 ? 'Completed' : 'Error');
        resolveExit();
      });
    });
  }

  private onExit(exitCode: number, reason: string, message?: string): void {
    const finished = Date.now();
    this.process = undefined;
    this.ready = false;
    this.probes = [];
    const fallback =
      exitCode !== 0 &&
      this.options.container.terminationMessagePolicy === 'FallbackToLogsOnError' &&
      this.options.logFile
        ? logTail(this.options.logFile, this.logFrom) || undefined
        : undefined;
    this.state = {
      terminated: {
        exitCode,
        reason,
        message: message ?? fallback,
        startedAt: iso(this.startedAt),
        finishedAt: iso(finished),
      },
    };
    const policy = this.options.restartPolicy;
    const restart = !this.stopping && (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
    if (restart) {
      const base = this.options.backoffBaseMs ?? 10_000;
      const max = this.options.backoffMaxMs ?? 300_000;
      if (finished - this.startedAt > 2 * max) this.backoffMs = 0;
      this.restartAt = finished + this.backoffMs;
      this.backoffMs = this.backoffMs === 0 ? base : Math.min(this.backoffMs * 2, max);
      this.lastState = this.state;
      if (this.restartAt > finished) {
        this.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off restarting failed container ${this.name}`,
          },
        };
      }
    }
    this.options.changed();
  }

  /** Restarts when the back-off is over, runs due probes, kills on a failed liveness/startup probe. */
  async tick(): Promise<void> {
    if (this.stopping) return;
    if (this.restartAt !== undefined && Date.now() >= this.restartAt) {
      await this.start();
      return;
    }
    const pid = this.process?.pid;
    if (!this.running || pid === undefined) return;
    const target: ProbeTarget = {
      podIP: this.options.podIP(),
      container: this.options.container,
      pid,
      env: this.env,
    };
    const startup = this.probes.find((p) => p.kind === 'startup');
    for (const probe of this.probes) {
      if (probe.kind !== 'startup' && startup && !startup.ok) continue;
      if (probe.kind === 'startup' && probe.ok) continue;
      if (await probe.tick(target)) {
        if (probe.kind === 'readiness') this.ready = probe.ok;
        if (probe.kind === 'startup' && probe.ok && !this.probes.some((p) => p.kind === 'readiness'))
          this.ready = true;
        this.options.changed();
      }
      if ((probe.kind === 'liveness' || probe.kind === 'startup') && probe.failed) {
        await this.kill(this.options.graceSeconds, false);
        return;
      }
    }
  }

  /** SIGTERM, up to `graceSeconds`, then SIGKILL; resolves when the process is gone. */
  async kill(graceSeconds: number, final = true): Promise<void> {
    if (final) {
      this.stopping = true;
      this.restartAt = undefined;
    }
    const pid = this.process?.pid;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceSeconds * 1000);
    await this.exited;
    clearTimeout(timer);
  }

  status(image: string): V1ContainerStatus {
    return {
      name: this.name,
      image,
      imageID: '',
      containerID: this.pid === undefined ? undefined : `weir://${this.pid}`,
      ready: this.ready,
      started: this.options.init ? undefined : this.started,
      restartCount: this.restartCount,
      state: this.state,
      lastState: this.lastState,
    };
  }
}
