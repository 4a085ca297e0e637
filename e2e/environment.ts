// Which cluster the e2e suite runs on, and whether it can run here at all. E2E_CLUSTER=local (the
// default) builds and starts the local cluster; E2E_CLUSTER=kind uses kind, which needs Docker.
import { spawnSync } from 'node:child_process';

export type E2eCluster = 'local' | 'kind';

export function e2eCluster(): E2eCluster {
  const mode = process.env.E2E_CLUSTER ?? 'local';
  if (mode !== 'local' && mode !== 'kind') throw new Error(`E2E_CLUSTER=${mode}: expected local or kind`);
  return mode;
}

const works = (command: string, args: string[]): boolean => {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  return !result.error && result.status === 0;
};

/** One line saying why the e2e suite cannot run on this machine, or undefined when it can. */
export function e2eSkipReason(): string | undefined {
  if (e2eCluster() === 'kind') {
    return works('docker', ['info'])
      ? undefined
      : 'E2E_CLUSTER=kind needs Docker, which this machine lacks; skipping';
  }
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (pods get network namespaces)');
  if (!works('go', ['version'])) missing.push('Go 1.26+ (to build Kubernetes)');
  if (!works('ip', ['-V'])) missing.push('iproute2');
  if (!works('openssl', ['version'])) missing.push('openssl');
  if (!works('unshare', ['--version']) || !works('nsenter', ['--version'])) missing.push('util-linux');
  if (missing.length === 0) return undefined;
  return `e2e: the local cluster needs ${missing.join(', ')}, which this machine lacks; skipping`;
}
