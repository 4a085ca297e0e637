// Pod networking: every pod gets its own network namespace with a veth pair into one Linux bridge,
// so it has its own IP and loopback and can bind 0.0.0.0 like a real pod. The machine reaches pods at
// their IPs through the bridge; pods reach the machine at the bridge's address (hostAddressForPods).
// Needs root and iproute2 (`ip`).
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';

export const BRIDGE = 'weir0';
const PREFIX = '10.244.0';
const MASK = 24;
const NETNS_PREFIX = 'weir-';

/** The machine's address on the pod network: pods reach the API server, a broker, … here. */
export function hostAddressForPods(): string {
  return `${PREFIX}.1`;
}

/** The pod network's CIDR. */
export function podCidr(): string {
  return `${PREFIX}.0/${MASK}`;
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryIp(args: string[]): boolean {
  return spawnSync('ip', args, { stdio: 'ignore' }).status === 0;
}

/** Says in one sentence why pods cannot get a network here, or undefined when they can. */
export function podNetworkProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'the local cluster runs pods in network namespaces, which needs root';
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).status !== 0) {
    return 'the local cluster needs iproute2 (`ip`): apt-get install iproute2';
  }
  return undefined;
}

/** Creates the bridge with the host address, unless it exists. */
export function ensureBridge(): void {
  const problem = podNetworkProblem();
  if (problem) throw new Error(problem);
  if (!tryIp(['link', 'show', BRIDGE])) ip(['link', 'add', BRIDGE, 'type', 'bridge']);
  if (!ip(['-o', 'addr', 'show', 'dev', BRIDGE]).includes(`${hostAddressForPods()}/`)) {
    ip(['addr', 'add', `${hostAddressForPods()}/${MASK}`, 'dev', BRIDGE]);
  }
  ip(['link', 'set', BRIDGE, 'up']);
}

/** Kills the processes still in a pod's network namespace, then removes it; returns how many. */
export function removePodNamespace(namespace: string): number {
  const out = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).stdout ?? '';
  const pids = out.split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  tryIp(['netns', 'del', namespace]);
  return pids.length;
}

/** Removes every pod namespace (killing what still runs in it), then the bridge. */
export function removePodNetwork(): void {
  for (const ns of listPodNamespaces()) removePodNamespace(ns);
  tryIp(['link', 'del', BRIDGE]);
}

export function listPodNamespaces(): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(NETNS_PREFIX));
}

/** Hands out pod IPs, never the one released last while others are free. */
export class IpPool {
  private readonly used = new Set<number>();
  private next = 2;

  allocate(): string {
    for (let i = 0; i < 253; i++) {
      const candidate = ((this.next - 2 + i) % 253) + 2;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        this.next = candidate + 1;
        return `${PREFIX}.${candidate}`;
      }
    }
    throw new Error(`the pod network ${podCidr()} is full`);
  }

  release(address: string): void {
    this.used.delete(Number(address.split('.')[3]));
  }
}

export interface PodNetwork {
  namespace: string;
  ip: string;
}

/** The network namespace name for a pod (from its uid, so a recreated pod never reuses one). */
export function namespaceFor(podUid: string): string {
  return `${NETNS_PREFIX}${podUid.replaceAll('-', '').slice(0, 12)}`;
}

/** Creates the pod's namespace, its veth pair into the bridge, and its address and routes. */
export function createPodNetwork(podUid: string, address: string): PodNetwork {
  const namespace = namespaceFor(podUid);
  const id = podUid.replaceAll('-', '').slice(0, 8);
  const hostSide = `wv${id}`;
  const podSide = `wp${id}`;
  tryIp(['netns', 'del', namespace]);
  ip(['netns', 'add', namespace]);
  try {
    ip(['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', podSide]);
    ip(['link', 'set', podSide, 'netns', namespace]);
    ip(['link', 'set', hostSide, 'master', BRIDGE, 'up']);
    ip(['-n', namespace, 'link', 'set', podSide, 'name', 'eth0']);
    ip(['-n', namespace, 'addr', 'add', `${address}/${MASK}`, 'dev', 'eth0']);
    ip(['-n', namespace, 'link', 'set', 'eth0', 'up']);
    ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
    ip(['-n', namespace, 'route', 'add', 'default', 'via', hostAddressForPods()]);
  } catch (error) {
    tryIp(['link', 'del', hostSide]);
    tryIp(['netns', 'del', namespace]);
    throw error;
  }
  return { namespace, ip: address };
}

/** Deletes the pod's namespace; the veth pair goes with it. */
export function deletePodNetwork(namespace: string): void {
  tryIp(['netns', 'del', namespace]);
}

/**
 * Forwards the pod network's host address to the API server on loopback, so pods reach the
 * `kubernetes` Service endpoint (the API server advertises that address) while the API server
 * itself listens on loopback only.
 */
export function forwardToApiServer(port: number): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const close = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, hostAddressForPods(), () => resolveServer(server));
  });
}
