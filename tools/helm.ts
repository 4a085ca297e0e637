// Helm for the chart's lint, tests and the e2e install: built once from the Go module proxy into
// $WEIR_CACHE_DIR/helm-<version>/ (about 3–5 min on 2 cores), then reused. Also the chart's value
// sets that lint, tests and the e2e dry run render, and a way to render them.
//   npm run helm -- <args>     e.g. npm run helm -- template weir charts/weir
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { goInstall, type Log } from './go.ts';
import { MissingToolError, REPO_ROOT } from './kafka/testbed.ts';

export const HELM_VERSION = 'v4.3.1';
export const CHART_DIR = join(REPO_ROOT, 'charts', 'weir');
export const DASHBOARD = join(CHART_DIR, 'dashboards', 'weir.json');

/** The helm binary, built on first use. */
export function ensureHelm(log?: Log): Promise<string> {
  return goInstall({
    pkg: 'helm.sh/helm/v4/cmd/helm',
    version: HELM_VERSION,
    binary: 'helm',
    purpose: 'build Helm (the chart lint, its tests and the e2e install)',
    // Helm reads its own version from this variable; the Kubernetes version it assumes comes from
    // the client-go version in the binary's build info, which `go install` keeps.
    ldflags: `-X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}`,
    ...(log ? { log } : {}),
  });
}

/**
 * Value sets (as `helm --set` arguments) that cover the chart's branches: all namespaces, a list of
 * namespaces, monitoring on (ServiceMonitor and PodMonitor: their CRDs are the Prometheus
 * Operator's), and the optional fields. `dashboard` needs dashboards/weir.json.
 */
export const VALUE_SETS: Record<string, string[]> = {
  default: [],
  namespaced: ['--set', 'watchNamespaces={team-a,team-b}'],
  monitoring: [
    '--set',
    'metrics.serviceMonitor.enabled=true,metrics.serviceMonitor.labels.release=prom',
    '--set',
    'metrics.podMonitor.enabled=true,metrics.podMonitor.labels.release=prom',
  ],
  dashboard: ['--set', 'grafanaDashboard.enabled=true'],
  options: [
    '--set',
    [
      'replicas=1',
      'admissionPolicies.enabled=false',
      'image.repository=registry.example/weir',
      'image.tag=0.1.0-rc1',
      'image.pullPolicy=Always',
      'workerImage=registry.example/weir-workers:1',
      'logLevel=DEBUG',
      'priorityClassName=system-cluster-critical',
      'nodeSelector.kubernetes\\.io/os=linux',
      'podAnnotations.example/annotation=yes',
      'podLabels.team=data',
      'imagePullSecrets[0].name=registry',
      'tolerations[0].key=dedicated,tolerations[0].operator=Exists',
    ].join(','),
  ],
};

/** Value sets that can render here (`dashboard` only once dashboards/weir.json exists). */
export function renderableValueSets(): [string, string[]][] {
  return Object.entries(VALUE_SETS).filter(([name]) => name !== 'dashboard' || existsSync(DASHBOARD));
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runHelm(helm: string, args: string[]): HelmResult {
  const r = spawnSync(helm, args, { encoding: 'utf8', cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template` of the chart; throws with helm's message when it fails. */
export function renderChart(
  helm: string,
  args: string[] = [],
  o: { release?: string; namespace?: string } = {},
): string {
  const result = runHelm(helm, [
    'template',
    o.release ?? 'weir',
    CHART_DIR,
    '--namespace',
    o.namespace ?? 'weir-system',
    ...args,
  ]);
  if (result.status !== 0) throw new Error(`helm template ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** The objects of a multi-document manifest, empty documents left out. */
export function parseManifests(yaml: string): KubernetesObject[] {
  return (loadAll(yaml) as (KubernetesObject | null)[]).filter((o): o is KubernetesObject => !!o?.kind);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const helm = await ensureHelm();
    const result = spawnSync(helm, process.argv.slice(2), { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  } catch (error) {
    if (!(error instanceof MissingToolError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
