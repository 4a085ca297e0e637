// The local cluster: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the node
// agent as background processes (each leads its own process group) with their state in one folder
// (default .weir/cluster), the API server on loopback, and an admin kubeconfig (.weir/kubeconfig).
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { freePort, REPO_ROOT } from '../../tools/kafka/testbed.ts';
import {
  ensureBridge,
  hostAddressForPods,
  podCidr,
  podNetworkProblem,
  removePodNetwork,
} from '../node-agent/network.ts';
import { binary, ensureClusterBinaries, K8S_VERSION } from './build.ts';
import { ensureCredentials, kubeconfig, type Credential } from './certs.ts';
import { controlPlaneArgs } from './flags.ts';

export { hostAddressForPods } from '../node-agent/network.ts';

export const DEFAULT_CLUSTER_DIR = join(REPO_ROOT, '.weir', 'cluster');
export const SERVICE_CIDR = '10.96.0.0/16';
const KUBERNETES_SERVICE_IP = '10.96.0.1';
const PROCESSES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'node-agent',
] as const;
type ProcessName = (typeof PROCESSES)[number];

/** The admin kubeconfig of the cluster in the default folder. */
export function kubeconfigPath(): string {
  return join(REPO_ROOT, '.weir', 'kubeconfig');
}

export interface ClusterState {
  version: string;
  dir: string;
  kubeconfig: string;
  server: string;
  nodeName: string;
  ports: { etcd: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number };
  pids: Partial<Record<ProcessName, number>>;
}

export interface StartClusterOptions {
  /** State folder (certificates, etcd data, logs, pod folders); default .weir/cluster. */
  dir?: string;
  /** Where to write the admin kubeconfig; default .weir/kubeconfig for the default dir, else <dir>/kubeconfig. */
  kubeconfig?: string;
  /** Wipe the state folder first. */
  reset?: boolean;
  nodeName?: string;
  /** The node agent's first crash-loop back-off step (kubelet: 10 s). */
  backoffBaseMs?: number;
  log?: (line: string) => void;
}

const stateFile = (dir: string): string => join(dir, 'cluster.json');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True while the process runs; a zombie (exited, not yet reaped by its new parent) counts as gone. */
function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

function readState(dir: string): ClusterState | undefined {
  const file = stateFile(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState) : undefined;
}

/** The running cluster's state, or undefined when any of its processes is gone. */
export function readClusterState(dir = DEFAULT_CLUSTER_DIR): ClusterState | undefined {
  const state = readState(resolve(dir));
  return state && PROCESSES.every((p) => isAlive(state.pids[p])) ? state : undefined;
}

function tail(file: string, lines = 25): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
}

function startProcess(state: ClusterState, name: ProcessName, command: string, args: string[]): void {
  const logFile = join(state.dir, 'logs', `${name}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], cwd: state.dir });
  closeSync(out);
  child.unref();
  state.pids[name] = child.pid;
  writeFileSync(stateFile(state.dir), JSON.stringify(state, null, 2));
}

async function waitFor(
  what: string,
  state: ClusterState,
  name: ProcessName,
  check: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(state.pids[name])) break;
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  const log = join(state.dir, 'logs', `${name}.log`);
  const why = isAlive(state.pids[name]) ? `not within ${timeoutMs / 1000} s` : 'it exited';
  throw new Error(`${what}: ${why}. Last lines of ${log}:\n${tail(log)}`);
}

function httpsGet(url: string, ca: Credential, user: Credential): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(ca.cert),
        cert: readFileSync(user.cert),
        key: readFileSync(user.key),
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function etcdHealthy(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
  return res.ok && ((await res.json()) as { health?: string }).health === 'true';
}

async function choosePorts(dir: string): Promise<ClusterState['ports']> {
  const file = join(dir, 'ports.json');
  const previous = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState['ports'])
    : undefined;
  const free = async (port: number | undefined): Promise<number> =>
    port !== undefined && (await portIsFree(port)) ? port : freePort();
  const ports = {
    etcd: await free(previous?.etcd),
    etcdPeer: await free(previous?.etcdPeer),
    apiserver: await free(previous?.apiserver),
    controllerManager: await free(previous?.controllerManager),
    scheduler: await free(previous?.scheduler),
  };
  writeFileSync(file, JSON.stringify(ports));
  return ports;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/**
 * Starts the cluster (building it first if needed) and resolves once the API server is ready, the
 * `default` service account exists and the node is Ready. Harmless when it already runs.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<ClusterState> {
  const dir = resolve(options.dir ?? DEFAULT_CLUSTER_DIR);
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const kubeconfigFile =
    options.kubeconfig ?? (dir === DEFAULT_CLUSTER_DIR ? kubeconfigPath() : join(dir, 'kubeconfig'));
  if (options.reset) await stopCluster({ dir, reset: true });
  const running = readClusterState(dir);
  if (running) return running;
  await stopCluster({ dir }); // whatever is left of a half-dead cluster
  const problem = podNetworkProblem();
  if (problem) throw new Error(problem);
  await ensureClusterBinaries(log);
  claimPodNetwork(dir);
  ensureBridge();
  const started = Date.now();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const creds = ensureCredentials(join(dir, 'pki'), [
    '127.0.0.1',
    hostAddressForPods(),
    KUBERNETES_SERVICE_IP,
  ]);
  const ports = await choosePorts(dir);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const nodeName = options.nodeName ?? 'weir-node-1';
  const state: ClusterState = {
    version: K8S_VERSION,
    dir,
    kubeconfig: kubeconfigFile,
    server,
    nodeName,
    ports,
    pids: {},
  };
  writeFileSync(
    join(dir, 'controller-manager.kubeconfig'),
    kubeconfig(server, creds.ca, creds.controllerManager),
  );
  writeFileSync(join(dir, 'scheduler.kubeconfig'), kubeconfig(server, creds.ca, creds.scheduler));
  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  writeFileSync(adminKubeconfig, kubeconfig(server, creds.ca, creds.admin));
  const args = controlPlaneArgs(state, creds, SERVICE_CIDR);
  try {
    startProcess(state, 'etcd', binary('etcd'), args.etcd ?? []);
    await waitFor('etcd did not become healthy', state, 'etcd', () => etcdHealthy(ports.etcd));
    startProcess(state, 'kube-apiserver', binary('kube-apiserver'), args['kube-apiserver'] ?? []);
    const ready = async (): Promise<boolean> =>
      (await httpsGet(`${server}/readyz`, creds.ca, creds.admin)).status === 200;
    await waitFor('kube-apiserver did not become ready', state, 'kube-apiserver', ready);
    startProcess(
      state,
      'kube-controller-manager',
      binary('kube-controller-manager'),
      args['kube-controller-manager'] ?? [],
    );
    startProcess(state, 'kube-scheduler', binary('kube-scheduler'), args['kube-scheduler'] ?? []);
    const agentArgs = ['--kubeconfig', adminKubeconfig, '--name', nodeName, '--state', join(dir, 'node')];
    agentArgs.push('--api-port', String(ports.apiserver));
    if (options.backoffBaseMs !== undefined) agentArgs.push('--backoff-ms', String(options.backoffBaseMs));
    startProcess(state, 'node-agent', process.execPath, [
      join(REPO_ROOT, 'e2e', 'node-agent', 'main.ts'),
      ...agentArgs,
    ]);
    const kc = new KubeConfig();
    kc.loadFromFile(adminKubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    await waitFor(
      'the default service account did not appear',
      state,
      'kube-controller-manager',
      async () => {
        await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
        return true;
      },
    );
    await waitFor(`node ${nodeName} did not become Ready`, state, 'node-agent', async () => {
      const node = await core.readNode({ name: nodeName });
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    });
  } catch (error) {
    await stopCluster({ dir });
    throw error;
  }
  mkdirSync(resolve(kubeconfigFile, '..'), { recursive: true });
  writeFileSync(kubeconfigFile, readFileSync(adminKubeconfig));
  linkKubectl();
  log(
    `Kubernetes ${K8S_VERSION} ready at ${server} in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `node ${nodeName}, pod network ${podCidr()} (host ${hostAddressForPods()}); kubeconfig ${kubeconfigFile}`,
  );
  return state;
}

