// A KafkaConnector's desired connector configuration, normalized, and the comparison that decides
// whether the workers need a PUT. The goal (strimzi #6438): no update — and so no connector
// restart — unless the user really changed something. Numbers and booleans become the strings
// users mean ("10", "false"), and representation differences (surrounding whitespace, "TRUE" vs
// "true", "10" vs "10.0", "a, b" vs "a,b") do not count as changes.
import { CONNECTOR_OWNED_KEYS, matchesKey } from '../api/reserved-keys.ts';
import { CLUSTER_LABEL, type ConfigValue, type KafkaConnect, type KafkaConnector } from '../api/types.ts';
import type { ConnectorState, TargetState } from '../../runtime/rest/types.ts';
import { namespaceOf } from './names.ts';
import { propertyString } from './worker-properties.ts';

/** The connector's name on the workers: the resource's name. */
export function connectorName(ktr: KafkaConnector): string {
  return ktr.metadata.name;
}

const isScalar = (v: unknown): v is ConfigValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** What is wrong with the resource that the API server may not have refused (no admission policy). */
export function validateKafkaConnector(ktr: KafkaConnector): string[] {
  const problems: string[] = [];
  const config = ktr.spec.config ?? {};
  const owned = Object.keys(config).filter((k) => matchesKey(CONNECTOR_OWNED_KEYS, k));
  if (owned.length > 0)
    problems.push(
      `spec.config may not set ${owned.sort().join(', ')} (use metadata.name, spec.class, spec.tasksMax)`,
    );
  const nonScalar = Object.keys(config).filter((k) => !isScalar(config[k]));
  if (nonScalar.length > 0)
    problems.push(`spec.config: not a string, number or boolean: ${nonScalar.sort().join(', ')}`);
  if (!ktr.spec.class) problems.push('spec.class is required');
  const ref = connectorClusterRef(ktr);
  if ('error' in ref) problems.push(ref.error);
  return problems;
}

/** The desired config as the workers store it (PUT /connectors/{name}/config body). */
export function desiredConnectorConfig(ktr: KafkaConnector): Record<string, string> {
  const out: Record<string, string> = {};
  const config = ktr.spec.config ?? {};
  for (const key of Object.keys(config).sort()) {
    const value = config[key];
    if (matchesKey(CONNECTOR_OWNED_KEYS, key) || !isScalar(value)) continue;
    out[key] = propertyString(value);
  }
  out['connector.class'] = ktr.spec.class;
  out['tasks.max'] = String(ktr.spec.tasksMax ?? 1);
  out['name'] = connectorName(ktr);
  return out;
}

/** One value's canonical form for comparison. */
export function normalizeValue(v: string): string {
  const t = v.trim();
  if (/^(true|false)$/i.test(t)) return t.toLowerCase();
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(t)) {
    const n = Number(t);
    if (Math.abs(n) <= Number.MAX_SAFE_INTEGER) return String(n);
  }
  return t.includes(',') ? t.replace(/\s*,\s*/g, ',') : t;
}

/**
 * Keys whose values differ between the desired config and the workers' (GET /connectors/{n}/config),
 * ignoring representation; keys only the workers have count unless listed in `workerAddedKeys`.
 */
export function configDiff(
  desired: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string | number | boolean | null>>,
  workerAddedKeys: readonly string[] = [],
): string[] {
  const keys = new Set([...Object.keys(desired), ...Object.keys(actual)]);
  const changed: string[] = [];
  for (const key of [...keys].sort()) {
    const d = desired[key];
    const a = actual[key];
    if (d === undefined) {
      if (!workerAddedKeys.includes(key)) changed.push(key);
    } else if (a === undefined || a === null || normalizeValue(d) !== normalizeValue(String(a))) {
      changed.push(key);
    }
  }
  return changed;
}

export function configsDiffer(
  desired: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string | number | boolean | null>>,
  workerAddedKeys: readonly string[] = [],
): boolean {
  return configDiff(desired, actual, workerAddedKeys).length > 0;
}

export interface ClusterKey {
  namespace: string;
  name: string;
}

/**
 * The KafkaConnect a connector runs on: spec.clusterRef, else the label weir.dev/cluster (same
 * namespace). Both given: they must name the same KafkaConnect.
 */
