// The Helm chart against the real API server's schemas: each value set rendered (CRDs included) and
// applied with a server-side dry run, into a namespace that warns on the restricted Pod Security
// Standard, so a field the API does not know, a bad quantity or a pod spec the standard refuses
// fails here. The monitoring value set is left out: the ServiceMonitor and PodMonitor CRDs are not on the cluster.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RESOURCES, resourcePath } from '../operator/kube/client.ts';
import { ensureHelm, renderableValueSets, renderChart } from '../tools/helm.ts';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';
import { binary } from './cluster/build.ts';
import { createNamespace, kube, type Kube } from './kube.ts';
import { kubeClient } from './operator-process.ts';
import { imageValues } from './operator-release.ts';

let k: Kube;
let helm: string;
const namespaces: string[] = [];
const work = mkdtempSync(join(REPO_ROOT, '.weir', 'chart-e2e-'));

beforeAll(async () => {
  k = kube(inject('kubeconfig'));
  const client = kubeClient(inject('kubeconfig'));
  helm = await ensureHelm();
  for (const prefix of ['e2e-chart', 'e2e-chart-a', 'e2e-chart-b']) {
    namespaces.push(await createNamespace(k, prefix));
  }
  // The release namespace warns on anything the restricted Pod Security Standard would refuse.
  await client.request('PATCH', resourcePath(RESOURCES.Namespace, undefined, namespaces[0]), {
    body: { metadata: { labels: { 'pod-security.kubernetes.io/warn': 'restricted' } } },
    contentType: 'application/merge-patch+json',
  });
}, 300_000);

afterAll(async () => {
  for (const name of namespaces) await k?.core.deleteNamespace({ name }).catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

/** `kubectl apply --dry-run=server`: the API server validates and admits, stores nothing. */
function dryRun(manifest: string): { ok: boolean; output: string } {
  const file = join(work, 'manifest.yaml');
  writeFileSync(file, manifest);
  const result = spawnSync(
    binary('kubectl'),
    ['--kubeconfig', inject('kubeconfig'), 'apply', '--dry-run=server', '-f', file],
    { encoding: 'utf8' },
  );
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe('charts/weir on the API server', () => {
  const sets = renderableValueSets().filter(([name]) => name !== 'monitoring');

  it.each(sets)('the %s values pass a server-side dry run with no Pod Security warning', (name, args) => {
    const [release, a, b] = namespaces as [string, string, string];
    const values = name === 'namespaced' ? ['--set', `watchNamespaces={${a},${b}}`] : args;
    const manifest = renderChart(helm, [...values, ...imageValues(inject('image')), '--include-crds'], {
      namespace: release,
    });
    const result = dryRun(manifest);
    expect(result.output).not.toMatch(/would violate PodSecurity/);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toMatch(
      /deployment\.apps\/weir-operator (created|configured|unchanged) \(server dry run\)/,
    );
  });

  it('the namespace does warn on a pod spec the restricted standard refuses', () => {
    const manifest = renderChart(helm, [], { namespace: namespaces[0] }).replace(
      'allowPrivilegeEscalation: false',
      'allowPrivilegeEscalation: true',
    );
    expect(dryRun(manifest).output).toMatch(
      /would violate PodSecurity "restricted:latest": allowPrivilegeEscalation/,
    );
  });

  it('a bad value is refused by the API server, not only by the chart', () => {
    const manifest = renderChart(helm, [], { namespace: namespaces[0] }).replace(
      'readOnlyRootFilesystem: true',
      'readOnlyRootFilesystem: sometimes',
    );
    const result = dryRun(manifest);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/readOnlyRootFilesystem/);
  });
});
