// Probes as the kubelet runs them: httpGet (2xx/3xx), tcpSocket (connects), exec (exit 0) against
// the pod's IP or inside the container, with initialDelay, period, timeout and thresholds.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import { execIn } from './process.ts';

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

export interface ProbeTarget {
  podIP: string;
  container: V1Container;
  pid: number;
  env: Record<string, string>;
}

function portOf(port: number | string, container: V1Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`no container port named "${port}"`);
  return named.containerPort;
}

function httpGet(probe: V1Probe, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  const get = probe.httpGet;
  if (!get) return Promise.resolve(false);
  const request = get.scheme === 'HTTPS' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/weir' };
  for (const h of get.httpHeaders ?? []) headers[h.name] = h.value;
  return new Promise((resolveOk) => {
    const req = request(
      {
        host: get.host || target.podIP,
        port: portOf(get.port, target.container),
        path: get.path ?? '/',
        headers,
        timeout: timeoutMs,
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolveOk(code >= 200 && code < 400);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveOk(false));
    req.end();
  });
}

function tcpSocket(probe: V1Probe, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  const tcp = probe.tcpSocket;
  if (!tcp) return Promise.resolve(false);
  return new Promise((resolveOk) => {
    const socket = connect({ host: tcp.host || target.podIP, port: portOf(tcp.port, target.container) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolveOk(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

/** Runs a probe once; true when it succeeds. */
export async function runProbe(probe: V1Probe, target: ProbeTarget): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.httpGet) return await httpGet(probe, target, timeoutMs);
    if (probe.tcpSocket) return await tcpSocket(probe, target, timeoutMs);
    if (probe.exec?.command?.length) {
      return (await execIn(target.pid, probe.exec.command, target.env, timeoutMs)) === 0;
    }
  } catch {
    return false;
  }
  return false;
}

/** One probe's schedule and thresholds for one run of a container. */
export class ProbeState {
  readonly kind: ProbeKind;
  readonly probe: V1Probe;
  /** The probe's verdict: readiness and startup start failing, liveness starts passing. */
  ok: boolean;
  private successes = 0;
  private failures = 0;
  private nextAt: number;
  private running = false;

  constructor(kind: ProbeKind, probe: V1Probe, startedAt: number) {
    this.kind = kind;
    this.probe = probe;
    this.ok = kind === 'liveness';
    this.nextAt = startedAt + (probe.initialDelaySeconds ?? 0) * 1000;
  }

  /** Runs the probe if it is due; resolves to true when the verdict changed. */
  async tick(target: ProbeTarget, now = Date.now()): Promise<boolean> {
    if (this.running || now < this.nextAt) return false;
    this.running = true;
    try {
      const passed = await runProbe(this.probe, target);
      this.nextAt = Date.now() + (this.probe.periodSeconds ?? 10) * 1000;
      const before = this.ok;
      if (passed) {
        this.failures = 0;
        this.successes += 1;
        if (this.successes >= (this.probe.successThreshold ?? 1)) this.ok = true;
      } else {
        this.successes = 0;
        this.failures += 1;
        if (this.failures >= (this.probe.failureThreshold ?? 3)) this.ok = false;
      }
      return before !== this.ok;
    } finally {
      this.running = false;
    }
  }

  /** True once the probe has failed failureThreshold times in a row (liveness, startup: restart). */
  get failed(): boolean {
    return this.failures >= (this.probe.failureThreshold ?? 3);
  }
}
