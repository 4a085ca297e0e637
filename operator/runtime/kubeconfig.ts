// Where the operator's API credentials come from, in controller-runtime's order: `--kubeconfig`,
// then $KUBECONFIG (a path list, merged), then the pod's service account (in-cluster), then
// ~/.kube/config.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export type KubeConfigSource = 'flag' | 'env' | 'in-cluster' | 'home';

/** The value of `--kubeconfig <path>` or `--kubeconfig=<path>` in `argv`, if given. */
export function kubeconfigFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--kubeconfig') return argv[i + 1];
    if (arg.startsWith('--kubeconfig=')) return arg.slice('--kubeconfig='.length);
  }
  return undefined;
}

export interface LoadKubeConfigOptions {
  /** An explicit path (the `--kubeconfig` flag). */
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the service-account token is mounted (tests). */
  tokenPath?: string;
  home?: string;
}

/** Loads the KubeConfig and says where it came from; throws when there is none to be found. */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): {
  kubeConfig: KubeConfig;
  source: KubeConfigSource;
} {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  if (options.kubeconfig) {
    kc.loadFromFile(options.kubeconfig);
    return { kubeConfig: kc, source: 'flag' };
  }
  const files = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f);
  if (files.length > 0) {
    kc.loadFromFile(files[0] ?? '');
    for (const file of files.slice(1)) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      kc.mergeConfig(more, true); // as kubectl: the first file naming a current context wins
    }
    return { kubeConfig: kc, source: 'env' };
  }
  if (env.KUBERNETES_SERVICE_HOST && existsSync(options.tokenPath ?? SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
    return { kubeConfig: kc, source: 'in-cluster' };
  }
  const home = join(options.home ?? homedir(), '.kube', 'config');
  if (existsSync(home)) {
    kc.loadFromFile(home);
    return { kubeConfig: kc, source: 'home' };
  }
  throw new Error(
    'no Kubernetes credentials: pass --kubeconfig, set KUBECONFIG, run in a pod with a service account, or create ~/.kube/config',
  );
}
