// Vitest global setup for the e2e project: the local cluster (built on first use; the one
// `npm run cluster:start` runs if it does, else a fresh one in .weir/e2e-cluster, removed after), or a
// kind cluster with E2E_CLUSTER=kind. Tests read inject('kubeconfig'), inject('image'),
// inject('cluster'), inject('etcd') and inject('hostAddressForPods').
import type { TestProject } from 'vitest/node';
import { join } from 'node:path';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';
import { ensureClusterBinaries } from './cluster/build.ts';
import { hostAddressForPods, readClusterState, startCluster, stopCluster } from './cluster/cluster.ts';
import { e2eCluster } from './environment.ts';
import { KIND_IMAGE, kindHostAddress, startKind, stopKind } from './kind.ts';

const E2E_CLUSTER_DIR = join(REPO_ROOT, '.weir', 'e2e-cluster');

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    image: string;
    cluster: 'local' | 'kind';
    /** The local cluster's etcd client URL (for tests that compact it); '' on kind. */
    etcd: string;
    /** This machine's address as pods reach it (a broker for pods listens there). */
    hostAddressForPods: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const log = (line: string) => console.log(`e2e: ${line}`);
  if (e2eCluster() === 'kind') {
    // The tests' kubectl is the one the local cluster builds (the same release on every machine).
    await ensureClusterBinaries(log);
    try {
      project.provide('kubeconfig', startKind());
      project.provide('hostAddressForPods', kindHostAddress());
    } catch (error) {
      stopKind(); // a half-made cluster would otherwise outlive the run
      throw error;
    }
    project.provide('cluster', 'kind');
    project.provide('etcd', '');
    project.provide('image', KIND_IMAGE);
    console.log(`e2e: kind cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return async () => stopKind();
  }
  // Reuse the cluster `npm run cluster:start` runs; else a fresh one of our own, wiped afterwards.
  const already = readClusterState();
  const dir = already ? undefined : E2E_CLUSTER_DIR;
  const state = await startCluster({ dir, reset: !already, log });
  project.provide('cluster', 'local');
  project.provide('etcd', `http://127.0.0.1:${state.ports.etcd}`);
  project.provide('kubeconfig', state.kubeconfig);
  // The local node agent ignores images; the same tests on kind run the image built from the Dockerfile.
  project.provide('image', KIND_IMAGE);
  project.provide('hostAddressForPods', hostAddressForPods());
  console.log(
    `e2e: local cluster ${already ? 'already running' : 'started'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return async () => {
    if (!already) await stopCluster({ dir, reset: true });
  };
}
