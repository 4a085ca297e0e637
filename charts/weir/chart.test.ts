// The Helm chart, rendered by the real helm (built into the cache on first use): it lints strictly;
// the operator runs 2 replicas under the restricted Pod Security Standard with the label the workers'
// NetworkPolicy admits; RBAC is exactly what the operator calls, cluster-wide or per namespace; the
// optional parts appear only when asked for; bad values fail with the schema's message; the CRDs and
// admission policies are the repository's own files, byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubernetesObject, V1Deployment, V1PolicyRule, V1Role } from '@kubernetes/client-node';
import {
  CHART_DIR,
  DASHBOARD,
  ensureHelm,
  parseManifests,
  renderableValueSets,
  renderChart,
  runHelm,
  VALUE_SETS,
} from '../../tools/helm.ts';
import { MissingToolError, REPO_ROOT } from '../../tools/kafka/testbed.ts';
import { minimalKafkaConnect } from '../../operator/api/testing/examples.ts';
import { CLUSTER_LABEL } from '../../operator/api/types.ts';
import { connectDeployment } from '../../operator/model/connect-cluster.ts';
import { KIND_LABEL, METRICS_PORT, METRICS_PORT_NAME } from '../../operator/model/names.ts';

const helm = await ensureHelm().catch((error: unknown) => {
  if (!(error instanceof MissingToolError)) throw error;
  console.log(`charts/weir: skipped: ${error.message}`);
  return undefined;
});

const render = (args: string[] = []) => parseManifests(renderChart(helm!, args));
const ofKind = <T extends KubernetesObject>(objects: KubernetesObject[], kind: string) =>
  objects.filter((o) => o.kind === kind) as T[];
const deploymentOf = (objects: KubernetesObject[]) => ofKind<V1Deployment>(objects, 'Deployment')[0]!;
const read = (...path: string[]) => readFileSync(join(...path), 'utf8');

/** The rules the operator needs in each namespace it watches (see operator/controllers, operator/kube). */
const OPERATOR_RULES: V1PolicyRule[] = [
  { apiGroups: ['weir.dev'], resources: ['kafkaconnects', 'kafkaconnectors'], verbs: ['list', 'watch'] },
  { apiGroups: ['weir.dev'], resources: ['kafkaconnectors'], verbs: ['patch'] },
  {
    apiGroups: ['weir.dev'],
    resources: ['kafkaconnects/status', 'kafkaconnectors/status'],
    verbs: ['patch'],
  },
  { apiGroups: ['weir.dev'], resources: ['kafkaconnects/finalizers'], verbs: ['update'] },
  {
    apiGroups: [''],
    resources: ['configmaps', 'secrets', 'services', 'serviceaccounts'],
    verbs: ['get', 'create', 'patch'],
  },
  { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'create', 'patch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'create', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
];
const LEASE_RULES: V1PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: ['weir-operator'],
    verbs: ['get', 'update'],
  },
];

