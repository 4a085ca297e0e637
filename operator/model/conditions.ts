// Status conditions, kstatus style (what Flux and Argo CD read): one condition per aspect —
// Ready, Reconciling, Stalled — each with observedGeneration; lastTransitionTime changes only when
// a condition's status changes; status is compared without timestamps before it is written.
import type {
  Condition,
  ConditionStatus,
  ConditionType,
  ConnectorPlugin,
  KafkaConnect,
  KafkaConnectStatus,
  KafkaConnector,
  KafkaConnectorStatus,
} from '../api/types.ts';
import type { ConnectorStateInfo } from '../../runtime/rest/types.ts';
import type { V1Deployment } from '../api/kube-types.ts';
import { labelSelectorString, restUrl, workerSelectorString } from './names.ts';
import { validateKafkaConnect } from './worker-properties.ts';
import type { WorkerFailure } from './worker-failures.ts';
import { connectorClusterRef, validateKafkaConnector } from './connector-config.ts';

const ORDER: ConditionType[] = ['Ready', 'Reconciling', 'Stalled'];

export type NewCondition = Omit<Condition, 'lastTransitionTime'>;

/** Puts `next` in place of the condition of its type, keeping lastTransitionTime if status is unchanged. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: NewCondition,
  now: string,
): Condition[] {
  const previous = conditions?.find((c) => c.type === next.type);
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime : now;
  const others = (conditions ?? []).filter((c) => c.type !== next.type);
  return [...others, { ...next, lastTransitionTime }].sort(
    (a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type),
  );
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: ConditionType,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** The three conditions for one outcome: ready, progressing, or stalled. */
export function outcomeConditions(
  outcome: 'ready' | 'progressing' | 'stalled',
  reason: string,
  message: string,
  generation: number | undefined,
): NewCondition[] {
  const c = (type: ConditionType, status: ConditionStatus): NewCondition => ({
    type,
    status,
    reason,
    message: status === 'True' || type === 'Ready' ? message : '',
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  });
  return [
    c('Ready', outcome === 'ready' ? 'True' : 'False'),
    c('Reconciling', outcome === 'progressing' ? 'True' : 'False'),
    c('Stalled', outcome === 'stalled' ? 'True' : 'False'),
  ];
}

export function applyConditions(
  previous: readonly Condition[] | undefined,
  next: NewCondition[],
  now: string,
): Condition[] {
  return next.reduce<Condition[]>((acc, c) => setCondition(acc, c, now), [...(previous ?? [])]);
}

/** Deep equality of two statuses, ignoring lastTransitionTime (write status only when this is false). */
export function statusEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k, x]) => k !== 'lastTransitionTime' && x !== undefined)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return v;
}

/** A reconcile failure: retryable (Reconciling, retried with back-off) or terminal (Stalled). */
export interface ReconcileError {
  reason: string;
  message: string;
  terminal: boolean;
}

export interface ObservedConnect {
  desiredReplicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  /** The Deployment controller saw the latest spec and finished rolling it out. */
  rolloutComplete: boolean;
  /** GET /connector-plugins, when it answered. */
  connectorPlugins?: ConnectorPlugin[];
  /**
   * Workers whose log levels could not be set to spec.logging, with why. Reported in the Ready
   * condition's message; not a reason to call the workers unready (they run as specified).
   */
  logLevelFailures?: string[];
  /**
   * Worker pods whose worker fails (workerFailures: crash-looping first): while the rollout is not
   * complete, the first is named in the message, and a crash-looping one makes the KafkaConnect Stalled.
   */
  workerFailures?: WorkerFailure[];
}

/**
 * What the workers' Deployment says, the way `kubectl rollout status` reads it: complete when the
 * Deployment controller saw the latest spec, every pod runs it and is available, and no old pod is
 * left. `desiredReplicas` is the resource's (the Deployment may not have caught up).
 */