/** .weir/bin/kubectl → the built kubectl, so it is easy to find. */
function linkKubectl(): void {
  const link = join(REPO_ROOT, '.weir', 'bin', 'kubectl');
  mkdirSync(join(REPO_ROOT, '.weir', 'bin'), { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(binary('kubectl'), link);
}

async function stopProcess(pid: number | undefined, graceMs: number): Promise<void> {
  if (!isAlive(pid) || pid === undefined) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  signal('SIGKILL');
  while (isAlive(pid)) await sleep(50);
}

// The pod network (bridge, addresses, namespaces) is the machine's: one local cluster at a time owns
// it, recorded in a file that does not outlive a reboot.
const NETWORK_OWNER = join(existsSync('/run') ? '/run' : tmpdir(), 'weir-pod-network.json');

function networkOwner(): string | undefined {
  try {
    return (JSON.parse(readFileSync(NETWORK_OWNER, 'utf8')) as { dir: string }).dir;
  } catch {
    return undefined;
  }
}

function claimPodNetwork(dir: string): void {
  const owner = networkOwner();
  if (owner !== undefined && owner !== dir && readClusterState(owner)) {
    throw new Error(
      `the pod network ${podCidr()} belongs to the local cluster in ${owner}, which runs; ` +
        'stop it first (npm run cluster:stop in its checkout), or use it',
    );
  }
  writeFileSync(NETWORK_OWNER, JSON.stringify({ dir }));
}

function releasePodNetwork(dir: string): void {
  const owner = networkOwner();
  if (owner !== undefined && owner !== dir) return;
  removePodNetwork();
  rmSync(NETWORK_OWNER, { force: true });
}

/**
 * Stops the cluster in `dir` (node agent and its pods first, etcd last) and removes the pod
 * network. `reset` also wipes the state folder and the kubeconfig. Resolves to whether anything ran.
 */
export async function stopCluster(options: { dir?: string; reset?: boolean } = {}): Promise<boolean> {
  const dir = resolve(options.dir ?? DEFAULT_CLUSTER_DIR);
  const state = readState(dir);
  let stopped = false;
  if (state) {
    stopped = PROCESSES.some((name) => isAlive(state.pids[name]));
    // The node agent first (it stops the pods), then the control plane together, etcd last.
    await stopProcess(state.pids['node-agent'], 40_000);
    const controlPlane = ['kube-scheduler', 'kube-controller-manager', 'kube-apiserver'] as const;
    await Promise.all(controlPlane.map((name) => stopProcess(state.pids[name], 15_000)));
    await stopProcess(state.pids.etcd, 15_000);
    rmSync(stateFile(dir), { force: true });
    releasePodNetwork(dir);
  }
  if (options.reset) {
    rmSync(dir, { recursive: true, force: true });
    if (dir === DEFAULT_CLUSTER_DIR) rmSync(kubeconfigPath(), { force: true });
    else if (state) rmSync(state.kubeconfig, { force: true });
  }
  return stopped;
}