export function connectorClusterRef(ktr: KafkaConnector): ClusterKey | { error: string } {
  const own = namespaceOf(ktr);
  const label = ktr.metadata.labels?.[CLUSTER_LABEL];
  const ref = ktr.spec.clusterRef;
  if (ref) {
    const key = { namespace: ref.namespace ?? own, name: ref.name };
    if (label !== undefined && (label !== key.name || key.namespace !== own)) {
      return {
        error: `the label ${CLUSTER_LABEL}=${label} and spec.clusterRef ${key.namespace}/${key.name} disagree`,
      };
    }
    return key;
  }
  if (label) return { namespace: own, name: label };
  return { error: `no KafkaConnect named: set the label ${CLUSTER_LABEL} or spec.clusterRef` };
}

/** Whether the KafkaConnect lets connectors from `namespace` run on it. */
export function connectorNamespaceAllowed(kc: KafkaConnect, namespace: string): boolean {
  if (namespace === namespaceOf(kc)) return true;
  const allowed = kc.spec.allowedConnectorNamespaces ?? [];
  return allowed.includes('*') || allowed.includes(namespace);
}

const createdAt = (k: KafkaConnector): number => {
  const t = k.metadata.creationTimestamp ? new Date(k.metadata.creationTimestamp).getTime() : NaN;
  return Number.isNaN(t) ? Infinity : t;
};

/**
 * Of the KafkaConnectors that name the connector `connectorName(ktr)` on the KafkaConnect `kc`, the
 * one that runs it — connector names are per Connect cluster, and KafkaConnectors from several
 * namespaces may share one. Only those the KafkaConnect accepts (valid, namespace allowed) contend;
 * the oldest wins (creationTimestamp), then the first by namespace/name, so every reconcile and
 * every operator replica picks the same one. One being deleted still counts until it is gone (its
 * finalizer may delete the connector first).
 */
export function connectorNameOwner(
  kc: KafkaConnect,
  ktr: KafkaConnector,
  all: readonly KafkaConnector[],
): KafkaConnector | undefined {
  const cluster = `${namespaceOf(kc)}/${kc.metadata.name}`;
  const contenders = all.filter((k) => {
    if (connectorName(k) !== connectorName(ktr) || validateKafkaConnector(k).length > 0) return false;
    const ref = connectorClusterRef(k);
    return (
      !('error' in ref) &&
      `${ref.namespace}/${ref.name}` === cluster &&
      connectorNamespaceAllowed(kc, namespaceOf(k))
    );
  });
  const id = (k: KafkaConnector): string => `${namespaceOf(k)}/${k.metadata.name}`;
  contenders.sort((a, b) => createdAt(a) - createdAt(b) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  return contenders[0];
}

/** The state to create the connector in (POST /connectors initial_state). */
export function targetState(ktr: KafkaConnector): TargetState {
  const state = ktr.spec.state ?? 'running';
  return state === 'paused' ? 'PAUSED' : state === 'stopped' ? 'STOPPED' : 'RUNNING';
}

/**
 * The REST call that brings the connector to its desired state (PUT /connectors/{n}/pause, /resume
 * or /stop), or null. UNASSIGNED and RESTARTING settle by themselves. A FAILED connector is paused
 * or stopped when the spec says so — stopping a failed connector is how one gets to reset its
 * offsets — but asked once only: `askedWhileFailed` is the state already asked for since it failed,
 * because a failed connector may stay FAILED (Kafka Connect does not pause one, nor stop one whose
 * class is missing), and asking again at every poll would never end. Running a FAILED connector
 * again is a restart: auto-restart's business, or the restart annotation's.
 */
export function stateAction(
  ktr: KafkaConnector,
  actual: ConnectorState | undefined,
  askedWhileFailed?: TargetState,
): 'pause' | 'resume' | 'stop' | null {
  const want = targetState(ktr);
  if (actual === 'FAILED') {
    if (want === 'RUNNING' || want === askedWhileFailed) return null;
    return want === 'PAUSED' ? 'pause' : 'stop';
  }
  if (actual !== 'RUNNING' && actual !== 'PAUSED' && actual !== 'STOPPED') return null;
  if (actual === want) return null;
  return want === 'RUNNING' ? 'resume' : want === 'PAUSED' ? 'pause' : 'stop';
}
