// Client-side checks of Argo CD and Flux manifests, for clusters without their CRDs: the fields each
// kind has (from their API references: argoproj.io/v1alpha1 Application, source.toolkit.fluxcd.io/v1
// GitRepository, kustomize.toolkit.fluxcd.io/v1 Kustomization, helm.toolkit.fluxcd.io/v2
// HelmRelease), the ones each needs, and enumerations and durations. Not a full schema: enough to
// catch a misspelt or misplaced field in the examples.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './kafka/testbed.ts';

type Obj = Record<string, unknown>;

interface KindRules {
  /** Keys allowed under spec (and, by dotted path, under nested objects). */
  allowed: Record<string, string[]>;
  /** Dotted paths that must be set; `a|b` means either. */
  required: string[];
  /** Dotted paths whose value must be one of these. */
  oneOf?: Record<string, string[]>;
  /** Dotted paths holding Go durations (1m, 10m30s). */
  durations?: string[];
}

const FLUX_SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'ExternalArtifact'];
const HELM_CRDS_POLICY = ['Skip', 'Create', 'CreateReplace'];

// One line per object: a table, not code.
// prettier-ignore
const RULES: Record<string, KindRules> = {
  'argoproj.io/v1alpha1/Application': {
    allowed: {
      spec: ['project', 'source', 'sources', 'destination', 'syncPolicy', 'ignoreDifferences', 'info'],
      'spec.source': ['repoURL', 'path', 'targetRevision', 'chart', 'helm', 'kustomize', 'directory', 'plugin', 'ref', 'name'],
      'spec.source.helm': ['releaseName', 'values', 'valuesObject', 'valueFiles', 'parameters', 'fileParameters', 'skipCrds', 'passCredentials', 'ignoreMissingValueFiles', 'version', 'namespace', 'kubeVersion', 'apiVersions', 'skipTests', 'skipSchemaValidation'],
      'spec.destination': ['server', 'name', 'namespace'],
      'spec.syncPolicy': ['automated', 'syncOptions', 'retry', 'managedNamespaceMetadata'],
      'spec.syncPolicy.automated': ['prune', 'selfHeal', 'allowEmpty', 'enabled'],
      'spec.syncPolicy.retry': ['limit', 'backoff', 'refresh'],
      'spec.syncPolicy.retry.backoff': ['duration', 'factor', 'maxDuration'],
    },
    required: ['metadata.namespace', 'spec.project', 'spec.source|spec.sources', 'spec.destination.server|spec.destination.name'],
    durations: ['spec.syncPolicy.retry.backoff.duration', 'spec.syncPolicy.retry.backoff.maxDuration'],
  },
  'source.toolkit.fluxcd.io/v1/GitRepository': {
    allowed: {
      spec: ['url', 'interval', 'ref', 'secretRef', 'timeout', 'ignore', 'suspend', 'recurseSubmodules', 'include', 'verify', 'proxySecretRef', 'provider', 'sparseCheckout'],
      'spec.ref': ['branch', 'tag', 'semver', 'name', 'commit'],
    },
    required: ['metadata.namespace', 'spec.url', 'spec.interval'],
    durations: ['spec.interval', 'spec.timeout'],
  },
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': {
    allowed: {
      spec: ['interval', 'retryInterval', 'timeout', 'sourceRef', 'path', 'prune', 'wait', 'healthChecks', 'healthCheckExprs', 'dependsOn', 'targetNamespace', 'postBuild', 'patches', 'images', 'components', 'decryption', 'force', 'suspend', 'serviceAccountName', 'kubeConfig', 'commonMetadata', 'namePrefix', 'nameSuffix', 'deletionPolicy'],
      'spec.sourceRef': ['kind', 'name', 'namespace', 'apiVersion'],
    },
    required: ['metadata.namespace', 'spec.interval', 'spec.sourceRef.kind', 'spec.sourceRef.name', 'spec.prune'],
    oneOf: { 'spec.sourceRef.kind': FLUX_SOURCE_KINDS },
    durations: ['spec.interval', 'spec.retryInterval', 'spec.timeout'],
  },
  'helm.toolkit.fluxcd.io/v2/HelmRelease': {
    allowed: {
      spec: ['interval', 'chart', 'chartRef', 'install', 'upgrade', 'test', 'rollback', 'uninstall', 'values', 'valuesFrom', 'dependsOn', 'releaseName', 'targetNamespace', 'storageNamespace', 'timeout', 'driftDetection', 'suspend', 'serviceAccountName', 'kubeConfig', 'maxHistory', 'persistentClient', 'postRenderers', 'commonMetadata'],
      'spec.chart': ['spec', 'metadata'],
      'spec.chart.spec': ['chart', 'version', 'sourceRef', 'interval', 'reconcileStrategy', 'valuesFiles', 'ignoreMissingValuesFiles', 'verify'],
      'spec.chart.spec.sourceRef': ['kind', 'name', 'namespace', 'apiVersion'],
      'spec.install': ['crds', 'remediation', 'timeout', 'createNamespace', 'disableWait', 'disableWaitForJobs', 'disableHooks', 'disableOpenAPIValidation', 'disableSchemaValidation', 'replace', 'skipCRDs', 'strategy'],
      'spec.upgrade': ['crds', 'remediation', 'timeout', 'disableWait', 'disableWaitForJobs', 'disableHooks', 'disableOpenAPIValidation', 'disableSchemaValidation', 'force', 'preserveValues', 'cleanupOnFail', 'strategy'],
      'spec.install.remediation': ['retries', 'ignoreTestFailures', 'remediateLastFailure'],
      'spec.upgrade.remediation': ['retries', 'ignoreTestFailures', 'remediateLastFailure', 'strategy'],
    },
    required: ['metadata.namespace', 'spec.interval', 'spec.chart.spec.chart|spec.chartRef', 'spec.chart.spec.sourceRef.name|spec.chartRef'],
    oneOf: {
      'spec.chart.spec.sourceRef.kind': ['GitRepository', 'HelmRepository', 'Bucket'],
      'spec.chart.spec.reconcileStrategy': ['ChartVersion', 'Revision'],
      'spec.install.crds': HELM_CRDS_POLICY,
      'spec.upgrade.crds': HELM_CRDS_POLICY,
    },
    durations: ['spec.interval', 'spec.timeout'],
  },
};