describe.skipIf(!helm)('charts/weir', () => {
  it('passes helm lint --strict and renders with every value set', () => {
    const lint = runHelm(helm!, ['lint', '--strict', CHART_DIR]);
    expect(lint.stderr + lint.stdout).toContain('0 chart(s) failed');
    expect(lint.status).toBe(0);
    for (const [, args] of renderableValueSets()) expect(render(args).length).toBeGreaterThan(5);
  });

  it('has the version of package.json as version and appVersion', () => {
    const { version } = JSON.parse(read(REPO_ROOT, 'package.json')) as { version: string };
    const chart = read(CHART_DIR, 'Chart.yaml');
    expect(chart).toMatch(new RegExp(`^version: ${version.replaceAll('.', '\\.')}$`, 'm'));
    expect(chart).toMatch(new RegExp(`^appVersion: "${version.replaceAll('.', '\\.')}"$`, 'm'));
  });

  it('ships the CRDs and admission policies of crds/ byte for byte (node operator/api/generate-crds.ts)', () => {
    for (const name of ['kafkaconnects.weir.dev.yaml', 'kafkaconnectors.weir.dev.yaml']) {
      expect(read(CHART_DIR, 'crds', name), name).toBe(read(REPO_ROOT, 'crds', name));
    }
    const policies = 'validation-policies.weir.dev.yaml';
    expect(read(CHART_DIR, 'files', policies)).toBe(read(REPO_ROOT, 'crds', policies));
    // Helm orders by kind; compare as sets.
    const key = (o: KubernetesObject) => `${o.kind}/${o.metadata?.name}`;
    const sorted = (objects: KubernetesObject[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));
    const rendered = render().filter((o) => o.kind?.startsWith('ValidatingAdmissionPolicy'));
    expect(sorted(rendered)).toEqual(sorted(parseManifests(read(REPO_ROOT, 'crds', policies))));
    expect(rendered.map(key).sort()).toEqual([
      'ValidatingAdmissionPolicy/kafkaconnectors.weir.dev',
      'ValidatingAdmissionPolicy/kafkaconnects.weir.dev',
      'ValidatingAdmissionPolicyBinding/kafkaconnectors.weir.dev',
      'ValidatingAdmissionPolicyBinding/kafkaconnects.weir.dev',
    ]);
    const without = render(['--set', 'admissionPolicies.enabled=false']);
    expect(without.filter((o) => o.kind?.startsWith('ValidatingAdmissionPolicy'))).toEqual([]);
  });

  it('runs 2 operator replicas under the restricted Pod Security Standard', () => {
    const objects = render();
    const d = deploymentOf(objects);
    expect(d.metadata?.namespace).toBe('weir-system');
    expect(d.spec?.replicas).toBe(2);
    const pod = d.spec!.template.spec!;
    // The workers' NetworkPolicy admits pods with this label from the operator's namespace.
    expect(d.spec?.template.metadata?.labels?.['app.kubernetes.io/name']).toBe('weir-operator');
    expect(d.spec?.selector.matchLabels?.['app.kubernetes.io/name']).toBe('weir-operator');
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = pod.containers;
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(container?.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(25);
    // The image's entrypoint runs bin/weir.js: arguments only, no command.
    expect(container?.command).toBeUndefined();
    expect(container?.image).toBe('weir:0.1.0');
    expect(container?.args).toEqual([
      'operator',
      '--metrics-port=8080',
      '--lease-namespace=$(POD_NAMESPACE)',
      '--identity=$(POD_NAME)',
      '--worker-image=weir:0.1.0',
    ]);
    expect(container?.env?.map((e) => e.name)).toEqual([
      'POD_NAMESPACE',
      'POD_NAME',
      'WEIR_LOG_LEVEL',
      'WEIR_LOG_FORMAT',
    ]);
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container?.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
    expect(container?.resources?.requests).toBeDefined();
    expect(container?.resources?.limits?.memory).toBeDefined();
    const pdb = ofKind<KubernetesObject & { spec: unknown }>(objects, 'PodDisruptionBudget')[0];
    expect(pdb?.spec).toEqual({ maxUnavailable: 1, selector: d.spec?.selector });
    const service = ofKind<KubernetesObject & { spec: { selector: unknown } }>(objects, 'Service')[0];
    expect(service?.spec.selector).toEqual(d.spec?.selector.matchLabels);
  });

  it('watching all namespaces: one ClusterRole with exactly the operator rules, the Lease in its namespace', () => {
    const objects = render();
    const [clusterRole] = ofKind<V1Role>(objects, 'ClusterRole');
    expect(clusterRole?.rules).toEqual(OPERATOR_RULES);
    const [binding] = ofKind<KubernetesObject & { subjects: unknown; roleRef: unknown }>(
      objects,
      'ClusterRoleBinding',
    );
    expect(binding?.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'weir-operator',
    });
    expect(binding?.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'weir-operator', namespace: 'weir-system' },
    ]);
    const roles = ofKind<V1Role>(objects, 'Role');
    expect(roles.map((r) => [r.metadata?.namespace, r.metadata?.name])).toEqual([
      ['weir-system', 'weir-operator-leader-election'],
    ]);
    expect(roles[0]?.rules).toEqual(LEASE_RULES);
    expect(deploymentOf(objects).spec?.template.spec?.serviceAccountName).toBe('weir-operator');
    expect(ofKind(objects, 'ServiceAccount').map((s) => s.metadata?.name)).toEqual(['weir-operator']);
  });

  it('watching a list of namespaces: a Role and RoleBinding in each, nothing cluster-wide', () => {
    const objects = render(VALUE_SETS.namespaced);
    expect(ofKind(objects, 'ClusterRole')).toEqual([]);
    expect(ofKind(objects, 'ClusterRoleBinding')).toEqual([]);
    const roles = ofKind<V1Role>(objects, 'Role');
    expect(roles.map((r) => [r.metadata?.namespace, r.metadata?.name])).toEqual([
      ['team-a', 'weir-operator'],
      ['team-b', 'weir-operator'],
      ['weir-system', 'weir-operator-leader-election'],
    ]);
    for (const role of roles.slice(0, 2)) expect(role.rules).toEqual(OPERATOR_RULES);
    const bindings = ofKind<KubernetesObject & { subjects: { namespace: string }[] }>(objects, 'RoleBinding');
    expect(bindings.map((b) => b.metadata?.namespace)).toEqual(['team-a', 'team-b', 'weir-system']);
    for (const b of bindings)
      expect(b.subjects).toEqual([expect.objectContaining({ namespace: 'weir-system' })]);
    expect(deploymentOf(objects).spec?.template.spec?.containers[0]?.args).toContain(
      '--namespace=team-a,team-b',
    );
  });

  it('grants no wildcard verb, resource or group in any value set', () => {
    for (const [, args] of renderableValueSets()) {
      for (const role of render(args).filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
        for (const rule of (role as V1Role).rules ?? []) {
          expect([...rule.verbs, ...(rule.resources ?? []), ...(rule.apiGroups ?? [])]).not.toContain('*');
        }
      }
    }
  });

  it('adds a ServiceMonitor only when asked, scraping the metrics Service', () => {
    expect(ofKind(render(), 'ServiceMonitor')).toEqual([]);
    const objects = render(VALUE_SETS.monitoring);
    const [monitor] = ofKind<KubernetesObject & { spec: Record<string, unknown> }>(objects, 'ServiceMonitor');
    expect(monitor?.metadata?.labels?.release).toBe('prom');
    expect(monitor?.spec).toMatchObject({
      selector: { matchLabels: deploymentOf(objects).spec?.selector.matchLabels },
      namespaceSelector: { matchNames: ['weir-system'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
  });

  it('adds a PodMonitor for the worker pods only when asked, with the label the dashboard filters on', () => {
    type PodMonitor = KubernetesObject & { spec: Record<string, unknown> };
    expect(ofKind(render(), 'PodMonitor')).toEqual([]);
    const [monitor] = ofKind<PodMonitor>(render(VALUE_SETS.monitoring), 'PodMonitor');
    expect(monitor?.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor?.metadata).toMatchObject({ name: 'weir-workers', namespace: 'weir-system' });
    expect(monitor?.metadata?.labels?.release).toBe('prom');
    // The pods the operator makes (operator/model): their labels and the container port's name.
    const settings = { namespace: 'weir-system', podLabels: {}, defaultImage: 'weir:0.1.0' };
    const pod = connectDeployment(minimalKafkaConnect(), settings).spec!.template;
    expect(pod.metadata?.labels).toMatchObject({ [KIND_LABEL]: 'KafkaConnect' });
    expect(pod.spec?.containers[0]?.ports).toContainEqual(
      expect.objectContaining({ name: METRICS_PORT_NAME, containerPort: METRICS_PORT }),
    );
    expect(monitor?.spec).toEqual({
      namespaceSelector: { any: true },
      selector: { matchLabels: { [KIND_LABEL]: 'KafkaConnect' } },
      podMetricsEndpoints: [
        {
          port: METRICS_PORT_NAME,
          path: '/metrics',
          interval: '30s',
          scrapeTimeout: '10s',
          relabelings: [
            // CLUSTER_LABEL (weir.dev/cluster) as Prometheus names a pod label.
            { sourceLabels: ['__meta_kubernetes_pod_label_weir_dev_cluster'], targetLabel: 'weir_dev_cluster' },
          ],
        },
      ],
    });
    expect(CLUSTER_LABEL.replace(/[^a-zA-Z0-9]/g, '_')).toBe('weir_dev_cluster');
    // The dashboard's cluster variable and panels read that label.
    expect(read(DASHBOARD)).toContain('weir_dev_cluster');

    const [watching] = ofKind<PodMonitor>(
      render([...VALUE_SETS.monitoring, ...VALUE_SETS.namespaced]),
      'PodMonitor',
    );
    expect(watching?.spec.namespaceSelector).toEqual({ matchNames: ['team-a', 'team-b'] });
    const [strimzi] = ofKind<PodMonitor>(
      render([...VALUE_SETS.monitoring, '--set', 'metrics.podMonitor.strimziLabels=true,metrics.podMonitor.interval=15s']),
      'PodMonitor',
    );
    const [endpoint] = strimzi?.spec.podMetricsEndpoints as { interval: string; relabelings: { targetLabel: string }[] }[];
    expect(endpoint?.interval).toBe('15s');
    expect(endpoint?.relabelings.map((r) => r.targetLabel)).toEqual([
      'weir_dev_cluster',
      'strimzi_io_cluster',
      'strimzi_io_kind',
      'kubernetes_pod_name',
    ]);
  });

  it.skipIf(!helm || !dashboardExists())('adds the Grafana dashboard ConfigMap only when asked', () => {
    expect(ofKind(render(), 'ConfigMap')).toEqual([]);
    const [cm] = ofKind<KubernetesObject & { data: Record<string, string> }>(
      render(VALUE_SETS.dashboard),
      'ConfigMap',
    );
    expect(cm?.metadata?.labels?.grafana_dashboard).toBe('1');
    expect(cm?.data['weir.json']).toBe(read(DASHBOARD).replace(/\n$/, ''));
  });

  it('puts the optional values where they belong', () => {
    const d = deploymentOf(render(VALUE_SETS.options));
    const pod = d.spec!.template.spec!;
    expect(d.spec?.replicas).toBe(1);
    expect(pod.containers[0]?.image).toBe('registry.example/weir:0.1.0-rc1');
    expect(pod.containers[0]?.imagePullPolicy).toBe('Always');
    expect(pod.containers[0]?.args).toContain('--worker-image=registry.example/weir-workers:1');
    expect(pod.containers[0]?.env).toContainEqual({ name: 'WEIR_LOG_LEVEL', value: 'DEBUG' });
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }]);
    expect(d.spec?.template.metadata?.annotations).toEqual({ 'example/annotation': 'yes' });
    expect(d.spec?.template.metadata?.labels).toMatchObject({
      team: 'data',
      'app.kubernetes.io/name': 'weir-operator',
    });
    expect(ofKind(render(VALUE_SETS.options), 'PodDisruptionBudget')).toEqual([]);
  });

  it.each([
    ['replicas=two', "at '/replicas': got string, want integer"],
    ['watchNamespaces={Bad_NS}', "at '/watchNamespaces/0': 'Bad_NS' does not match pattern"],
    ['logFormat=pretty', "at '/logFormat': value must be 'json'"],
    ['replica=3', "additional properties 'replica' not allowed"],
    ['image.pullPolicy=Sometimes', "at '/image/pullPolicy': value must be one of"],
    ['terminationGracePeriodSeconds=5', "at '/terminationGracePeriodSeconds': minimum: got 5, want 25"],
    ['metrics.podMonitor.interval=often', "at '/metrics/podMonitor/interval': 'often' does not match pattern"],
    ['metrics.podMonitor.port=9404', "additional properties 'port' not allowed"],
  ])('rejects %s with the schema message', (set, message) => {
    expect(() => renderChart(helm!, ['--set', set])).toThrow(message);
  });
});

function dashboardExists(): boolean {
  try {
    return readFileSync(DASHBOARD).length > 0;
  } catch {
    return false;
  }
}
