// Flags of etcd, kube-apiserver, kube-controller-manager and kube-scheduler for the local cluster:
// loopback only, client certificates, RBAC + Node authorization, service-account keys, no leader
// election, the API server advertising the pod network's host address.
import { join } from 'node:path';
import { hostAddressForPods } from '../node-agent/network.ts';
import type { ClusterCredentials } from './certs.ts';
import type { ClusterState } from './cluster.ts';

/** The command-line flags of etcd and the control plane (as envtest and kubeadm set them up). */
export function controlPlaneArgs(
  state: ClusterState,
  creds: ClusterCredentials,
  serviceCidr: string,
): Record<string, string[]> {
  const { ports, dir } = state;
  const etcdUrl = `http://127.0.0.1:${ports.etcd}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  const kc = (name: string): string => join(dir, `${name}.kubeconfig`);
  return {
    etcd: [
      '--name=weir',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=weir=${peerUrl}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    'kube-apiserver': [
      `--etcd-servers=${etcdUrl}`,
      `--secure-port=${ports.apiserver}`,
      '--bind-address=127.0.0.1',
      `--advertise-address=${hostAddressForPods()}`,
      `--tls-cert-file=${creds.apiserver.cert}`,
      `--tls-private-key-file=${creds.apiserver.key}`,
      `--client-ca-file=${creds.ca.cert}`,
      `--service-cluster-ip-range=${serviceCidr}`,
      '--allow-privileged=true',
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${creds.serviceAccountPub}`,
      `--service-account-signing-key-file=${creds.serviceAccountKey}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      // PodTemplates are watched straight from etcd (no watch cache), so a test that compacts etcd
      // gets a real 410 Gone for an old resourceVersion. With the cache, a fresh cluster would still
      // serve a watch from resourceVersion 1: the cache starts at the first revisions.
      '--watch-cache-sizes=podtemplates#0',
      '--v=1',
    ],
    'kube-controller-manager': [
      `--kubeconfig=${kc('controller-manager')}`,
      `--authentication-kubeconfig=${kc('controller-manager')}`,
      `--authorization-kubeconfig=${kc('controller-manager')}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      `--service-account-private-key-file=${creds.serviceAccountKey}`,
      `--root-ca-file=${creds.ca.cert}`,
      `--cluster-signing-cert-file=${creds.ca.cert}`,
      `--cluster-signing-key-file=${creds.ca.key}`,
      '--use-service-account-credentials=true',
      `--service-cluster-ip-range=${serviceCidr}`,
      '--cluster-name=weir-local',
      '--v=1',
    ],
    'kube-scheduler': [
      `--kubeconfig=${kc('scheduler')}`,
      `--authentication-kubeconfig=${kc('scheduler')}`,
      `--authorization-kubeconfig=${kc('scheduler')}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.scheduler}`,
      '--v=1',
    ],
  };
}
