// What the operator e2e tests share: the CRDs applied, namespaces of their own, a Kafka broker the
// pods reach, a data folder the workers mount by hostPath, and `weir operator` watching those
// namespaces — a process on this machine or the Helm chart — then all of it removed again. The same
// on the local cluster and on kind:
// - the broker listens where that cluster's pods reach this machine (inject('hostAddressForPods'):
//   the local pod network's bridge, or the Docker network kind's gateway);
// - the data folder is under .weir/, which kind mounts into its node at the same path, and anyone
//   may write it: the image runs as uid 65532 (the local node agent runs pods as root);
// - workers get the e2e image (loaded into kind; ignored by the local node agent);
// - a NetworkPolicy lets this machine reach the workers' REST API as the operator's pods may: the
//   tests ask the workers directly, and `weir operator` as a process runs here (kind enforces
//   NetworkPolicies; the local cluster does not).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { KafkaConnect, KafkaConnectTemplate, KafkaConnector } from '../operator/api/types.ts';
import { RESOURCES, resourcePath, type KubeClient } from '../operator/kube/client.ts';
import {
  REPO_ROOT,
  startBroker,
  stopBroker,
  type BrokerState,
  type StartBrokerOptions,
} from '../tools/kafka/testbed.ts';
import { binary } from './cluster/build.ts';
import { eventually, kube, uniqueName, type Kube } from './kube.ts';
import { applyCrds, kubeClient, OperatorProcess } from './operator-process.ts';
import {
  installOperator,
  operatorPods,
  podLog,
  uninstallOperator,
  waitForOperator,
  type OperatorRelease,
} from './operator-release.ts';

/** The workers' REST port (the operator's NetworkPolicy admits only its own pods there). */
const REST_PORT = 8083;
type Kind = 'KafkaConnect' | 'KafkaConnector';

export interface OperatorTestBedOptions {
  /** Prefixes of the namespaces (each gets a random suffix); the first holds the Lease or the release. */
  namespaces: string[];
  /** `weir operator` as a process on this machine, or the Helm chart released into the first namespace. */
  operator: 'process' | 'chart';
  /** The chart's operator replicas (its default, 2, unless given). */
  chartReplicas?: number;
  /** A data folder for the workers (`dataDir`, mounted at /data by `dataTemplate`). */
  data?: boolean;
  /** Secure listeners and users beside the broker's PLAINTEXT listener. */
  brokerSecurity?: StartBrokerOptions['security'];
}

export class OperatorTestBed {
  readonly kubeconfig = inject('kubeconfig');
  readonly k: Kube = kube(this.kubeconfig);
  readonly client: KubeClient = kubeClient(this.kubeconfig);
  /** The test's namespaces, named now, created by `start`. */
  readonly namespaces: string[];
  /**
   * Holds the broker's folder, the operator's log and the data folder. Not under /tmp: the workers
   * mount an emptyDir there, which would hide a hostPath below it.
   */
  readonly work: string;
  /** A folder the workers mount at /data (with `data`). */
  readonly dataDir: string;
  operator: OperatorProcess | undefined;
  release: OperatorRelease | undefined;
  private brokerState: BrokerState | undefined;
  private readonly created: string[] = [];
  private readonly options: OperatorTestBedOptions;

  constructor(options: OperatorTestBedOptions) {
    this.options = options;
    this.namespaces = options.namespaces.map(uniqueName);
    this.work = join(REPO_ROOT, '.weir', `${this.namespace}-work`);
    this.dataDir = join(this.work, 'data');
  }

  /** The first namespace: the KafkaConnects', the Lease's, the chart's release's. */
  get namespace(): string {
    return this.namespaces[0]!;
  }

  get broker(): BrokerState {
    if (!this.brokerState) throw new Error('the broker has not started (OperatorTestBed.start)');
    return this.brokerState;
  }