export function observeDeployment(d: V1Deployment | undefined, desiredReplicas: number): ObservedConnect {
  const st = d?.status;
  const readyReplicas = st?.readyReplicas ?? 0;
  const updatedReplicas = st?.updatedReplicas ?? 0;
  const rolloutComplete =
    d !== undefined &&
    d.spec?.replicas === desiredReplicas &&
    (st?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    updatedReplicas === desiredReplicas &&
    (st?.replicas ?? 0) === desiredReplicas &&
    (st?.availableReplicas ?? 0) === desiredReplicas;
  return { desiredReplicas, readyReplicas, updatedReplicas, rolloutComplete };
}

export function connectStatus(
  kc: KafkaConnect,
  observed: ObservedConnect,
  error: ReconcileError | undefined,
  now: string,
): KafkaConnectStatus {
  const generation = kc.metadata.generation;
  const problems = validateKafkaConnect(kc);
  const counts = `${observed.readyReplicas}/${observed.desiredReplicas} workers ready`;
  let next: NewCondition[];
  if (problems.length > 0)
    next = outcomeConditions('stalled', 'InvalidSpec', problems.join('; '), generation);
  else if (error)
    next = outcomeConditions(
      error.terminal ? 'stalled' : 'progressing',
      error.reason,
      error.message,
      generation,
    );
  else if (observed.desiredReplicas === 0 && observed.rolloutComplete) {
    next = outcomeConditions('ready', 'ScaledToZero', 'no workers wanted (replicas 0)', generation);
  } else if (observed.rolloutComplete && observed.readyReplicas >= observed.desiredReplicas) {
    const failures = observed.logLevelFailures ?? [];
    const message = failures.length
      ? `${counts}; log levels not applied on ${failures.length} worker(s): ${failures.join('; ').slice(0, 1000)}`
      : counts;
    next = outcomeConditions('ready', 'Available', message, generation);
  } else if (observed.workerFailures?.length) {
    const [first, ...others] = observed.workerFailures;
    const more = others.length > 0 ? ` (and ${others.length} more failing worker pod(s))` : '';
    next = outcomeConditions(
      first!.stalled ? 'stalled' : 'progressing',
      first!.stalled ? 'WorkerCrashLoop' : 'WorkerFailing',
      `${counts}; ${first!.message}${more}`,
      generation,
    );
  } else {
    const rolling = observed.updatedReplicas < observed.desiredReplicas;
    next = outcomeConditions(
      'progressing',
      rolling ? 'RollingUpdate' : 'WaitingForWorkers',
      counts,
      generation,
    );
  }
  return {
    conditions: applyConditions(kc.status?.conditions, next, now),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    url: restUrl(kc),
    replicas: observed.readyReplicas,
    labelSelector: labelSelectorString(kc),
    ...((observed.connectorPlugins ?? kc.status?.connectorPlugins)
      ? { connectorPlugins: observed.connectorPlugins ?? kc.status?.connectorPlugins }
      : {}),
  };
}

export interface ObservedConnector {
  /** The workers' answer for this connector (from GET /connectors?expand=status); absent: not created yet. */
  connectorStatus?: ConnectorStateInfo;
  /** Its active topics (expand=topics), as the workers reported them with connectorStatus. */
  topics?: string[];
  /** tasks.max in effect on the workers. */
  tasksMax?: number;
  /** An automatic restart is scheduled (auto-restart.ts); a failure then counts as progress. */
  restartPending?: boolean;
  autoRestart?: KafkaConnectorStatus['autoRestart'];
  /**
   * A change the operator made that the workers do not run yet (applying), or whose tasks have not
   * run for the settle time yet (settling): what they report is not this generation's outcome yet
   * (connector-change.ts).
   */
  change?: { phase: 'applying' | 'settling'; message: string };
}

/** Reconciling reasons of a change under way, by phase (connector-change.ts reads them back after a restart). */
export const CHANGE_REASONS = { applying: 'ApplyingChange', settling: 'WaitingForTasks' } as const;

const WANT = { running: 'RUNNING', paused: 'PAUSED', stopped: 'STOPPED' } as const;

function firstLine(trace: string | undefined): string {
  return trace ? `: ${trace.split('\n')[0]!.slice(0, 500)}` : '';
}

/** Ready, Reconciling, Stalled for a connector from what the workers report. */
export function connectorConditions(
  ktr: KafkaConnector,
  observed: ObservedConnector,
  error?: ReconcileError,
): NewCondition[] {
  const generation = ktr.metadata.generation;
  const problems = validateKafkaConnector(ktr);
  if (problems.length > 0)
    return outcomeConditions('stalled', 'InvalidSpec', problems.join('; '), generation);
  if (error)
    return outcomeConditions(
      error.terminal ? 'stalled' : 'progressing',
      error.reason,
      error.message,
      generation,
    );
  const s = observed.connectorStatus;
  if (!s) return outcomeConditions('progressing', 'Creating', 'the connector is being created', generation);
  if (observed.change) {
    const reason = CHANGE_REASONS[observed.change.phase];
    return outcomeConditions('progressing', reason, observed.change.message, generation);
  }
  const want = WANT[ktr.spec.state ?? 'running'];
  const failedTask = s.tasks.find((t) => t.state === 'FAILED');
  if (s.connector.state === 'FAILED' || failedTask) {
    const message =
      s.connector.state === 'FAILED'
        ? `connector failed${firstLine(s.connector.trace)}`
        : `task ${failedTask!.id} failed${firstLine(failedTask!.trace)}`;
    return observed.restartPending
      ? outcomeConditions('progressing', 'RestartScheduled', `${message} (restart scheduled)`, generation)
      : outcomeConditions(
          'stalled',
          s.connector.state === 'FAILED' ? 'ConnectorFailed' : 'TaskFailed',
          message,
          generation,
        );
  }
  // A running connector is up once it has tasks and they all run: right after creation it has none yet.
  const tasksOk = want === 'STOPPED' || (s.tasks.length > 0 && s.tasks.every((t) => t.state === want));
  if (s.connector.state === want && tasksOk) {
    const reason = want === 'RUNNING' ? 'Running' : want === 'PAUSED' ? 'Paused' : 'Stopped';
    const message =
      want === 'STOPPED'
        ? 'connector stopped'
        : `connector and ${s.tasks.length} task(s) ${want.toLowerCase()}`;
    return outcomeConditions('ready', reason, message, generation);
  }
  const waiting = [s.connector.state, ...s.tasks.map((t) => t.state)].filter((st) => st !== want);
  return outcomeConditions(
    'progressing',
    'Progressing',
    `want ${want}; connector ${s.connector.state}, ${s.tasks.length} task(s)${waiting.length ? ` (${[...new Set(waiting)].join(', ')})` : ''}`,
    generation,
  );
}

export function connectorStatus(
  ktr: KafkaConnector,
  observed: ObservedConnector,
  error: ReconcileError | undefined,
  now: string,
): KafkaConnectorStatus {
  const generation = ktr.metadata.generation;
  const previous = ktr.status;
  const autoRestart = observed.autoRestart ?? previous?.autoRestart;
  const observedStatus = observed.connectorStatus ? truncateTraces(observed.connectorStatus) : undefined;
  const connectorStatus = observedStatus ?? (error ? previous?.connectorStatus : undefined);
  // The workers' answer replaces the topics (none reported: none); without one, the last are kept.
  const topics = observed.connectorStatus ? observed.topics && [...observed.topics].sort() : previous?.topics;
  const tasksMax = observed.tasksMax ?? ktr.spec.tasksMax;
  // The scale subresource's selector: the workers of the KafkaConnect named, whether or not it exists yet.
  const ref = connectorClusterRef(ktr);
  const labelSelector = 'error' in ref ? undefined : workerSelectorString(ref.name);
  return {
    conditions: applyConditions(previous?.conditions, connectorConditions(ktr, observed, error), now),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    ...(connectorStatus ? { connectorStatus } : {}),
    ...(tasksMax !== undefined ? { tasksMax } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(topics ? { topics } : {}),
    ...(autoRestart ? { autoRestart } : {}),
  };
}

/** Longest trace kept in status (stack traces can be long; the object must stay small). */
export const MAX_TRACE_LENGTH = 2048;

function truncateTraces(s: ConnectorStateInfo): ConnectorStateInfo {
  const cut = <T extends { trace?: string }>(x: T): T =>
    x.trace && x.trace.length > MAX_TRACE_LENGTH
      ? { ...x, trace: `${x.trace.slice(0, MAX_TRACE_LENGTH)}…` }
      : x;
  return { ...s, connector: cut(s.connector), tasks: s.tasks.map(cut) };
}