function at(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Obj)[k] : undefined), o);
}

/** The kinds these checks know, as `<apiVersion>/<kind>`. */
export const GITOPS_KINDS = Object.keys(RULES);

export const gitopsKey = (o: { apiVersion?: unknown; kind?: unknown }): string =>
  `${String(o.apiVersion)}/${String(o.kind)}`;

/** What is wrong with one Argo CD or Flux object; empty when nothing is. */
export function checkGitopsManifest(o: Obj): string[] {
  const key = gitopsKey(o);
  const rules = RULES[key];
  const name = `${key} ${String(at(o, 'metadata.name'))}`;
  if (!rules) return [`${name}: not a kind these checks know (${GITOPS_KINDS.join(', ')})`];
  const problems: string[] = [];
  if (!at(o, 'metadata.name')) problems.push(`${name}: metadata.name is missing`);
  for (const [path, keys] of Object.entries(rules.allowed)) {
    const value = at(o, path);
    if (value === undefined) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${name}: ${path} must be an object`);
      continue;
    }
    for (const k of Object.keys(value)) {
      if (!keys.includes(k)) problems.push(`${name}: ${path}.${k} is not a field of ${String(o.kind)}`);
    }
  }
  for (const either of rules.required) {
    if (!either.split('|').some((p) => at(o, p) !== undefined))
      problems.push(`${name}: ${either} is required`);
  }
  for (const [path, values] of Object.entries(rules.oneOf ?? {})) {
    const v = at(o, path);
    if (v !== undefined && !values.includes(String(v)))
      problems.push(`${name}: ${path} must be one of ${values.join(', ')}`);
  }
  for (const path of rules.durations ?? []) {
    const v = at(o, path);
    if (v !== undefined && !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(String(v))) {
      problems.push(`${name}: ${path} "${String(v)}" is not a duration like 30s, 5m or 1h`);
    }
  }
  return problems;
}

/**
 * Paths in the repository an object points at that do not exist: a Flux Kustomization's spec.path
 * (a kustomization), a HelmRelease's chart (a Chart.yaml), an Application's source.path.
 */
export function missingRepositoryPaths(o: Obj): string[] {
  const dirs: [string, string][] = [];
  const key = gitopsKey(o);
  if (key === 'kustomize.toolkit.fluxcd.io/v1/Kustomization')
    dirs.push([String(at(o, 'spec.path')), 'kustomization.yaml']);
  if (key === 'helm.toolkit.fluxcd.io/v2/HelmRelease')
    dirs.push([String(at(o, 'spec.chart.spec.chart')), 'Chart.yaml']);
  if (key === 'argoproj.io/v1alpha1/Application') {
    const path = String(at(o, 'spec.source.path'));
    dirs.push([path, existsSync(join(REPO_ROOT, path, 'Chart.yaml')) ? 'Chart.yaml' : 'kustomization.yaml']);
  }
  return dirs
    .filter(([dir, file]) => !existsSync(join(REPO_ROOT, dir, file)))
    .map(
      ([dir, file]) =>
        `${key} ${String(at(o, 'metadata.name'))}: ${join(dir, file)} does not exist in the repository`,
    );
}
