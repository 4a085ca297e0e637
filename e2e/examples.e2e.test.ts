// The examples against a real API server with Weir's CRDs and admission policies: every folder and
// every Kustomize overlay with `kubectl apply --dry-run=server` (strict field validation, CEL rules,
// policies), the Deployment the operator would make for each example KafkaConnect, the argocd-cm
// Kustomize builds from the Lua files, and the Argo CD and Flux objects (server dry run where the
// cluster serves their kinds, else checked client-side). Then a KafkaConnect and a KafkaConnector
// as the API server hands them out before any operator acts: Argo CD and kstatus both wait.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KafkaConnect } from '../operator/api/types.ts';
import { connectDeployment } from '../operator/model/connect-cluster.ts';
import { gitopsHealth, gitopsHealthUnavailable } from '../tools/gitops-health.ts';
import { checkGitopsManifest, gitopsKey, missingRepositoryPaths } from '../tools/gitops-manifests.ts';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';
import { binary } from './cluster/build.ts';
import { createNamespace, kube, type Kube } from './kube.ts';
import { applyCrds } from './operator-process.ts';

type Obj = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

const EXAMPLES = join(REPO_ROOT, 'examples');
let k: Kube;
let namespace: string;

function kubectl(args: string[], input?: string): string {
  const r = spawnSync(binary('kubectl'), ['--kubeconfig', inject('kubeconfig'), ...args], {
    input,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

const kustomize = (dir: string): Obj[] =>
  (loadAll(kubectl(['kustomize', join(EXAMPLES, dir)])) as Obj[]).filter(Boolean);

/**
 * Server dry run of objects, namespaced ones moved into the test's namespace: a dry run cannot
 * create a namespace that later objects of the same dry run go into.
 */
function dryRun(objects: Obj[]): string[] {
  const items = objects.map((o) =>
    o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace } },
  );
  const out = kubectl(
    ['apply', '--dry-run=server', '-o', 'name', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  );
  return out.trim().split('\n');
}

/** Whether the API server serves this apiVersion and kind. */
function served(o: Obj): boolean {
  const [group] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [''];
  const kinds = kubectl(['api-resources', `--api-group=${group}`, '--no-headers', '-o', 'wide']);
  return kinds.split('\n').some((line) => line.split(/\s+/).includes(o.kind));
}

beforeAll(async () => {
  k = kube(inject('kubeconfig'));
  applyCrds(inject('kubeconfig'));
  namespace = await createNamespace(k, 'e2e-examples');
});

afterAll(async () => {
  await k?.core.deleteNamespace({ name: namespace }).catch(() => {});
});

describe('examples', () => {
  for (const dir of ['file-pipeline', 'json-pipeline', 'scram-auth']) {
    it(`${dir} applies cleanly (server dry run)`, () => {
      const files = readdirSync(join(EXAMPLES, dir)).filter((f) => f.endsWith('.yaml'));
      const documents = files.flatMap((f) =>
        loadAll(readFileSync(join(EXAMPLES, dir, f), 'utf8')).filter(Boolean),
      );
      const out = kubectl([
        'apply',
        '--dry-run=server',
        '-n',
        namespace,
        '-o',
        'name',
        '-f',
        join(EXAMPLES, dir),
      ]);
      expect(out.trim().split('\n')).toHaveLength(documents.length);
    });
  }

  it('the base and each overlay build with Kustomize and apply cleanly (server dry run)', () => {
    const base = kustomize('gitops/base');
    const dev = kustomize('gitops/overlays/dev');
    const prod = kustomize('gitops/overlays/prod');
    const connect = (objects: Obj[]) => objects.find((o) => o.kind === 'KafkaConnect')!;
    expect(dev.map((o) => o.metadata.namespace ?? o.metadata.name)).toEqual(Array(4).fill('weir-dev'));
    expect(prod.map((o) => o.metadata.namespace ?? o.metadata.name)).toEqual(Array(4).fill('weir-prod'));
    expect([base, dev, prod].map((os) => connect(os).spec!.replicas)).toEqual([3, 1, 3]);
    expect(prod.filter((o) => o.kind === 'KafkaConnector').map((o) => o.spec!.autoRestart)).toEqual([
      { enabled: true, maxRestarts: 10 },
      { enabled: true, maxRestarts: 10 },
    ]);
    for (const objects of [base, dev, prod]) {
      expect(dryRun(objects)).toEqual(objects.map((o) => expect.stringContaining(`/${o.metadata.name}`)));
    }
  });

  it("the Deployment the operator makes for each example KafkaConnect passes the API server's checks", () => {
    const connects = [
      ...['file-pipeline', 'json-pipeline', 'scram-auth'].flatMap((dir) =>
        readdirSync(join(EXAMPLES, dir))
          .filter((f) => f.endsWith('.yaml'))
          .flatMap((f) => loadAll(readFileSync(join(EXAMPLES, dir, f), 'utf8')) as Obj[]),
      ),
      ...['gitops/overlays/dev', 'gitops/overlays/prod'].flatMap(kustomize),
    ].filter((o) => o?.kind === 'KafkaConnect');
    expect(connects).toHaveLength(5);
    const settings = {
      namespace: 'weir-system',
      podLabels: { app: 'weir-operator' },
      defaultImage: 'weir:0.1.0',
    };
    const deployments = connects.map((o) => {
      const kc = {
        ...o,
        metadata: { ...o.metadata, namespace, uid: '00000000-0000-0000-0000-000000000001' },
      };
      return connectDeployment(kc as unknown as KafkaConnect, settings) as unknown as Obj;
    });
    expect(dryRun(deployments)).toHaveLength(5);
  });
});

describe('examples/gitops for Argo CD and Flux', () => {
  it('argocd-cm carries the health.lua files verbatim under the keys Argo CD reads, and applies', () => {
    const [cm, ...rest] = kustomize('gitops/argocd');
    expect(rest).toEqual([]);
    expect(cm!.metadata).toMatchObject({
      name: 'argocd-cm',
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    });
    const lua = (kind: string) =>
      readFileSync(join(EXAMPLES, 'gitops/argocd/health/weir.dev', kind, 'health.lua'), 'utf8');
    expect(cm!.data).toEqual({
      'resource.customizations.health.weir.dev_KafkaConnect': lua('KafkaConnect'),
      'resource.customizations.health.weir.dev_KafkaConnector': lua('KafkaConnector'),
    });
    expect(dryRun([cm!])).toEqual(['configmap/argocd-cm']);
  });

  it('Applications, GitRepository, Kustomizations and HelmRelease: server dry run where served, else checked client-side', () => {
    const objects = ['gitops/argocd/applications', 'gitops/flux', 'gitops/flux/operator'].flatMap(kustomize);
    expect(objects).toHaveLength(9);
    const checkedLocally: string[] = [];
    const problems: string[] = [];
    for (const o of objects) {
      if (o.kind === 'Namespace' || served(o)) {
        dryRun([o]);
      } else {
        checkedLocally.push(gitopsKey(o));
        problems.push(...checkGitopsManifest(o), ...missingRepositoryPaths(o));
      }
    }
    if (checkedLocally.length > 0) {
      console.log(
        `examples e2e: no CRDs for ${[...new Set(checkedLocally)].join(', ')}: checked client-side`,
      );
    }
    expect(problems).toEqual([]);
  });
});

describe('health before the operator acts', () => {
  const noGo = gitopsHealthUnavailable();

  it('a new KafkaConnect and KafkaConnector read observedGeneration -1: Argo CD Progressing, kstatus InProgress', async () => {
    // The create response is the object as stored, before any operator could have written status.
    const created = ['file-pipeline/kafka-connect.yaml', 'file-pipeline/local-file-source.yaml'].map(
      (f) => JSON.parse(kubectl(['create', '-n', namespace, '-o', 'json', '-f', join(EXAMPLES, f)])) as Obj,
    );
    for (const o of created) expect(o.status).toEqual({ observedGeneration: -1 });
    if (noGo) {
      console.warn(noGo);
      return;
    }
    const results = await gitopsHealth(created);
    expect(results.map((r) => [r.kind, r.argocd?.status, r.kstatus.status])).toEqual([
      ['KafkaConnect', 'Progressing', 'InProgress'],
      ['KafkaConnector', 'Progressing', 'InProgress'],
    ]);
    expect(results[0]!.argocd!.message).toBe(
      'Waiting for the Weir operator: KafkaConnect not reconciled yet',
    );
  });
});
