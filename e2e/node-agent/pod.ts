// One pod on the node: its network namespace and IP, its folder (volumes, /etc/hosts, logs), its
// init containers in order and then its containers, and its teardown. The agent ticks it and reads
// snapshots of it to write the pod's status.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { ContainerRunner, type Launched } from './container.ts';
import { containerEnv } from './env.ts';
import { createPodNetwork, deletePodNetwork, type IpPool, type PodNetwork } from './network.ts';
import { commandFor, launch } from './process.ts';
import { podPhase, type PodSnapshot } from './status.ts';
import { containerMounts, materialiseVolumes, type VolumeSource } from './volumes.ts';

export interface PodDeps {
  podsDir: string;
  repoRoot: string;
  hostIP: string;
  apiServer: { host: string; port: number };
  /** PATH for containers that set none. */
  path: string;
  ips: IpPool;
  source: VolumeSource;
  backoffBaseMs?: number;
  /** Called when the pod's status may have changed. */
  changed: () => void;
  log: (line: string) => void;
}

const VOLUME_REFRESH_MS = 60_000;

export class PodWorker {
  pod: V1Pod;
  readonly uid: string;
  readonly dir: string;
  private readonly deps: PodDeps;
  private network: PodNetwork | undefined;
  private readonly startTime = new Date();
  private folders: Map<string, string> | undefined;
  private volumesAt = 0;
  private readonly initRunners: ContainerRunner[];
  private readonly runners: ContainerRunner[];
  private initIndex = 0;
  private containersStarted = false;
  private failure: PodSnapshot['failure'];
  private ending: Promise<void> | undefined;
  private released = false;

  constructor(pod: V1Pod, deps: PodDeps) {
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? '';
    this.deps = deps;
    this.dir = join(deps.podsDir, this.uid);
    const spec = pod.spec;
    const policy = spec?.restartPolicy ?? 'Always';
    const runner = (c: V1Container, init: boolean): ContainerRunner =>
      new ContainerRunner({
        container: c,
        init,
        restartPolicy: init ? (policy === 'Never' ? 'Never' : 'OnFailure') : policy,
        graceSeconds: spec?.terminationGracePeriodSeconds ?? 30,
        podIP: () => this.network?.ip ?? '',
        launch: () => this.launch(c),
        changed: deps.changed,
        backoffBaseMs: deps.backoffBaseMs,
        logFile: join(this.dir, 'logs', `${c.name}.log`),
      });
    this.initRunners = (spec?.initContainers ?? []).map((c) => runner(c, true));
    this.runners = (spec?.containers ?? []).map((c) => runner(c, false));
  }

  get name(): string {
    return `${this.pod.metadata?.namespace}/${this.pod.metadata?.name}`;
  }

  get terminating(): boolean {
    return this.ending !== undefined;
  }

  /** Makes the pod's folder and network. A failure here fails the pod. */
  setUp(): void {
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    try {
      this.network = createPodNetwork(this.uid, this.deps.ips.allocate());
    } catch (error) {
      this.failure = { reason: 'NetworkError', message: (error as Error).message };
      return;
    }
    const hosts = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
    hosts.push(`${this.network.ip}\t${this.pod.metadata?.name ?? ''}`, '');
    writeFileSync(join(this.dir, 'hosts'), hosts.join('\n'));
    this.deps.log(
      `pod ${this.name}: ip ${this.network.ip}, netns ${this.network.namespace}, files ${this.dir}`,
    );
  }

  private async volumes(): Promise<Map<string, string>> {
    if (!this.folders || Date.now() - this.volumesAt > VOLUME_REFRESH_MS) {
      this.folders = await materialiseVolumes(this.pod, this.dir, this.deps.source);
      this.volumesAt = Date.now();
    }
    return this.folders;
  }

