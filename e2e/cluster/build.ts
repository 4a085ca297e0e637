// The local cluster's binaries: kube-apiserver, kube-controller-manager, kube-scheduler and kubectl
// from the k8s.io/kubernetes Go module, and the etcd server that release requires, all built once
// with the machine's Go from the module proxy (this folder's go.mod pins them) into the cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goEnv, goWithProgress, requireGo } from '../../tools/go.ts';
import { cacheDir } from '../../tools/kafka/testbed.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

function requiredVersion(module: string): string {
  const goMod = readFileSync(join(HERE, 'go.mod'), 'utf8');
  const match = new RegExp(`^\\s*(?:require\\s+)?${module.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`e2e/cluster/go.mod does not require ${module}`);
  return match[1];
}

/** The pinned Kubernetes release (`k8s.io/kubernetes` in e2e/cluster/go.mod). */
export const K8S_VERSION = requiredVersion('k8s.io/kubernetes');
/** The etcd release that Kubernetes release requires. */
export const ETCD_VERSION = requiredVersion('go.etcd.io/etcd/server/v3');

export const BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'etcd'];
const PACKAGES = [
  'k8s.io/kubernetes/cmd/kube-apiserver',
  'k8s.io/kubernetes/cmd/kube-controller-manager',
  'k8s.io/kubernetes/cmd/kube-scheduler',
  'k8s.io/kubernetes/cmd/kubectl',
  './etcd',
];

/** Where the binaries of the pinned release live once built. */
export function binDir(): string {
  return join(cacheDir(), `k8s-${K8S_VERSION}`, 'bin');
}

/** The path of one built binary (`kubectl`, `etcd`, …); build first with `ensureClusterBinaries`. */
export function binary(name: string): string {
  return join(binDir(), name);
}

function versionFlags(): string {
  const [major, minor] = K8S_VERSION.replace(/^v/, '').split('.');
  const flags = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    flags.push(
      `-X ${pkg}.gitVersion=${K8S_VERSION}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    );
  }
  return flags.join(' ');
}

/** Counts the packages the build compiles (a cold build compiles them all), to show progress. */
function countPackages(): number {
  const result = spawnSync('go', ['list', '-deps', '-f', 'x', ...PACKAGES], {
    cwd: HERE,
    env: goEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`go list failed:\n${result.stderr}`);
  return result.stdout.split('\n').filter((l) => l === 'x').length;
}

/**
 * Builds the control plane once into the cache (about 9 minutes on 2 cores the first time; Go's own
 * module and build caches stay at Go's defaults, outside the checkout). Later calls return at once.
 */
export async function ensureClusterBinaries(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<string> {
  const bin = binDir();
  if (existsSync(join(bin, '.complete'))) return bin;
  const go = requireGo('build the local Kubernetes cluster');
  const started = Date.now();
  log(
    `Building Kubernetes ${K8S_VERSION} (apiserver, controller-manager, scheduler, kubectl) and etcd ` +
      `${ETCD_VERSION} into ${bin} with ${go} (first run only, about 9 min on 2 cores)…`,
  );
  log('  downloading modules from the Go module proxy…');
  const download = spawnSync('go', ['mod', 'download'], { cwd: HERE, env: goEnv(), stdio: 'inherit' });
  if (download.status !== 0) throw new Error(`go mod download failed (exit ${download.status})`);
  const total = countPackages();
  const staging = `${bin}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const args = ['build', '-v', '-trimpath', '-ldflags', versionFlags(), '-o', `${staging}/`, ...PACKAGES];
  try {
    await goWithProgress(args, { cwd: HERE, env: goEnv(), log, total });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(join(staging, '.complete'), `${K8S_VERSION} etcd ${ETCD_VERSION}\n`);
  rmSync(bin, { recursive: true, force: true });
  try {
    renameSync(staging, bin);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`Built Kubernetes ${K8S_VERSION} in ${((Date.now() - started) / 60_000).toFixed(1)} min.`);
  return bin;
}
