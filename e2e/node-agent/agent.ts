// The node agent: a kubelet for the local cluster. It registers a Node (Ready, with capacity),
// keeps its Lease fresh, watches the pods bound to it, runs each as real processes (pod.ts), writes
// their status, and on deletion stops them within the grace period and removes the pod.
import type { Server } from 'node:net';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  ListWatch,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { K8S_VERSION } from '../cluster/build.ts';
import { REPO_ROOT } from '../../tools/kafka/testbed.ts';
import {
  ensureBridge,
  forwardToApiServer,
  hostAddressForPods,
  IpPool,
  listPodNamespaces,
  removePodNamespace,
} from './network.ts';
import { PodWorker } from './pod.ts';
import { podStatus, statusKey } from './status.ts';
import type { VolumeSource } from './volumes.ts';

export interface NodeAgentOptions {
  kubeconfig: string;
  nodeName: string;
  /** Pod folders go to `<stateDir>/pods/<uid>`. */
  stateDir: string;
  /** The API server's port; pods reach it at the pod network's host address. */
  apiServerPort: number;
  /** First crash-loop back-off step (kubelet: 10 s). */
  backoffBaseMs?: number;
  log?: (line: string) => void;
}

const LEASE_SECONDS = 40;
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const microTime = (d = new Date()): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const notFound = (error: unknown): boolean => (error as { code?: number }).code === 404;
const conflict = (error: unknown): boolean => (error as { code?: number }).code === 409;

export class NodeAgent {
  private readonly options: NodeAgentOptions;
  private readonly core: CoreV1Api;
  private readonly coordination: CoordinationV1Api;
  private readonly informer: ListWatch<V1Pod>;
  private readonly workers = new Map<string, PodWorker>();
  private readonly written = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly ips = new IpPool();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly since = new Date();
  private readonly busy = new Set<string>();
  private flushing = false;
  private proxy: Server | undefined;
  private readonly log: (line: string) => void;

  constructor(options: NodeAgentOptions) {
    this.options = options;
    this.log = options.log ?? ((l) => process.stderr.write(`${l}\n`));
    const kc = new KubeConfig();
    kc.loadFromFile(options.kubeconfig);
    this.core = kc.makeApiClient(CoreV1Api);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
    const fieldSelector = `spec.nodeName=${options.nodeName}`;
    this.informer = new ListWatch<V1Pod>(
      '/api/v1/pods',
      new Watch(kc),
      () => this.core.listPodForAllNamespaces({ fieldSelector }),
      false,
      undefined,
      fieldSelector,
    );
  }

  /** Registers the Node, then starts the lease, the pod watch and the pods' tick loop. */
  async start(): Promise<void> {
    cleanUpAfterEarlierAgents(this.log);
    ensureBridge();
    this.proxy = await forwardToApiServer(this.options.apiServerPort);
    await this.register();
    await this.renewLease();
    for (const verb of ['add', 'update'] as const) this.informer.on(verb, (pod) => this.observe(pod));
    this.informer.on('delete', (pod) => void this.forget(pod));
    this.informer.on('error', (error) => {
      if (this.stopped) return;
      this.log(`pod watch failed (${String(error)}); restarting it`);
      setTimeout(() => void this.informer.start().catch(() => {}), 1000);
    });
    await this.informer.start();
    this.timers.push(
      setInterval(
        () => void this.renewLease().catch((e: unknown) => this.log(`lease: ${String(e)}`)),
        10_000,
      ),
      setInterval(
        () => void this.reportNode().catch((e: unknown) => this.log(`node status: ${String(e)}`)),
        60_000,
      ),
      setInterval(() => this.tick(), 200),
      setInterval(() => this.informer.list().forEach((pod) => this.observe(pod)), 5_000),
    );
    this.log(`node ${this.options.nodeName} registered; pods get addresses in ${hostAddressForPods()}/24`);
  }

