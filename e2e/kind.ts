// E2E_CLUSTER=kind: a kind cluster (kind built once from the Go module proxy into the cache), the
// image built from the repository's Dockerfile and loaded into it. For machines with Docker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { cacheDir, REPO_ROOT } from '../tools/kafka/testbed.ts';

export const KIND_VERSION = 'v0.30.0';
export const KIND_CLUSTER = 'weir-e2e';
export const KIND_IMAGE = 'weir:e2e';
export const KIND_KUBECONFIG = join(REPO_ROOT, '.weir', 'kind-kubeconfig');
/** kind's default pod subnet. */
const KIND_POD_SUBNET = '10.244.0.0/16';
/** The Docker network kind puts its nodes on. */
const KIND_NETWORK = 'kind';
/** The checkout's state folder: tests put the folders pods mount by hostPath below it. */
const STATE_DIR = join(REPO_ROOT, '.weir');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env, cwd: REPO_ROOT });
  if (result.error || result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
  }
}

/** The kind binary, installed with `go install` into the cache on first use. */
export function ensureKind(): string {
  const bin = join(cacheDir(), `kind-${KIND_VERSION}`);
  const kind = join(bin, 'kind');
  if (existsSync(kind)) return kind;
  mkdirSync(bin, { recursive: true });
  run('go', ['install', `sigs.k8s.io/kind@${KIND_VERSION}`], {
    ...process.env,
    GOBIN: bin,
    CGO_ENABLED: '0',
  });
  return kind;
}

/**
 * One node with the checkout's .weir/ mounted at the same path, so a hostPath under it is the same
 * folder in a pod as on this machine (without the mount it would be a folder inside the node).
 */
function clusterConfig(): string {
  return dump({
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes: [{ role: 'control-plane', extraMounts: [{ hostPath: STATE_DIR, containerPath: STATE_DIR }] }],
  });
}

/** Creates the kind cluster, builds the image from the Dockerfile and loads it; returns the kubeconfig. */
export function startKind(): string {
  const kind = ensureKind();
  mkdirSync(STATE_DIR, { recursive: true });
  if (!existsSync(join(REPO_ROOT, 'Dockerfile')))
    throw new Error('E2E_CLUSTER=kind needs the repository Dockerfile');
  const config = join(STATE_DIR, 'kind-config.yaml');
  writeFileSync(config, clusterConfig());
  spawnSync(kind, ['delete', 'cluster', '--name', KIND_CLUSTER], { stdio: 'ignore' });
  run(kind, [
    'create',
    'cluster',
    '--name',
    KIND_CLUSTER,
    '--config',
    config,
    '--kubeconfig',
    KIND_KUBECONFIG,
    '--wait',
    '180s',
  ]);
  run('docker', ['build', '-t', KIND_IMAGE, '.']);
  run(kind, ['load', 'docker-image', KIND_IMAGE, '--name', KIND_CLUSTER]);
  routePodsThroughNode();
  return KIND_KUBECONFIG;
}

/**
 * This machine's address as kind's pods reach it: the IPv4 gateway of the Docker network `kind`
 * (the bridge's address here). Its traffic to pods comes from there too (see routePodsThroughNode).
 */
export function kindHostAddress(): string {
  const inspect = spawnSync(
    'docker',
    ['network', 'inspect', KIND_NETWORK, '-f', '{{range .IPAM.Config}}{{.Gateway}} {{end}}'],
    { encoding: 'utf8' },
  );
  // Older Docker versions print the gateway with its prefix length (172.18.0.1/16).
  const gateway = inspect.stdout
    ?.split(/\s+/)
    .map((address) => address.replace(/\/\d+$/, ''))
    .find((address) => /^\d+\.\d+\.\d+\.\d+$/.test(address));
  if (inspect.status !== 0 || !gateway) {
    throw new Error(
      `no IPv4 gateway on the Docker network ${KIND_NETWORK} ('docker network inspect ${KIND_NETWORK}': ` +
        `${(inspect.stderr || inspect.stdout || String(inspect.error)).trim()})`,
    );
  }
  return gateway;
}

/** Tests reach pods at their IPs: route kind's pod subnet through the node container (needs root). */
function routePodsThroughNode(): void {
  const inspect = spawnSync(
    'docker',
    [
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      `${KIND_CLUSTER}-control-plane`,
    ],
    { encoding: 'utf8' },
  );
  const nodeIp = inspect.stdout.trim();
  const route = spawnSync('ip', ['route', 'replace', KIND_POD_SUBNET, 'via', nodeIp], { encoding: 'utf8' });
  if (inspect.status !== 0 || route.status !== 0) {
    console.warn(
      `e2e: could not route ${KIND_POD_SUBNET} via the kind node; pod IPs may not answer from here`,
    );
  }
}

export function stopKind(): void {
  spawnSync('ip', ['route', 'del', KIND_POD_SUBNET], { stdio: 'ignore' });
  run(ensureKind(), ['delete', 'cluster', '--name', KIND_CLUSTER]);
}
