// Small helpers for e2e tests: API clients from the injected kubeconfig, a namespace per test file,
// polling until a condition holds, and readiness of pods and of resources with conditions.
import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';

export interface Kube {
  core: CoreV1Api;
  apps: AppsV1Api;
  discovery: DiscoveryV1Api;
}

export function kube(kubeconfig: string): Kube {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
  };
}

/** `prefix` and six random hex digits: a name no other test run uses. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Creates a namespace with a unique name; delete it with `core.deleteNamespace`. */
export async function createNamespace(k: Kube, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await k.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

/** Polls `probe` (every `everyMs`) until it returns a value other than undefined; throws with `what` after the timeout. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const isReady = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' &&
  !pod.metadata?.deletionTimestamp &&
  (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

/** A resource with status conditions (a KafkaConnect, a KafkaConnector). */
export interface WithConditions {
  status?: { conditions?: { type: string; status: string }[] };
}

/** Whether its condition `type` (Ready unless named) is True. */
export const conditionTrue = (o: WithConditions | undefined, type = 'Ready'): boolean =>
  o?.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
