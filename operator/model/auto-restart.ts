// Automatic restarts of failed connectors and tasks, and the restart annotations, as pure decisions.
//
// Back-off (Weir): the first restart is immediate, then 10 s, 30 s, 90 s, 4.5 min, 13.5 min,
// 40.5 min, then hourly — delay = min(10 s × 3^(n−1), 60 min) after n restarts. Strimzi waits
// min(n² + n, 60) minutes, so its second attempt comes after 2 minutes; most failures that a
// restart fixes (a broker or database briefly away) are fixed within seconds.
// The count resets once the connector has been healthy (no FAILED connector or task) for
// max(10 min, 2 × the current delay) since the last restart. spec.autoRestart.maxRestarts caps it.
import type { ConnectorStateInfo } from '../../runtime/rest/types.ts';
import type { AutoRestartStatus, KafkaConnector } from '../api/types.ts';

export const FIRST_DELAY_MS = 10_000;
export const MAX_DELAY_MS = 60 * 60_000;
export const MIN_HEALTHY_WINDOW_MS = 10 * 60_000;

/** How long after the last automatic restart the next may happen, after `count` restarts. */
export function restartDelayMs(count: number): number {
  if (count <= 0) return 0;
  return Math.min(FIRST_DELAY_MS * 3 ** (count - 1), MAX_DELAY_MS);
}

export function healthyWindowMs(count: number): number {
  return Math.max(MIN_HEALTHY_WINDOW_MS, 2 * restartDelayMs(count));
}

export function isFailed(status: ConnectorStateInfo | undefined): boolean {
  return !!status && (status.connector.state === 'FAILED' || status.tasks.some((t) => t.state === 'FAILED'));
}

export type AutoRestartDecision =
  /** Nothing to do; `status` is the (possibly reset) counter to write. */
  | { action: 'none'; status?: AutoRestartStatus }
  /** POST /connectors/{n}/restart?includeTasks=true&onlyFailed=true now, then write `status`. */
  | { action: 'restart'; status: AutoRestartStatus }
  /** Failed, but the back-off has not passed: look again after `retryAfterMs`. */
  | { action: 'wait'; retryAfterMs: number; status: AutoRestartStatus }
  /** Failed and maxRestarts reached: stays failed until the user acts. */
  | { action: 'giveUp'; status: AutoRestartStatus };

export function autoRestartDecision(
  ktr: KafkaConnector,
  connectorStatus: ConnectorStateInfo | undefined,
  nowMs: number,
): AutoRestartDecision {
  const current: AutoRestartStatus = ktr.status?.autoRestart ?? { count: 0 };
  if (!ktr.spec.autoRestart?.enabled)
    return { action: 'none', ...(ktr.status?.autoRestart ? { status: current } : {}) };
  const last = current.lastRestartTimestamp ? Date.parse(current.lastRestartTimestamp) : undefined;
  if (!isFailed(connectorStatus)) {
    if (current.count > 0 && (last === undefined || nowMs - last >= healthyWindowMs(current.count))) {
      return {
        action: 'none',
        status: {
          count: 0,
          ...(current.lastRestartTimestamp ? { lastRestartTimestamp: current.lastRestartTimestamp } : {}),
        },
      };
    }
    return { action: 'none', status: current };
  }
  const max = ktr.spec.autoRestart.maxRestarts;
  if (max !== undefined && current.count >= max) return { action: 'giveUp', status: current };
  const due = last === undefined ? nowMs : last + restartDelayMs(current.count);
  if (nowMs < due) return { action: 'wait', retryAfterMs: due - nowMs, status: current };
  return {
    action: 'restart',
    status: { count: current.count + 1, lastRestartTimestamp: new Date(nowMs).toISOString() },
  };
}

export const RESTART_ANNOTATION = 'weir.dev/restart';
export const RESTART_TASK_ANNOTATION = 'weir.dev/restart-task';

export interface RestartRequest {
  includeTasks: boolean;
  onlyFailed: boolean;
}

/**
 * `weir.dev/restart`: "true" | "includeTasks" | "onlyFailed" | "includeTasks,onlyFailed" (also with
 * "true,"). "false" anywhere means no restart. Absent → null.
 */
export function parseRestartAnnotation(value: string | undefined): RestartRequest | null | { error: string } {
  if (value === undefined) return null;
  const tokens = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const unknown = tokens.filter((t) => !['true', 'false', 'includeTasks', 'onlyFailed'].includes(t));
  if (unknown.length > 0 || tokens.length === 0) {
    return {
      error: `${RESTART_ANNOTATION}: "${value}" is not one of true, includeTasks, onlyFailed, includeTasks,onlyFailed`,
    };
  }
  if (tokens.includes('false')) return null;
  return { includeTasks: tokens.includes('includeTasks'), onlyFailed: tokens.includes('onlyFailed') };
}

/** `weir.dev/restart-task: "<id>"`: the task to restart. Absent → null. */
export function parseRestartTaskAnnotation(value: string | undefined): number | null | { error: string } {
  if (value === undefined) return null;
  const t = value.trim();
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t))) {
    return { error: `${RESTART_TASK_ANNOTATION}: "${value}" is not a task id (0, 1, …)` };
  }
  return Number(t);
}
