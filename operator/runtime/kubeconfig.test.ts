import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigFlag, loadKubeConfig } from './kubeconfig.ts';

const config = (server: string, context: string): string => `apiVersion: v1
kind: Config
clusters: [{ name: ${context}, cluster: { server: '${server}' } }]
users: [{ name: ${context}, user: { token: t } }]
contexts: [{ name: ${context}, context: { cluster: ${context}, user: ${context} } }]
current-context: ${context}
`;

describe('kubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-kc-'));
  const flagFile = join(dir, 'flag.yaml');
  const envA = join(dir, 'a.yaml');
  const envB = join(dir, 'b.yaml');
  writeFileSync(flagFile, config('https://flag:6443', 'flag'));
  writeFileSync(envA, config('https://a:6443', 'a'));
  writeFileSync(envB, config('https://b:6443', 'b'));
  const token = join(dir, 'token');
  writeFileSync(token, 'sa-token');
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeFileSync(join(home, '.kube', 'config'), config('https://home:6443', 'home'));

  it('reads --kubeconfig in both spellings', () => {
    expect(kubeconfigFlag(['operator', '--kubeconfig', '/x'])).toBe('/x');
    expect(kubeconfigFlag(['--kubeconfig=/y'])).toBe('/y');
    expect(kubeconfigFlag(['operator'])).toBeUndefined();
  });

  it('prefers the flag, then KUBECONFIG (merged, first file current), then in-cluster, then ~/.kube/config', () => {
    const env = {
      KUBECONFIG: `${envA}:${envB}`,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    };
    const flag = loadKubeConfig({ kubeconfig: flagFile, env, tokenPath: token, home });
    expect([flag.source, flag.kubeConfig.getCurrentCluster()?.server]).toEqual(['flag', 'https://flag:6443']);
    const fromEnv = loadKubeConfig({ env, tokenPath: token, home });
    expect([fromEnv.source, fromEnv.kubeConfig.getCurrentCluster()?.server]).toEqual([
      'env',
      'https://a:6443',
    ]);
    expect(fromEnv.kubeConfig.getContexts().map((c) => c.name)).toEqual(['a', 'b']);
    const inCluster = loadKubeConfig({ env: { ...env, KUBECONFIG: '' }, tokenPath: token, home });
    expect(inCluster.source).toBe('in-cluster');
    const fromHome = loadKubeConfig({ env: {}, tokenPath: token, home });
    expect([fromHome.source, fromHome.kubeConfig.getCurrentCluster()?.server]).toEqual([
      'home',
      'https://home:6443',
    ]);
    expect(() => loadKubeConfig({ env: {}, tokenPath: token, home: join(dir, 'nowhere') })).toThrow(
      /no Kubernetes credentials/,
    );
  });
});
