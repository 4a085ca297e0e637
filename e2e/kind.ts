// E2E_CLUSTER=kind: a kind cluster (kind built once from the Go module proxy into the cache), the
// image built from the repository's Dockerfile and loaded into it. For machines with Docker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, REPO_ROOT } from '../tools/kafka/testbed.ts';

export const KIND_VERSION = 'v0.30.0';
export const KIND_CLUSTER = 'weir-e2e';
export const KIND_IMAGE = 'weir:e2e';
/** kind's default pod subnet. */
const KIND_POD_SUBNET = '10.244.0.0/16';

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

/** Creates the kind cluster, builds the image from the Dockerfile and loads it; returns the kubeconfig. */
export function startKind(): string {
  const kind = ensureKind();
  const kubeconfig = join(REPO_ROOT, '.weir', 'kind-kubeconfig');
  mkdirSync(join(REPO_ROOT, '.weir'), { recursive: true });
  if (!existsSync(join(REPO_ROOT, 'Dockerfile')))
    throw new Error('E2E_CLUSTER=kind needs the repository Dockerfile');
  spawnSync(kind, ['delete', 'cluster', '--name', KIND_CLUSTER], { stdio: 'ignore' });
  run(kind, ['create', 'cluster', '--name', KIND_CLUSTER, '--kubeconfig', kubeconfig, '--wait', '180s']);
  run('docker', ['build', '-t', KIND_IMAGE, '.']);
  run(kind, ['load', 'docker-image', KIND_IMAGE, '--name', KIND_CLUSTER]);
  routePodsThroughNode();
  return kubeconfig;
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