  private async launch(c: V1Container): Promise<Launched> {
    const network = this.network;
    if (!network) throw new Error('the pod has no network');
    const folders = await this.volumes();
    const env = await containerEnv(c, {
      pod: this.pod,
      podIP: network.ip,
      hostIP: this.deps.hostIP,
      path: this.deps.path,
      apiServer: this.deps.apiServer,
      objects: this.deps.source,
    });
    const argv = commandFor(c, env, this.deps.repoRoot);
    const isWeir = argv[1] === join(this.deps.repoRoot, 'bin', 'weir.js') && !c.command?.length;
    const child = launch({
      netns: network.namespace,
      hostname: this.pod.metadata?.name ?? 'pod',
      mounts: containerMounts(c, folders),
      keep: [this.deps.repoRoot],
      hostsFile: join(this.dir, 'hosts'),
      workingDir: c.workingDir || (isWeir ? this.deps.repoRoot : '/'),
      argv,
      env,
      logFile: join(this.dir, 'logs', `${c.name}.log`),
    });
    this.deps.log(`pod ${this.name}: started ${c.name} (pid ${child.pid}): ${argv.join(' ').slice(0, 200)}`);
    return { child, env };
  }

  /** Advances the pod: init containers one by one, then all containers; probes; volume refresh. */
  async tick(): Promise<void> {
    if (this.ending || this.failure || !this.network || this.released) return;
    const phase = podPhase(this.snapshot());
    if (phase === 'Succeeded' || phase === 'Failed') {
      // A finished pod keeps its status (and podIP) but gives its network back, as a kubelet does.
      this.releaseNetwork();
      return;
    }
    if (this.initIndex < this.initRunners.length) {
      const current = this.initRunners[this.initIndex];
      if (!current) return;
      if (current.succeeded) {
        this.initIndex += 1;
        this.deps.changed();
        return;
      }
      if (current.state.waiting?.reason === 'ContainerCreating') await current.start();
      else await current.tick();
      return;
    }
    if (!this.containersStarted) {
      this.containersStarted = true;
      await Promise.all(this.runners.map((r) => r.start()));
      return;
    }
    await Promise.all(this.runners.map((r) => r.tick()));
    if (this.runners.some((r) => r.running) && Date.now() - this.volumesAt > VOLUME_REFRESH_MS) {
      await this.volumes().catch((error: unknown) =>
        this.deps.log(`pod ${this.name}: volumes: ${String(error)}`),
      );
    }
  }

  /** Stops every container (SIGTERM, grace, SIGKILL) and removes the pod's network. Idempotent. */
  terminate(graceSeconds: number): Promise<void> {
    this.ending ??= (async () => {
      await Promise.all([...this.initRunners, ...this.runners].map((r) => r.kill(graceSeconds)));
      this.releaseNetwork();
      this.deps.changed();
    })();
    return this.ending;
  }

  private releaseNetwork(): void {
    if (!this.network || this.released) return;
    this.released = true;
    deletePodNetwork(this.network.namespace);
    this.deps.ips.release(this.network.ip);
  }

  /** Removes the pod's folder (after the pod is gone from the API). */
  removeFiles(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The pod's process ids, so a later agent can clean up after a crashed one. */
  pids(): number[] {
    return [...this.initRunners, ...this.runners].flatMap((r) => (r.pid === undefined ? [] : [r.pid]));
  }

  snapshot(): PodSnapshot {
    const image = (name: string, list: V1Container[] | undefined): string =>
      list?.find((c) => c.name === name)?.image ?? '';
    return {
      pod: this.pod,
      hostIP: this.deps.hostIP,
      podIP: this.network?.ip,
      startTime: this.startTime,
      networkReady: this.network !== undefined && !this.ending && !this.released,
      initDone: this.initIndex >= this.initRunners.length,
      initContainerStatuses: this.initRunners.map((r) =>
        r.status(image(r.name, this.pod.spec?.initContainers)),
      ),
      containerStatuses: this.runners.map((r) => r.status(image(r.name, this.pod.spec?.containers))),
      failure: this.failure,
    };
  }
}
