// `weir operator` as a process on this machine, scoped to given namespaces, for e2e tests and the
// operator bench: started from the checkout's sources (as bin/weir.js runs them), its /metrics on a
// free port, its output in a log file, its memory from /proc. Also what such a test needs first:
// the CRDs applied and a client for the custom resources.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../operator/kube/client.ts';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';
import { binary } from './cluster/build.ts';

/** `kubectl apply -f crds/` on the cluster of `kubeconfig`. */
export function applyCrds(kubeconfig: string): void {
  execFileSync(binary('kubectl'), ['--kubeconfig', kubeconfig, 'apply', '-f', join(REPO_ROOT, 'crds')], {
    stdio: 'pipe',
  });
}

/** The operator's own API client (plain JSON, custom resources included) for `kubeconfig`. */
export function kubeClient(kubeconfig: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return new KubeClient(kc);
}

/** One sample of Prometheus' text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of a metric's samples whose labels include `match`. */
export const total = (samples: Sample[], name: string, match: Record<string, string> = {}): number =>
  samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

export interface OperatorProcessOptions {
  kubeconfig: string;
  /** Watched namespaces; the first also holds the Lease. */
  namespaces: string[];
  identity: string;
  /** Where its output goes (appended). */
  logFile: string;
  /** The workers' image when a KafkaConnect names none (on kind: the image loaded into the cluster). */
  workerImage?: string;
}

export class OperatorProcess {
  private readonly child: ChildProcess;
  readonly metricsPort: number;
  readonly logFile: string;

  private constructor(child: ChildProcess, metricsPort: number, logFile: string) {
    this.child = child;
    this.metricsPort = metricsPort;
    this.logFile = logFile;
  }

  /** Starts it and resolves once it leads (its controllers run). */
  static async start(o: OperatorProcessOptions): Promise<OperatorProcess> {
    const out = createWriteStream(o.logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=8', // as bin/weir.js and the image run it
        join(REPO_ROOT, 'bin', 'weir.js'),
        'operator',
        ...['--kubeconfig', o.kubeconfig, '--namespace', o.namespaces.join(',')],
        ...['--lease-namespace', o.namespaces[0]!, '--metrics-port', '0', '--identity', o.identity],
        ...(o.workerImage ? ['--worker-image', o.workerImage] : []),
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WEIR_LOG_FORMAT: 'json' } },
    );
    const port = new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`weir operator exited (${code}); see ${o.logFile}`)));
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.pipe(out);
        createInterface({ input: stream }).on('line', (line) => {
          const found = /"port":(\d+).*serving \/metrics/.exec(line)?.[1];
          if (found) resolve(Number(found));
        });
      }
    });
    const op = new OperatorProcess(child, await port, o.logFile);
    const deadline = Date.now() + 60_000;
    while (total(await op.metrics(), 'weir_operator_leader') !== 1) {
      if (Date.now() > deadline) throw new Error(`weir operator did not lead within 60 s; see ${o.logFile}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return op;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async metrics(): Promise<Sample[]> {
    const res = await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`, {
      signal: AbortSignal.timeout(5_000),
    });
    return parseMetrics(await res.text());
  }

  /** Resident and peak resident memory (VmRSS, VmHWM) in MB. */
  memory(): { rssMb: number; peakMb: number } {
    const file = `/proc/${this.pid}/status`;
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  }

  /** SIGTERM (it releases the Lease), resolves once it exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
