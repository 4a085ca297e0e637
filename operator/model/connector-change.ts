// A change the operator made to a connector — a new config (PUT), a state change, a restart — and
// whether the workers run it yet. Until they do, what they report is the old connector's and the
// old tasks' state: Kafka Connect restarts the connector on a config PUT and reconfigures its tasks
// afterwards, asynchronously, and the tasks of a paused or stopped connector move only when told.
// Status must not give a generation's outcome (Ready or Stalled) from that old state: Flux and
// Argo CD judge a change by the first Ready or Stalled of its generation.
//
// What the REST API lets the operator tell apart: `expand=info` gives the connector's config as the
// workers hold it and its task list; `expand=status` gives each state with worker_id and trace,
// and nothing that tells an old task's RUNNING (or FAILED) from a new one's — no generation, no
// start time. A restart shows only as a change of state, worker or trace, which a 2 s poll may
// miss (a task restarted RUNNING → RUNNING shows nothing at all). So a change goes through:
//
//   applying  until a poll that started after the operator's call shows the config the workers
//             return equal to the desired one, the connector in its target state (or FAILED), and
//             a task list that fits (none when stopped, at most tasks.max when running, a status
//             for every task listed);
//   settling  for a connector that should run: until a poll that started SETTLE_MS after that
//             one. The workers restart the tasks within about a second of taking the config; a
//             task that fails does so at start or on its first records, which a sink gets only
//             after its consumer joined the group (over 3 s on brokers with the default
//             group.initial.rebalance.delay.ms). Whatever the tasks show then is the change's
//             outcome; a failure later on is a later event, reported as it comes.
//   done      status says what the workers report, as for any connector.
//
// A paused or stopped connector has nothing left to fail once it reached its state, so it skips
// settling. If the workers never show the change (APPLY_TIMEOUT_MS), status goes back to saying
// what they report rather than waiting for ever.
import type { ConnectorInfo, ConnectorStateInfo } from '../../runtime/rest/types.ts';
import type { KafkaConnector } from '../api/types.ts';
import { CHANGE_REASONS, findCondition } from './conditions.ts';
import { configDiff, desiredConnectorConfig, targetState } from './connector-config.ts';

/** How long after the workers took a change the tasks must still run before the connector is Ready. */
export const SETTLE_MS = 10_000;
/** How long the workers get to show a change before status says what they report anyway. */
export const APPLY_TIMEOUT_MS = 60_000;

export interface PendingChange {
  /** What the operator did, for messages: "configuration updated", "resumed", "restarted". */
  what: string;
  /** When the operator's last call for it returned (ms): only polls started later can show it. */
  actedAt: number;
  /** When the first poll that showed the workers running the change started (ms). */
  appliedAt?: number;
}

/** The workers' answer for one connector (GET /connectors?expand=info&expand=status). */
export interface WorkersView {
  info?: ConnectorInfo;
  status?: ConnectorStateInfo;
}

export type ChangeProgress =
  /** The workers do not show the change yet. */
  | { phase: 'applying'; message: string; change: PendingChange }
  /** They do; the tasks' states count once a poll started at `settledAt` or later. */
  | { phase: 'settling'; message: string; change: PendingChange; settledAt: number }
  | { phase: 'done' };

/** Another change while one is under way: one pending change for both, from the later call. */
export function addChange(pending: PendingChange | undefined, what: string, actedAt: number): PendingChange {
  const whats = pending && pending.appliedAt === undefined ? pending.what.split('; ') : [];
  return { what: [...new Set([...whats, what])].join('; '), actedAt };
}

/** When a poll must have started for the tasks' states to count (once the workers took the change). */
export function settleTime(change: PendingChange): number | undefined {
  return change.appliedAt === undefined ? undefined : change.appliedAt + SETTLE_MS;
}

/** Where `change` stands, given the workers' answer from a poll that started at `polledAt`. */
export function changeProgress(
  change: PendingChange,
  ktr: KafkaConnector,
  view: WorkersView,
  polledAt: number,
): ChangeProgress {
  if (polledAt < change.actedAt) return applying(change, `waiting for the workers' first answer since`);
  let applied = change;
  if (change.appliedAt === undefined) {
    const missing = notRunYet(ktr, view);
    if (missing) {
      if (polledAt - change.actedAt >= APPLY_TIMEOUT_MS) return { phase: 'done' };
      return applying(change, `waiting for the workers to run it: ${missing}`);
    }
    applied = { ...change, appliedAt: polledAt };
  }
  const settledAt = settleTime(applied)!;
  if (targetState(ktr) !== 'RUNNING' || polledAt >= settledAt) return { phase: 'done' };
  return {
    phase: 'settling',
    message: `${change.what}; the workers run it: Ready once the tasks still run ${SETTLE_MS / 1000} s later (${summary(view.status)})`,
    change: applied,
    settledAt,
  };
}

function applying(change: PendingChange, message: string): ChangeProgress {
  return { phase: 'applying', message: `${change.what}; ${message}`, change };
}

/** Why the workers' answer does not show the change yet; undefined when it does. */
export function notRunYet(ktr: KafkaConnector, { info, status }: WorkersView): string | undefined {
  if (!info || !status) return 'the connector is not listed';
  const differ = configDiff(desiredConnectorConfig(ktr), info.config);
  if (differ.length > 0) return `their configuration still differs in ${differ.join(', ')}`;
  const want = targetState(ktr);
  const state = status.connector.state;
  if (state !== want && state !== 'FAILED') return `connector ${state}, want ${want}`;
  const listed = info.tasks.map((t) => t.task).sort((a, b) => a - b);
  const reported = status.tasks.map((t) => t.id).sort((a, b) => a - b);
  if (listed.join() !== reported.join())
    return `tasks listed [${listed.join(', ')}], states reported for [${reported.join(', ')}]`;
  // A FAILED connector writes no new task configs: its list says nothing about the change.
  if (state === 'STOPPED' && listed.length > 0) return `${listed.length} task(s) still listed`;
  const tasksMax = ktr.spec.tasksMax ?? 1;
  if (state === 'RUNNING' && listed.length > tasksMax)
    return `${listed.length} task(s) listed, tasks.max ${tasksMax}`;
  return undefined;
}

function summary(status: ConnectorStateInfo | undefined): string {
  if (!status) return 'no status';
  const states = [...new Set(status.tasks.map((t) => t.state))];
  return `connector ${status.connector.state}, ${status.tasks.length} task(s)${states.length ? ` ${states.join(', ')}` : ''}`;
}

/**
 * A change an earlier operator process may have made and not seen through, for a connector this
 * process has not reconciled yet (after a restart or a leader change): its status was mid-change
 * for the current generation, or is of an older generation (the earlier process may have called
 * the workers and stopped before it wrote status). Checked from `now` as a change of its own.
 */
export function changeFromStatus(ktr: KafkaConnector, now: number): PendingChange | undefined {
  const generation = ktr.metadata.generation;
  const observed = ktr.status?.observedGeneration;
  const reconciling = findCondition(ktr.status?.conditions, 'Reconciling');
  const midChange =
    reconciling?.status === 'True' &&
    // Status written with one of these reasons is mid-change.
    Object.values<string>(CHANGE_REASONS).includes(reconciling.reason ?? '') &&
    reconciling.observedGeneration === generation;
  const olderGeneration =
    observed !== undefined && observed >= 1 && generation !== undefined && observed < generation;
  if (!midChange && !olderGeneration) return undefined;
  return {
    what: 'picked up after an operator restart or leader change',
    actedAt: now,
  };
}
