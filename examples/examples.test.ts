// The examples without a cluster: every manifest parses; Weir's resources use only fields the CRDs
// define and pass the operator's own checks; the Argo CD and Flux manifests have their kinds' fields
// and point at what exists. e2e/examples.e2e.test.ts sends them all to a real API server.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import type { Schema } from '../operator/api/openapi.ts';
import { validateKafkaConnect } from '../operator/model/worker-properties.ts';
import { validateKafkaConnector } from '../operator/model/connector-config.ts';
import { checkGitopsManifest, missingRepositoryPaths } from '../tools/gitops-manifests.ts';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';

type Obj = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: { name?: string } };

const EXAMPLES = join(REPO_ROOT, 'examples');
const GITOPS = join(EXAMPLES, 'gitops');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return f === 'testdata' ? [] : yamlFiles(path);
    return f.endsWith('.yaml') ? [path] : [];
  });
}

const docs = (path: string): Obj[] => loadAll(readFileSync(path, 'utf8')).filter(Boolean) as Obj[];
const manifests = yamlFiles(EXAMPLES).filter(
  (p) => basename(p) !== 'kustomization.yaml' && basename(p) !== 'health_test.yaml',
);
const objects = manifests.flatMap((path) => docs(path).map((o) => ({ path: relative(REPO_ROOT, path), o })));
const weir = objects.filter(({ o }) => o.apiVersion === 'weir.dev/v1beta1');
/** Overlay files are patches: partial objects. */
const isPatch = (path: string) => path.includes('/overlays/');

function crdSchema(kind: string): Schema {
  const file = join(REPO_ROOT, 'crds', `${kind.toLowerCase()}s.weir.dev.yaml`);
  const crd = docs(file)[0] as { spec: { versions: { schema: { openAPIV3Schema: Schema } }[] } };
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

/** Paths in `value` the schema has no field for (as strict field validation would refuse). */
function unknownFields(value: unknown, schema: Schema, path: string): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields'] || value === null || typeof value !== 'object')
    return [];
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => unknownFields(v, schema.items!, `${path}[${i}]`)) : [];
  return Object.entries(value).flatMap(([k, v]) => {
    const field = schema.properties?.[k] ?? schema.additionalProperties;
    if (path === '' && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) return [];
    return field ? unknownFields(v, field, `${path}.${k}`) : [`${path}.${k}`];
  });
}