  /** Stops every pod (SIGTERM, then SIGKILL after `graceSeconds`) and the agent's loops. */
  async stop(graceSeconds = 5): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.informer.stop();
    await Promise.all([...this.workers.values()].map((w) => w.terminate(graceSeconds)));
    this.workers.clear();
    this.proxy?.close();
  }

  private nodeStatus(): V1Node['status'] {
    const now = new Date();
    const memKi = `${Math.floor(totalmem() / 1024)}Ki`;
    const capacity = { cpu: String(cpus().length), memory: memKi, pods: '110', 'ephemeral-storage': '100Gi' };
    const cond = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: this.since,
    });
    return {
      capacity,
      allocatable: capacity,
      addresses: [
        { type: 'InternalIP', address: hostAddressForPods() },
        { type: 'Hostname', address: this.options.nodeName },
      ],
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'enough memory'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'enough PIDs'),
        cond('Ready', 'True', 'KubeletReady', 'weir node agent is posting ready status'),
      ],
      nodeInfo: {
        architecture: process.arch === 'x64' ? 'amd64' : process.arch,
        bootID: '',
        containerRuntimeVersion: 'weir-processes://0.1.0',
        kernelVersion: release(),
        kubeProxyVersion: '',
        kubeletVersion: K8S_VERSION,
        machineID: '',
        operatingSystem: 'linux',
        osImage: 'Weir local node agent',
        systemUUID: '',
      },
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
    };
  }

  private async register(): Promise<void> {
    const name = this.options.nodeName;
    const labels = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch,
    };
    try {
      await this.core.createNode({ body: { metadata: { name, labels }, spec: {} } });
    } catch (error) {
      if (!conflict(error)) throw error;
    }
    await this.reportNode();
  }

  private async reportNode(): Promise<void> {
    const body = { status: this.nodeStatus() };
    await this.core.patchNodeStatus({ name: this.options.nodeName, body }, MERGE);
  }

  private async renewLease(): Promise<void> {
    const name = this.options.nodeName;
    const namespace = 'kube-node-lease';
    const spec = { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime: microTime() };
    try {
      await this.coordination.patchNamespacedLease({ name, namespace, body: { spec } }, MERGE);
    } catch (error) {
      if (!notFound(error)) throw error;
      await this.coordination.createNamespacedLease({
        namespace,
        body: {
          metadata: { name, ownerReferences: await this.nodeOwner() },
          spec: { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS },
        },
      });
      await this.coordination.patchNamespacedLease({ name, namespace, body: { spec } }, MERGE);
    }
  }

  private async nodeOwner(): Promise<{ apiVersion: string; kind: string; name: string; uid: string }[]> {
    const node = await this.core.readNode({ name: this.options.nodeName });
    return [{ apiVersion: 'v1', kind: 'Node', name: this.options.nodeName, uid: node.metadata?.uid ?? '' }];
  }

  private readonly source: VolumeSource = {
    configMap: async (namespace, name) => {
      try {
        const cm = await this.core.readNamespacedConfigMap({ name, namespace });
        const binary = Object.entries(cm.binaryData ?? {}).map(([k, v]) => [
          k,
          Buffer.from(v, 'base64').toString(),
        ]);
        return { ...cm.data, ...Object.fromEntries(binary) };
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    secret: async (namespace, name) => {
      try {
        const secret = await this.core.readNamespacedSecret({ name, namespace });
        const decoded = Object.entries(secret.data ?? {}).map(([k, v]) => [
          k,
          Buffer.from(v, 'base64').toString(),
        ]);
        return { ...secret.stringData, ...Object.fromEntries(decoded) };
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    token: async (pod, audience, expirationSeconds) => {
      const meta = pod.metadata ?? {};
      const request = await this.core.createNamespacedServiceAccountToken({
        name: pod.spec?.serviceAccountName ?? 'default',
        namespace: meta.namespace ?? 'default',
        body: {
          spec: {
            audiences: audience ? [audience] : [],
            expirationSeconds,
            boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: meta.name, uid: meta.uid },
          },
        },
      });
      return request.status?.token ?? '';
    },
  };

  /** Reacts to a pod's latest state: start it, note changes, or end it when it is being deleted. */
  private observe(pod: V1Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata?.uid ?? '';
    let worker = this.workers.get(uid);
    if (worker) worker.pod = pod;
    if (pod.metadata?.deletionTimestamp) {
      void this.finish(pod, worker);
      return;
    }
    const phase = pod.status?.phase;
    if (!worker && phase !== 'Succeeded' && phase !== 'Failed') {
      worker = new PodWorker(pod, {
        podsDir: join(this.options.stateDir, 'pods'),
        repoRoot: REPO_ROOT,
        hostIP: hostAddressForPods(),
        apiServer: { host: hostAddressForPods(), port: this.options.apiServerPort },
        path: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        ips: this.ips,
        source: this.source,
        backoffBaseMs: this.options.backoffBaseMs,
        changed: () => this.dirty.add(uid),
        log: this.log,
      });
      this.workers.set(uid, worker);
      worker.setUp();
      this.dirty.add(uid);
    }
  }

  /** Deletion: stop the containers within the grace period, then remove the pod for good. */
  private async finish(pod: V1Pod, worker: PodWorker | undefined): Promise<void> {
    const meta = pod.metadata ?? {};
    if (worker?.terminating) return;
    const grace = meta.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    if (worker) {
      this.log(`pod ${worker.name}: deleting (grace ${grace} s)`);
      await worker.terminate(grace);
      await this.writeStatus(worker).catch(() => {});
    }
    try {
      await this.core.deleteNamespacedPod({
        name: meta.name ?? '',
        namespace: meta.namespace ?? 'default',
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, preconditions: { uid: meta.uid } },
      });
    } catch (error) {
      if (!notFound(error) && !conflict(error)) this.log(`pod ${meta.name}: delete: ${String(error)}`);
    }
  }

  private async forget(pod: V1Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const worker = this.workers.get(uid);
    if (!worker) return;
    await worker.terminate(0);
    worker.removeFiles();
    this.workers.delete(uid);
    this.written.delete(uid);
    this.dirty.delete(uid);
  }

  /** Advances every pod on its own (a slow one never holds up the others), then writes statuses. */
  private tick(): void {
    if (this.stopped) return;
    for (const [uid, worker] of this.workers) {
      if (this.busy.has(uid)) continue;
      this.busy.add(uid);
      void worker
        .tick()
        .catch((e: unknown) => this.log(`pod ${worker.name}: ${String(e)}`))
        .finally(() => this.busy.delete(uid));
    }
    void this.flushStatuses();
  }

  private async flushStatuses(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const dirty = [...this.dirty];
      this.dirty.clear();
      await Promise.all(
        dirty.map(async (uid) => {
          const worker = this.workers.get(uid);
          if (!worker || worker.terminating) return;
          await this.writeStatus(worker).catch((e: unknown) => {
            if (notFound(e)) return;
            this.dirty.add(uid);
            this.log(`pod ${worker.name}: status: ${String(e)}`);
          });
        }),
      );
    } finally {
      this.flushing = false;
    }
  }

  private async writeStatus(worker: PodWorker): Promise<void> {
    const status = podStatus(worker.snapshot());
    const key = statusKey(status);
    if (this.written.get(worker.uid) === key) return;
    const meta = worker.pod.metadata ?? {};
    await this.core.patchNamespacedPodStatus(
      { name: meta.name ?? '', namespace: meta.namespace ?? 'default', body: { status } },
      MERGE,
    );
    this.written.set(worker.uid, key);
  }
}

/** Kills processes and removes pod networks a crashed agent may have left. */
function cleanUpAfterEarlierAgents(log: (line: string) => void): void {
  for (const ns of listPodNamespaces()) {
    const killed = removePodNamespace(ns);
    log(`removed pod network ${ns} left by an earlier agent (${killed} processes killed)`);
  }
}