  async start(): Promise<void> {
    applyCrds(this.kubeconfig);
    for (const name of this.namespaces) {
      await this.k.core.createNamespace({ body: { metadata: { name } } });
      this.created.push(name);
      await this.client.request('POST', resourcePath(RESOURCES.NetworkPolicy, name), {
        body: machineToWorkers(inject('hostAddressForPods')),
      });
    }
    mkdirSync(this.work, { recursive: true });
    chmodSync(this.work, 0o755);
    if (this.options.data) {
      mkdirSync(this.dataDir);
      chmodSync(this.dataDir, 0o777);
    }
    this.brokerState = await startBroker({
      dir: join(this.work, 'kafka'),
      host: inject('hostAddressForPods'),
      ...(this.options.brokerSecurity ? { security: this.options.brokerSecurity } : {}),
    });
    if (this.options.operator === 'process') {
      this.operator = await OperatorProcess.start({
        kubeconfig: this.kubeconfig,
        namespaces: this.namespaces,
        identity: this.options.namespaces[0]!,
        logFile: join(this.work, 'operator.log'),
        workerImage: inject('image'),
      });
    } else {
      const replicas = this.options.chartReplicas;
      this.release = await installOperator({
        kubeconfig: this.kubeconfig,
        namespace: this.namespace,
        image: inject('image'),
        ...(replicas ? { extraArgs: ['--set', `replicas=${replicas}`] } : {}),
      });
      await waitForOperator(this.k, this.client, this.namespace, replicas).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await this.operatorLogs()}`);
      });
    }
  }

  /** Connectors first, while the operator runs (their finalizer), then everything else. */
  async stop(): Promise<void> {
    try {
      if (this.operator || this.release) await this.deleteConnectors().catch(() => {});
      await this.operator?.stop();
      this.uninstallOperator();
    } finally {
      for (const name of this.created) await this.k.core.deleteNamespace({ name }).catch(() => {});
      await stopBroker(join(this.work, 'kafka')).catch(() => {}); // also one that failed to start
      if (process.env.WEIR_E2E_KEEP !== '1') rmSync(this.work, { recursive: true, force: true });
    }
  }

  /** Deletes every KafkaConnector in the namespaces and waits until they are gone. */
  async deleteConnectors(): Promise<void> {
    const type = RESOURCES.KafkaConnector;
    for (const ns of this.created) await this.client.request('DELETE', resourcePath(type, ns));
    await eventually('the KafkaConnectors gone', async () => {
      const left = await Promise.all(this.created.map((ns) => this.client.list(type, ns)));
      return left.every((l) => l.items.length === 0) ? true : undefined;
    });
  }

  /** `helm uninstall` of the chart's release; true when there was one to remove. */
  uninstallOperator(): boolean {
    const release = this.release;
    this.release = undefined;
    return release ? uninstallOperator(release) : false;
  }

  // Arrow functions, so that tests may take them out of the bed: `const { kubectl, get } = bed`.

  /** `kubectl` in the first namespace; its output, or an error with kubectl's. */
  readonly kubectl = (args: string[], input?: string): string => {
    const r = spawnSync(binary('kubectl'), ['--kubeconfig', this.kubeconfig, '-n', this.namespace, ...args], {
      input,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed:\n${r.stderr}`);
    return r.stdout;
  };

  readonly path = (kind: Kind, name?: string, namespace = this.namespace): string =>
    resourcePath(RESOURCES[kind], namespace, name);

  readonly get = <T extends KafkaConnect | KafkaConnector>(
    kind: Kind,
    name: string,
    namespace = this.namespace,
  ): Promise<(T & KubernetesObject) | undefined> =>
    this.client.get<T & KubernetesObject>(RESOURCES[kind], namespace, name);

  readonly create = async (o: KafkaConnect | KafkaConnector): Promise<void> => {
    const namespace = o.metadata.namespace ?? this.namespace;
    await this.client.request('POST', this.path(o.kind, undefined, namespace), { body: o });
  };

  /** The template that mounts the data folder at /data in the workers. */
  dataTemplate(): KafkaConnectTemplate {
    return {
      pod: { volumes: [{ name: 'data', hostPath: { path: this.dataDir, type: 'Directory' } }] },
      connectContainer: { volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    };
  }

  /** The non-empty lines of a file in the data folder; none while it does not exist. */
  dataLines(file: string): string[] {
    try {
      return readFileSync(join(this.dataDir, file), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  async workerPods(connect: string, namespace = this.namespace): Promise<V1Pod[]> {
    return (await this.k.core.listNamespacedPod({ namespace, labelSelector: `weir.dev/cluster=${connect}` }))
      .items;
  }

  /** A request to one worker of `connect` as the operator makes it: at its pod IP, with the admin token. */
  async toWorker<T>(
    connect: string,
    ip: string,
    method: string,
    urlPath: string,
    timeoutMs = 3000,
  ): Promise<{ status: number; body: T }> {
    const secret = await this.k.core.readNamespacedSecret({
      name: `${connect}-connect-credentials`,
      namespace: this.namespace,
    });
    const token = Buffer.from(secret.data?.['admin-token'] ?? '', 'base64').toString('utf8');
    const res = await fetch(`http://${ip}:${REST_PORT}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Each operator pod's phase, container state and last log lines, for failure messages. */
  async operatorLogs(): Promise<string> {
    return this.describePods(await operatorPods(this.k, this.namespace).catch(() => []), 'operator');
  }

  /** Each worker pod's phase, container state and last log lines, for failure messages. */
  async workerLogs(connect: string): Promise<string> {
    return this.describePods(await this.workerPods(connect).catch(() => []), 'connect');
  }

  private describePods(pods: V1Pod[], container: string): string {
    const state = (p: V1Pod) => p.status?.containerStatuses?.find((c) => c.name === container)?.state;
    return pods
      .map(
        (p) =>
          `--- ${p.metadata?.name} (${p.status?.phase}) ${JSON.stringify(state(p))}\n${podLog(this.kubeconfig, p, container)}`,
      )
      .join('\n');
  }
}

/** Lets `address` (this machine, as pods see it) reach the REST port of every worker in a namespace. */
function machineToWorkers(address: string): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'e2e-machine-to-workers' },
    spec: {
      podSelector: { matchLabels: { 'weir.dev/kind': 'KafkaConnect' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ ipBlock: { cidr: `${address}/32` } }], ports: [{ port: REST_PORT, protocol: 'TCP' }] },
      ],
    },
  };
}