describe('examples', () => {
  it('every file parses and every example has a README', () => {
    expect(weir.length).toBeGreaterThan(10);
    for (const dir of ['file-pipeline', 'json-pipeline', 'scram-auth', 'gitops']) {
      expect(statSync(join(EXAMPLES, dir, 'README.md')).isFile(), dir).toBe(true);
    }
    for (const path of yamlFiles(EXAMPLES)) expect(() => docs(path), path).not.toThrow();
  });

  it("Weir's resources use only fields the CRDs define and pass the operator's checks", () => {
    const misspelt = { spec: { replica: 3, template: { pod: { volumes: [{ name: 'v', hostPth: {} }] } } } };
    expect(unknownFields(misspelt, crdSchema('KafkaConnect'), '')).toEqual(['.spec.replica']); // volumes: kept as written
    const problems: string[] = [];
    for (const { path, o } of weir) {
      const where = `${path}: ${o.kind} ${o.metadata?.name}`;
      for (const f of unknownFields(o, crdSchema(o.kind!), ''))
        problems.push(`${where}: ${f} is not in the CRD`);
      if (isPatch(path)) continue;
      const invalid =
        o.kind === 'KafkaConnect'
          ? validateKafkaConnect(o as unknown as KafkaConnect)
          : validateKafkaConnector(o as unknown as KafkaConnector);
      problems.push(...invalid.map((p) => `${where}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('each KafkaConnector names a KafkaConnect of its own example', () => {
    for (const { path, o } of weir.filter((x) => x.o.kind === 'KafkaConnector' && !isPatch(x.path))) {
      const cluster = (o.metadata as { labels?: Record<string, string> }).labels?.['weir.dev/cluster'];
      const connects = weir.filter((x) => x.o.kind === 'KafkaConnect' && dirname(x.path) === dirname(path));
      expect(
        connects.map((x) => x.o.metadata?.name),
        `${path}: ${o.metadata?.name}`,
      ).toContain(cluster);
    }
  });
});

describe('examples/gitops', () => {
  const kustomization = (dir: string) => docs(join(GITOPS, dir, 'kustomization.yaml'))[0] as Obj;
  const gitops = objects.filter(({ path }) => /gitops\/(argocd\/applications|flux)\//.test(path));

  it('the Argo CD and Flux manifests have their kinds’ fields and point at paths in the repository', () => {
    expect(gitops.map(({ o }) => o.kind).sort()).toEqual([
      'Application',
      'Application',
      'Application',
      'GitRepository',
      'HelmRelease',
      'Kustomization',
      'Kustomization',
      'Kustomization',
      'Namespace',
    ]);
    const problems = gitops
      .filter(({ o }) => o.kind !== 'Namespace')
      .flatMap(({ o }) => [...checkGitopsManifest(o), ...missingRepositoryPaths(o)]);
    expect(problems).toEqual([]);
  });

  it('each overlay is deployed into the namespace it sets, by Argo CD and by Flux', () => {
    for (const env of ['dev', 'prod']) {
      const namespace = kustomization(`overlays/${env}`).namespace;
      const app = gitops.find(
        ({ o }) => o.kind === 'Application' && o.metadata?.name === `weir-pipeline-${env}`,
      )!.o;
      expect(app.spec).toMatchObject({
        source: { path: `examples/gitops/overlays/${env}` },
        destination: { namespace },
      });
      const flux = gitops.find(
        ({ o }) => o.kind === 'Kustomization' && o.metadata?.name === `weir-pipeline-${env}`,
      )!.o;
      expect(flux.spec).toMatchObject({
        path: `./examples/gitops/overlays/${env}`,
        dependsOn: [{ name: 'weir-operator' }],
      });
    }
  });

  it("Flux's named health checks are the objects the prod overlay makes", () => {
    const flux = gitops.find(
      ({ o }) => o.kind === 'Kustomization' && o.metadata?.name === 'weir-pipeline-prod',
    )!.o as {
      spec: { healthChecks: { apiVersion: string; kind: string; name: string; namespace: string }[] };
    };
    const base = weir.filter(({ path }) => path.includes('gitops/base/'));
    expect(flux.spec.healthChecks).toEqual(
      expect.arrayContaining(
        base.map(({ o }) => ({
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: o.metadata?.name,
          namespace: kustomization('overlays/prod').namespace,
        })),
      ),
    );
    expect(flux.spec.healthChecks).toHaveLength(base.length);
  });

  it('the operator release watches the overlays’ namespaces, a value the chart has', () => {
    const values = readFileSync(join(REPO_ROOT, 'charts', 'weir', 'values.yaml'), 'utf8');
    expect(values).toMatch(/^watchNamespaces:/m);
    const release = gitops.find(({ o }) => o.kind === 'HelmRelease')!.o as { spec: { values: unknown } };
    const app = gitops.find(({ o }) => o.metadata?.name === 'weir-operator' && o.kind === 'Application')!
      .o as {
      spec: { source: { helm: { valuesObject: unknown } } };
    };
    for (const v of [release.spec.values, app.spec.source.helm.valuesObject]) {
      expect(v).toEqual({ watchNamespaces: ['weir-dev', 'weir-prod'] });
    }
  });

  it('the health checks: one script for both kinds, installed under the keys Argo CD reads', () => {
    const health = join(GITOPS, 'argocd', 'health', 'weir.dev');
    const kinds = readdirSync(health).sort();
    expect(kinds).toEqual(['KafkaConnect', 'KafkaConnector']);
    const scripts = kinds.map((k) => readFileSync(join(health, k, 'health.lua'), 'utf8'));
    expect(scripts[1]).toBe(scripts[0]);
    const generator = (kustomization('argocd') as { configMapGenerator: { name: string; files: string[] }[] })
      .configMapGenerator;
    expect(generator).toEqual([
      {
        name: 'argocd-cm',
        files: kinds.map(
          (k) => `resource.customizations.health.weir.dev_${k}=health/weir.dev/${k}/health.lua`,
        ),
      },
    ]);
  });
});
